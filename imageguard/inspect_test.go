package imageguard

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
)

func TestCheckReadsFormatAndSize(t *testing.T) {
	small := halves(64, 48)
	paletted := image.NewPaletted(image.Rect(0, 0, 30, 20), color.Palette{color.White, color.Black})
	tests := []struct {
		name string
		data []byte
		want Info
	}{
		{"jpeg", encodeJPEG(t, small), Info{JPEG, 64, 48}},
		{"jpeg with phone EXIF", withEXIF(encodeJPEG(t, small), 6), Info{JPEG, 64, 48}},
		{"png", encodePNG(t, small), Info{PNG, 64, 48}},
		{"paletted png", encodePNG(t, paletted), Info{PNG, 30, 20}},
		{"gif", encodeGIF(t, paletted), Info{GIF, 30, 20}},
		{"lossy webp", testdata(t, "blue-purple-pink.lossy.webp"), Info{WebP, 150, 100}},
		{"lossless webp with alpha", testdata(t, "gopher-doc.with-alpha.lossless.webp"), Info{WebP, 75, 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckBytes(tt.data, 0)
			if err != nil || got != tt.want {
				t.Fatalf("CheckBytes = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestCheckRefusesWhatIsNotAnImage(t *testing.T) {
	var bmpFile bytes.Buffer
	if err := bmp.Encode(&bmpFile, halves(8, 8)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"text named like a photo", []byte("这不是照片.jpg")},
		{"html", []byte("<html><body><img src=x onerror=alert(1)></body></html>")},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="20000" height="20000"></svg>`)},
		{"pdf", []byte("%PDF-1.7\n")},
		{"bmp (decodable, but no door takes it)", bmpFile.Bytes()},
		{"riff that is not webp", []byte("RIFF\x10\x00\x00\x00WAVEfmt ")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := CheckBytes(tt.data, 0); !errors.Is(err, ErrNotImage) {
				t.Fatalf("err = %v, want ErrNotImage", err)
			}
		})
	}
}

func TestCheckRefusesDamagedHeaders(t *testing.T) {
	png := encodePNG(t, halves(64, 48))
	jpg := encodeJPEG(t, halves(64, 48))
	zeroSize := pngFile(0, 10, 8, 0, nil)
	tests := []struct {
		name string
		data []byte
	}{
		{"png cut inside IHDR", png[:20]},
		{"png with a bad IHDR checksum", append(append([]byte{}, png[:29]...), 0, 0, 0, 0)},
		{"png of zero width", zeroSize},
		{"jpeg cut before its frame header", jpg[:12]},
		{"webp cut after its signature", testdata(t, "blue-purple-pink.lossy.webp")[:20]},
		{"gif cut in its screen descriptor", []byte("GIF89a\x10\x00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := CheckBytes(tt.data, 0); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
		})
	}
}

// jpegOfSize rewrites the frame header (SOF0) of a small baseline JPEG to
// claim w×h: a JPEG bomb needs nothing more.
func jpegOfSize(t *testing.T, w, h int) []byte {
	b := encodeJPEG(t, halves(16, 16))
	i := bytes.Index(b, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no SOF0 in the encoded JPEG")
	}
	binary.BigEndian.PutUint16(b[i+5:], uint16(h))
	binary.BigEndian.PutUint16(b[i+7:], uint16(w))
	return b
}

// gifOfScreen rewrites a small GIF's logical screen, which bounds every
// frame, to w×h.
func gifOfScreen(t *testing.T, w, h int) []byte {
	b := encodeGIF(t, image.NewPaletted(image.Rect(0, 0, 1, 1), color.Palette{color.Black, color.White}))
	binary.LittleEndian.PutUint16(b[6:], uint16(w))
	binary.LittleEndian.PutUint16(b[8:], uint16(h))
	return b
}

func riff(chunks ...[]byte) []byte {
	body := []byte("WEBP")
	for _, c := range chunks {
		body = append(body, c...)
	}
	return append(binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(len(body))), body...)
}

func chunk(fourCC string, data []byte) []byte {
	c := binary.LittleEndian.AppendUint32([]byte(fourCC), uint32(len(data)))
	c = append(c, data...)
	if len(data)%2 == 1 {
		c = append(c, 0)
	}
	return c
}

// webpExtended is the header of an extended WebP claiming a w×h canvas.
func webpExtended(w, h int) []byte {
	d := []byte{0, 0, 0, 0}
	d = append(d, byte(w-1), byte((w-1)>>8), byte((w-1)>>16))
	d = append(d, byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
	return riff(chunk("VP8X", d))
}

// webpLossless is the header of a lossless WebP claiming w×h (at most
// 16384 a side).
func webpLossless(w, h int) []byte {
	bits := uint32(w-1) | uint32(h-1)<<14
	return riff(chunk("VP8L", binary.LittleEndian.AppendUint32([]byte{0x2f}, bits)))
}

func TestCheckRefusesBombsFromTheHeader(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want Info
	}{
		{"48 KB one-bit png, 20000×20000", oneBitBomb(t), Info{PNG, 20000, 20000}},
		{"1.5 MB rgba png, 20000×20000", rgbaBomb(t), Info{PNG, 20000, 20000}},
		{"jpeg claiming 65000×65000", jpegOfSize(t, 65000, 65000), Info{JPEG, 65000, 65000}},
		{"gif with a 65535×65535 screen", gifOfScreen(t, 65535, 65535), Info{GIF, 65535, 65535}},
		{"extended webp, 20000×20000 canvas", webpExtended(20000, 20000), Info{WebP, 20000, 20000}},
		{"lossless webp, 16384×16384", webpLossless(16384, 16384), Info{WebP, 16384, 16384}},
		{"108 MP phone mode", jpegOfSize(t, 12000, 9000), Info{JPEG, 12000, 9000}},
		{"48 MP full resolution", jpegOfSize(t, 8000, 6000), Info{JPEG, 8000, 6000}},
		{"50 MP full resolution", jpegOfSize(t, 8192, 6144), Info{JPEG, 8192, 6144}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckBytes(tt.data, 0)
			var tl *TooLargeError
			if !errors.Is(err, ErrTooLarge) || !errors.As(err, &tl) {
				t.Fatalf("err = %v, want a TooLargeError", err)
			}
			if got != tt.want || tl.Info != tt.want || tl.MaxPixels != DefaultMaxPixels {
				t.Fatalf("info %+v, error %+v; want %+v", got, tl, tt.want)
			}
		})
	}
}

func TestCheckPassesPhonePhotoSizes(t *testing.T) {
	for _, wh := range [][2]int{
		{4000, 3000}, // 12 MP, the usual phone photo
		{4080, 3072}, // 12.5 MP, 50 MP sensors binned
		{3072, 4080}, // portrait
		{5184, 3888}, // 20 MP
		{6528, 4896}, // 32 MP selfie cameras
		{7296, 5472}, // 40 MP sensors, the largest that passes
	} {
		if _, err := CheckBytes(jpegOfSize(t, wh[0], wh[1]), 0); err != nil {
			t.Errorf("%d×%d refused: %v", wh[0], wh[1], err)
		}
	}
}

func TestCheckCapIsInclusive(t *testing.T) {
	if _, err := CheckBytes(pngFile(10, 10, 8, 0, nil), 100); err != nil {
		t.Fatalf("10×10 at a cap of 100: %v", err)
	}
	if _, err := CheckBytes(pngFile(10, 11, 8, 0, nil), 100); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("10×11 at a cap of 100: %v", err)
	}
}

// bytesAllocated is what f allocates on average over n runs: the bombs'
// pixels would be 50 MB (one-bit) and 1.6 GB (RGBA).
func bytesAllocated(n int, f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range n {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(n)
}

func TestCheckingABombAllocatesNoPixels(t *testing.T) {
	const limit = 64 << 10
	for name, bomb := range map[string][]byte{"one-bit": oneBitBomb(t), "rgba": rgbaBomb(t)} {
		for _, door := range []struct {
			name  string
			check func()
		}{
			{"CheckBytes", func() { _, _ = CheckBytes(bomb, 0) }},
			{"Reencode", func() { _, _, _ = Guard{}.Reencode(t.Context(), bomb) }},
		} {
			got := bytesAllocated(20, door.check)
			t.Logf("%s on the %s bomb: %d bytes allocated a run", door.name, name, got)
			if got > limit {
				t.Errorf("%s on the %s bomb allocated %d bytes a run, want under %d", door.name, name, got, limit)
			}
		}
	}
}

func TestMessageIsChinese(t *testing.T) {
	_, tooLarge := CheckBytes(oneBitBomb(t), 0)
	_, notImage := CheckBytes([]byte("hello"), 0)
	_, corrupt := CheckBytes(encodePNG(t, halves(4, 4))[:20], 0)
	tests := []struct {
		err  error
		want string
	}{
		{tooLarge, "照片像素太大（20000×20000），最多约4000万像素"},
		{notImage, "只能上传照片"},
		{corrupt, "照片已损坏"},
		{ErrBusy, "服务器正忙"},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := Message(tt.err); !strings.HasPrefix(got, tt.want) {
			t.Errorf("Message(%v) = %q, want it to start %q", tt.err, got, tt.want)
		}
	}
}
