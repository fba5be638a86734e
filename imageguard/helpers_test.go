package imageguard

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"sync"
	"testing"
)

// zeroPNG builds a w×h PNG of zeros, streaming the rows through zlib so
// that the test never holds the pixels either. depth 1, colour type 0 is
// the one-bit bomb of shared/acceptance/10-security.
func zeroPNG(w, h, depth, colourType int) []byte {
	channels := map[int]int{0: 1, 2: 3, 4: 2, 6: 4}[colourType]
	row := make([]byte, 1+(w*channels*depth+7)/8)
	var idat bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	for range h {
		zw.Write(row)
	}
	zw.Close()
	return pngFile(w, h, depth, colourType, idat.Bytes())
}

func pngFile(w, h, depth, colourType int, idat []byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, byte(depth), byte(colourType), 0, 0, 0)
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	for _, c := range []struct {
		typ  string
		data []byte
	}{{"IHDR", ihdr}, {"IDAT", idat}, {"IEND", nil}} {
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(c.data))))
		b.WriteString(c.typ)
		b.Write(c.data)
		b.Write(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(append([]byte(c.typ), c.data...))))
	}
	return b.Bytes()
}

var oneBit = sync.OnceValue(func() []byte { return zeroPNG(20000, 20000, 1, 0) })

func oneBitBomb(t testing.TB) []byte {
	t.Helper()
	b := oneBit()
	if len(b) > 64<<10 {
		t.Fatalf("one-bit bomb is %d bytes, want about 48 KB", len(b))
	}
	return b
}

func rgbaBomb(t testing.TB) []byte {
	t.Helper()
	f, err := os.Open("testdata/bomb-rgba-20000.png.gz")
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
	if len(b) < 1_400_000 || len(b) > 1_700_000 {
		t.Fatalf("RGBA bomb is %d bytes, want about 1.5 MB", len(b))
	}
	return b
}

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// halves is a w×h picture red on its left half and blue on its right.
func halves(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 0, 0, 255}
			if x >= w/2 {
				c = color.RGBA{0, 0, 255, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeGIF(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Phone camera EXIF: an orientation tag and a GPS position.
var gpsLatitude = []byte{28, 0, 0, 0, 1, 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0x80, 0x0d, 0, 0, 100, 0, 0, 0}

// withEXIF inserts, right after the JPEG's SOI marker, an APP1 EXIF segment
// as a phone writes it: IFD0 with Orientation and a GPS IFD pointer, and a
// GPS IFD with GPSLatitudeRef "N" and GPSLatitude 28°12'34.56".
func withEXIF(jpg []byte, orientation uint16) []byte {
	le := binary.LittleEndian
	tiff := []byte("II*\x00")
	tiff = le.AppendUint32(tiff, 8)
	entry := func(b []byte, tag, typ uint16, count, value uint32) []byte {
		b = le.AppendUint16(b, tag)
		b = le.AppendUint16(b, typ)
		b = le.AppendUint32(b, count)
		return le.AppendUint32(b, value)
	}
	// IFD0 at 8: 2 entries, ends at 8+2+24+4 = 38, where the GPS IFD starts.
	tiff = le.AppendUint16(tiff, 2)
	tiff = entry(tiff, 0x0112, 3, 1, uint32(orientation))
	tiff = entry(tiff, 0x8825, 4, 1, 38)
	tiff = le.AppendUint32(tiff, 0)
	// GPS IFD at 38: 2 entries, its data at 38+2+24+4 = 68.
	tiff = le.AppendUint16(tiff, 2)
	tiff = entry(tiff, 0x0001, 2, 2, uint32('N'))
	tiff = entry(tiff, 0x0002, 5, 3, 68)
	tiff = le.AppendUint32(tiff, 0)
	tiff = append(tiff, gpsLatitude...)

	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xff, 0xe1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(2+len(payload)))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}
