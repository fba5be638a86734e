package imageguard

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"sync"
	"testing"
)

func decodeJPEG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("output is not a JPEG: %v", err)
	}
	return img
}

func isRed(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r>>8 > 200 && g>>8 < 60 && b>>8 < 60
}

func isBlue(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r>>8 < 60 && g>>8 < 60 && b>>8 > 200
}

func TestReencodeStripsEXIFAndGPS(t *testing.T) {
	in := withEXIF(encodeJPEG(t, halves(64, 48)), 1)
	if !bytes.Contains(in, []byte("Exif\x00\x00")) || !bytes.Contains(in, gpsLatitude) {
		t.Fatal("fixture lacks its EXIF GPS")
	}
	out, info, err := Guard{}.Reencode(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if info != (Info{JPEG, 64, 48}) {
		t.Fatalf("info %+v", info)
	}
	for _, leak := range [][]byte{[]byte("Exif"), []byte("II*\x00"), gpsLatitude, {0xff, 0xe1}} {
		if bytes.Contains(out, leak) {
			t.Errorf("re-encoded photo still holds %q", leak)
		}
	}
	if b := decodeJPEG(t, out).Bounds(); b.Dx() != 64 || b.Dy() != 48 {
		t.Fatalf("size %v", b.Size())
	}
}

// A phone held upright stores its photo sideways with an EXIF orientation;
// the re-encoded photo must show it upright, as the phone did.
func TestReencodeTurnsPhonePhotosUpright(t *testing.T) {
	tests := []struct {
		orientation uint16
		w, h        int
		redAt       image.Point // in the upright picture, as a fraction of 4
		blueAt      image.Point
	}{
		{1, 40, 20, image.Pt(1, 2), image.Pt(3, 2)},
		{3, 40, 20, image.Pt(3, 2), image.Pt(1, 2)}, // upside down
		{6, 20, 40, image.Pt(2, 1), image.Pt(2, 3)}, // held upright, the usual portrait
		{8, 20, 40, image.Pt(2, 3), image.Pt(2, 1)},
	}
	for _, tt := range tests {
		out, _, err := Guard{}.Reencode(t.Context(), withEXIF(encodeJPEG(t, halves(40, 20)), tt.orientation))
		if err != nil {
			t.Fatal(err)
		}
		img := decodeJPEG(t, out)
		if b := img.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
			t.Fatalf("orientation %d: %v, want %d×%d", tt.orientation, b.Size(), tt.w, tt.h)
		}
		at := func(p image.Point) color.Color { return img.At(p.X*tt.w/4, p.Y*tt.h/4) }
		if !isRed(at(tt.redAt)) || !isBlue(at(tt.blueAt)) {
			t.Errorf("orientation %d: red side %v, blue side %v", tt.orientation, at(tt.redAt), at(tt.blueAt))
		}
	}
}

func TestReencodeRotatedPhonePhotoIsUprightAndSmall(t *testing.T) {
	// A 3 MP portrait phone photo, stored landscape with orientation 6.
	in := withEXIF(encodeJPEG(t, halves(2016, 1512)), 6)
	out, info, err := Guard{}.Reencode(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if info != (Info{JPEG, 2016, 1512}) {
		t.Fatalf("info %+v", info)
	}
	img := decodeJPEG(t, out)
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 1600 {
		t.Fatalf("size %v, want 1200×1600", b.Size())
	}
	if !isRed(img.At(600, 200)) || !isBlue(img.At(600, 1400)) {
		t.Fatal("not upright: the photo's left (red) side should be at the top")
	}
	if bytes.Contains(out, gpsLatitude) || bytes.Contains(out, []byte("Exif")) {
		t.Fatal("EXIF survived")
	}
}

func TestReencodeOtherFormats(t *testing.T) {
	transparent := image.NewNRGBA(image.Rect(0, 0, 3000, 100))
	tests := []struct {
		name  string
		data  []byte
		w, h  int
		white bool // a transparent source turns white
	}{
		{"png, long side over the cap", encodePNG(t, halves(3000, 1000)), 1600, 533, false},
		{"transparent png", encodePNG(t, transparent), 1600, 53, true},
		{"gif", encodeGIF(t, image.NewPaletted(image.Rect(0, 0, 30, 20), color.Palette{color.Black})), 30, 20, false},
		{"lossy webp", testdata(t, "blue-purple-pink.lossy.webp"), 150, 100, false},
		{"lossless webp with alpha", testdata(t, "gopher-doc.with-alpha.lossless.webp"), 75, 100, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := Guard{}.Reencode(t.Context(), tt.data)
			if err != nil {
				t.Fatal(err)
			}
			img := decodeJPEG(t, out)
			if b := img.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
				t.Fatalf("size %v, want %d×%d", b.Size(), tt.w, tt.h)
			}
			if r, g, b, _ := img.At(0, 0).RGBA(); tt.white && (r>>8 < 240 || g>>8 < 240 || b>>8 < 240) {
				t.Fatalf("transparent corner became %v, want white", img.At(0, 0))
			}
		})
	}
}

func TestReencodeRefusesBeforeDecoding(t *testing.T) {
	budget := NewBudget(100)
	g := Guard{Budget: budget}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"one-bit bomb", oneBitBomb(t), ErrTooLarge},
		{"rgba bomb", rgbaBomb(t), ErrTooLarge},
		{"jpeg bomb", jpegOfSize(t, 65000, 65000), ErrTooLarge},
		{"not an image", []byte("GIF? no"), ErrNotImage},
	}
	for _, tt := range tests {
		if _, _, err := g.Reencode(t.Context(), tt.data); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
	if budget.Peak() != 0 {
		t.Fatalf("the budget was taken (%d pixels) for images refused from their header", budget.Peak())
	}
}

func TestReencodeRefusesDataThatBetraysItsHeader(t *testing.T) {
	// A valid 16×16 header followed by garbage where the scan should be.
	b := encodeJPEG(t, halves(16, 16))
	sos := bytes.Index(b, []byte{0xff, 0xda})
	damaged := append(append([]byte{}, b[:sos+14]...), bytes.Repeat([]byte{0xff, 0x00, 0x13}, 50)...)
	if _, _, err := (Guard{}).Reencode(t.Context(), damaged); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
	png := encodePNG(t, halves(16, 16))
	if _, _, err := (Guard{}).Reencode(t.Context(), png[:len(png)-30]); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("truncated png: err = %v, want ErrCorrupt", err)
	}
}

func TestReencodeWaitsForTheBudget(t *testing.T) {
	budget := NewBudget(1000)
	release, _ := budget.Acquire(t.Context(), 1000)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := (Guard{Budget: budget}).Reencode(ctx, encodePNG(t, halves(10, 10))); !errors.Is(err, ErrBusy) {
		t.Fatalf("err = %v, want ErrBusy while the budget is full", err)
	}
	release()
	if _, _, err := (Guard{Budget: budget}).Reencode(t.Context(), encodePNG(t, halves(10, 10))); err != nil {
		t.Fatal(err)
	}
}

// A burst of concurrent uploads never holds more pixels than the budget:
// with room for two photos at a time, twelve arrive at once.
func TestBurstStaysWithinTheBudget(t *testing.T) {
	photo := withEXIF(encodeJPEG(t, halves(800, 600)), 6)
	budget := NewBudget(2 * 800 * 600)
	g := Guard{Budget: budget}
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for range 12 {
		wg.Go(func() {
			_, _, err := g.Reencode(t.Context(), photo)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if p := budget.Peak(); p > budget.Size() || p < 800*600 {
		t.Fatalf("peak %d pixels in flight, budget %d", p, budget.Size())
	}
}

func TestGuardDecode(t *testing.T) {
	b := NewBudget(1 << 20)
	g := Guard{MaxPixels: 10_000, Budget: b}
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 40, 30))); err != nil {
		t.Fatal(err)
	}
	img, release, err := g.Decode(context.Background(), buf.Bytes())
	if err != nil || img.Bounds().Dx() != 40 {
		t.Fatalf("decode: %v %v", img, err)
	}
	if b.Peak() < 1200 {
		t.Errorf("the decode did not hold its pixels in the budget (peak %d)", b.Peak())
	}
	release()
	buf.Reset()
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 200, 100))); err != nil {
		t.Fatal(err)
	}
	if _, _, err := g.Decode(context.Background(), buf.Bytes()); !errors.Is(err, ErrTooLarge) {
		t.Errorf("20,000 pixels over a 10,000 cap: %v, want ErrTooLarge", err)
	}
	if _, _, err := g.Decode(context.Background(), []byte("not an image")); !errors.Is(err, ErrNotImage) {
		t.Errorf("text: %v, want ErrNotImage", err)
	}
}
