// Package imageguard keeps decompression bombs and oversized photos out of
// the server: it reads an image's pixel dimensions from its header before
// anything decodes it, refuses images above a pixel cap, bounds how many
// pixels are being decoded at once in the whole process (a shared budget),
// and re-encodes residents' photos (群众上传的照片) small and without EXIF,
// whose GPS tags would give away where a resident lives.
//
// Nothing here needs PocketBase: the hooks call Check at every upload door,
// Hold around PocketBase's thumbnailer, and Reencode on resident uploads.
package imageguard

import (
	"errors"
	"fmt"
)

const (
	// DefaultMaxPixels is the pixel cap, about 40 megapixels (issue 12).
	// Every photo a phone takes in its normal mode passes: 48 and 50 MP
	// sensors bin to 12–12.5 MP, 32 MP selfie cameras and 40 MP sensors
	// (7296×5472) pass whole. Only full-resolution modes of 48 MP and more
	// are refused; their JPEGs are rarely under the 5 MB upload cap anyway.
	// A single decode at the cap holds about 320 MB (8 bytes a pixel). The
	// bombs this guards against are far above it (20000×20000 = 400 MP).
	DefaultMaxPixels int64 = 40_000_000

	// DefaultBudgetPixels is how many pixels the whole process decodes at
	// once: two 12–13 MP phone photos, which already keep both cores busy
	// (decoding and resizing are CPU-bound). A photo above the budget waits
	// for all of it and runs alone. Decoding, turning upright and resizing
	// a photo holds about 8 bytes a pixel (11 with the GC's headroom,
	// measured by BenchmarkBurst12MP), so images take about 300 MB at most
	// under the default budget, about 450 MB while one photo at the cap runs.
	DefaultBudgetPixels int64 = 26_000_000

	// MaxLongSide is the long side of a re-encoded resident photo, the
	// same as the PWA's own downscale (pb_public/app/photo.js).
	MaxLongSide = 1600

	// JPEGQuality is the quality of re-encoded photos: text on a notice or
	// a meter stays readable; a 1600×1200 photo is about 200–400 KB.
	JPEGQuality = 82
)

// Format is an image format recognised by its content.
type Format string

// The formats every upload door accepts.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
)

// Info is what an image's header says.
type Info struct {
	Format        Format
	Width, Height int
}

// Pixels is Width×Height: for a GIF, the logical screen, which holds every
// frame.
func (i Info) Pixels() int64 { return int64(i.Width) * int64(i.Height) }

var (
	// ErrNotImage: the content is not a JPEG, PNG, GIF or WebP image,
	// whatever its name or declared type says.
	ErrNotImage = errors.New("imageguard: not a JPEG, PNG, GIF or WebP image")
	// ErrCorrupt: the header (or, when decoding, the data) is damaged.
	ErrCorrupt = errors.New("imageguard: damaged image")
	// ErrTooLarge: more pixels than the cap. The concrete error is a
	// *TooLargeError carrying the dimensions.
	ErrTooLarge = errors.New("imageguard: too many pixels")
)

// TooLargeError is returned for an image above the pixel cap.
type TooLargeError struct {
	Info
	MaxPixels int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("imageguard: %s image of %d×%d pixels exceeds the cap of %d pixels",
		e.Format, e.Width, e.Height, e.MaxPixels)
}

func (e *TooLargeError) Unwrap() error { return ErrTooLarge }

// Message is the Chinese text of a field error for err, as a resident or a
// deputy reads it under the photo field.
func Message(err error) string {
	var tl *TooLargeError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &tl):
		return fmt.Sprintf("照片像素太大（%d×%d），最多约%d万像素：请用手机相机的普通模式拍摄，或截图后上传。",
			tl.Width, tl.Height, tl.MaxPixels/10_000)
	case errors.Is(err, ErrNotImage):
		return "只能上传照片（jpg、png、webp、gif 图片）。"
	case errors.Is(err, ErrBusy):
		return "服务器正忙，照片暂时无法处理，请稍后再试。"
	default:
		return "照片已损坏或无法识别，请重新拍摄或选择。"
	}
}
