package imageguard

import (
	"bytes"
	"image/jpeg"
	"testing"
)

func addSeeds(f *testing.F) {
	f.Add(encodeJPEG(f, halves(8, 6)))
	f.Add(withEXIF(encodeJPEG(f, halves(8, 6)), 6))
	f.Add(encodePNG(f, halves(8, 6)))
	f.Add(encodeGIF(f, halves(8, 6)))
	f.Add(testdata(f, "blue-purple-pink.lossy.webp"))
	f.Add(testdata(f, "gopher-doc.with-alpha.lossless.webp"))
	f.Add(webpExtended(300, 200))
	f.Add(webpLossless(300, 200))
	f.Add([]byte("GIF89a"))
}

// Whatever arrives, Check never panics, and what it passes is within the cap.
func FuzzCheck(f *testing.F) {
	addSeeds(f)
	const cap = 1 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := CheckBytes(data, cap)
		if err != nil {
			return
		}
		if info.Width <= 0 || info.Height <= 0 || info.Pixels() > cap {
			t.Fatalf("passed %+v at a cap of %d", info, cap)
		}
		if _, ok := Sniff(data); !ok {
			t.Fatalf("passed %+v that Sniff does not recognise", info)
		}
	})
}

// Whatever arrives, Reencode never panics, never decodes above the cap, and
// what it returns is a metadata-free JPEG within MaxLongSide.
func FuzzReencode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		g := Guard{MaxPixels: 1 << 16, Budget: NewBudget(1 << 16)}
		out, _, err := g.Reencode(t.Context(), data)
		if err != nil {
			return
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
		if err != nil || max(cfg.Width, cfg.Height) > MaxLongSide {
			t.Fatalf("output %+v, %v", cfg, err)
		}
		if bytes.Contains(out, []byte{0xff, 0xe1}) {
			t.Fatal("output carries an APP1 (EXIF/XMP) segment")
		}
	})
}
