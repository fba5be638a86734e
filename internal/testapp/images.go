package testapp

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// Images for the tests of every upload door (issue 12): the two
// decompression bombs of the attack run and a phone photo that carries
// the GPS position of the resident's home.

// BombPNG is the 48 KB one-bit 20000×20000 PNG (400 megapixels; 50 MB
// decoded as PocketBase's thumbnailer would, 1.6 GB as RGBA).
var BombPNG = sync.OnceValue(func() []byte {
	const w, h = 20000, 20000
	row := make([]byte, 1+(w+7)/8)
	var idat bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	for range h {
		zw.Write(row)
	}
	zw.Close()
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 1, 0, 0, 0, 0)
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	for _, c := range []struct {
		typ  string
		data []byte
	}{{"IHDR", ihdr}, {"IDAT", idat.Bytes()}, {"IEND", nil}} {
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(c.data))))
		b.WriteString(c.typ)
		b.Write(c.data)
		b.Write(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(append([]byte(c.typ), c.data...))))
	}
	return b.Bytes()
})

// RGBABombPNG is the 1.5 MB 20000×20000 RGBA PNG of the attack run
// (imageguard/testdata).
func RGBABombPNG(t testing.TB) []byte {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	f, err := os.Open(filepath.Join(filepath.Dir(here), "..", "..", "imageguard", "testdata", "bomb-rgba-20000.png.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// GPSPhoto is a w×h JPEG as a phone stores it: an EXIF block with the
// orientation and a GPS latitude (27°50′N, the township's).
func GPSPhoto(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	tiff := le.AppendUint32([]byte("II*\x00"), 8)
	entry := func(b []byte, tag, typ uint16, count, value uint32) []byte {
		b = le.AppendUint16(b, tag)
		b = le.AppendUint16(b, typ)
		b = le.AppendUint32(b, count)
		return le.AppendUint32(b, value)
	}
	tiff = le.AppendUint16(tiff, 2)
	tiff = entry(tiff, 0x0112, 3, 1, 1)  // orientation: upright
	tiff = entry(tiff, 0x8825, 4, 1, 38) // the GPS IFD, at 38
	tiff = le.AppendUint32(tiff, 0)
	tiff = le.AppendUint16(tiff, 2)
	tiff = entry(tiff, 0x0001, 2, 2, uint32('N'))
	tiff = entry(tiff, 0x0002, 5, 3, 68) // latitude, at 68
	tiff = le.AppendUint32(tiff, 0)
	for _, r := range [][2]uint32{{27, 1}, {50, 1}, {0, 1}} {
		tiff = le.AppendUint32(le.AppendUint32(tiff, r[0]), r[1])
	}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := binary.BigEndian.AppendUint16([]byte{0xff, 0xe1}, uint16(2+len(payload)))
	seg = append(seg, payload...)
	raw := jpg.Bytes()
	return append(append(append([]byte{}, raw[:2]...), seg...), raw[2:]...)
}
