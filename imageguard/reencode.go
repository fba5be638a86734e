package imageguard

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"io"

	"github.com/disintegration/imaging"
	"golang.org/x/image/webp"
)

// Guard bundles the pixel cap and the budget. The zero value uses
// DefaultMaxPixels and the Shared budget; set MaxPixels from the setting.
type Guard struct {
	MaxPixels int64
	Budget    *Budget
}

func (g Guard) maxPixels() int64 {
	if g.MaxPixels <= 0 {
		return DefaultMaxPixels
	}
	return g.MaxPixels
}

func (g Guard) budget() *Budget {
	if g.Budget == nil {
		return Shared
	}
	return g.Budget
}

// Check is the package Check with the guard's cap.
func (g Guard) Check(r io.Reader) (Info, error) { return Check(r, g.maxPixels()) }

// Hold waits for info's pixels in the guard's budget; wrap any decode the
// package does not do itself (PocketBase's thumbnailer) between Hold and
// release.
func (g Guard) Hold(ctx context.Context, info Info) (release func(), err error) {
	return g.budget().Acquire(ctx, info.Pixels())
}

// Reencode turns a resident's upload into a JPEG of at most MaxLongSide
// pixels on its long side at JPEGQuality, with the EXIF orientation applied
// (resampled with a linear filter, as PocketBase's thumbnails are: a third
// of the cost of Lanczos on a 12 MP photo)
// and no metadata at all (no EXIF, so no GPS; no ICC, XMP or text chunks).
// Transparent areas become white; an animated GIF keeps its first frame.
// The header is checked before any decoding, and decoding waits its turn
// in the budget (ErrBusy when ctx ends first).
func (g Guard) Reencode(ctx context.Context, data []byte) ([]byte, Info, error) {
	info, err := g.Check(bytes.NewReader(data))
	if err != nil {
		return nil, info, err
	}
	release, err := g.Hold(ctx, info)
	if err != nil {
		return nil, info, err
	}
	defer release()

	img, err := decode(info.Format, data)
	if err != nil {
		return nil, info, fmt.Errorf("%w: %s: %v", ErrCorrupt, info.Format, err)
	}
	if b := img.Bounds(); !(b.Dx() == info.Width && b.Dy() == info.Height || b.Dx() == info.Height && b.Dy() == info.Width) {
		return nil, info, fmt.Errorf("%w: decoded %v but header said %d×%d", ErrCorrupt, b, info.Width, info.Height)
	}
	if b := img.Bounds(); max(b.Dx(), b.Dy()) > MaxLongSide {
		img = imaging.Fit(img, MaxLongSide, MaxLongSide, imaging.Linear)
	}
	if o, ok := img.(interface{ Opaque() bool }); !ok || !o.Opaque() {
		b := img.Bounds()
		img = imaging.Overlay(imaging.New(b.Dx(), b.Dy(), color.White), img, image.Point{}, 1)
	}
	var out bytes.Buffer
	if err := imaging.Encode(&out, img, imaging.JPEG, imaging.JPEGQuality(JPEGQuality)); err != nil {
		return nil, info, err
	}
	return out.Bytes(), info, nil
}

// decode decodes with the decoder of the sniffed format, never another one
// image.Decode might pick. JPEG goes through imaging for its EXIF
// orientation (the other formats carry none that browsers apply).
func decode(f Format, data []byte) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("decoder panic: %v", p)
		}
	}()
	r := bytes.NewReader(data)
	switch f {
	case JPEG:
		return imaging.Decode(r, imaging.AutoOrientation(true))
	case PNG:
		return png.Decode(r)
	case GIF:
		return gif.Decode(r)
	case WebP:
		return webp.Decode(r)
	}
	return nil, ErrNotImage
}

// Decode checks data's header against the guard's cap, waits for its
// pixels in the budget and decodes it. Call release once done with the
// image (a perceptual hash, say), so the budget covers that work too.
func (g Guard) Decode(ctx context.Context, data []byte) (img image.Image, release func(), err error) {
	info, err := g.Check(bytes.NewReader(data))
	if err != nil {
		return nil, nil, err
	}
	release, err = g.Hold(ctx, info)
	if err != nil {
		return nil, nil, err
	}
	img, err = decode(info.Format, data)
	if err != nil {
		release()
		return nil, nil, err
	}
	return img, release, nil
}
