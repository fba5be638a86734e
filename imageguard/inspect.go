package imageguard

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"

	"golang.org/x/image/webp"
)

// headerLimit bounds how much of a file Check reads looking for the
// dimensions. A JPEG may carry EXIF, ICC and other segments before its
// frame header; 8 MiB is more than any upload door accepts.
const headerLimit = 8 << 20

var configDecoders = map[Format]func(io.Reader) (image.Config, error){
	JPEG: jpeg.DecodeConfig,
	PNG:  png.DecodeConfig,
	GIF:  gif.DecodeConfig,
	WebP: webp.DecodeConfig,
}

// Sniff names the format of an image by its first bytes (at least 512
// for WebP's signature to be seen reliably; fewer are fine for the others).
func Sniff(head []byte) (Format, bool) {
	switch http.DetectContentType(head) {
	case "image/jpeg":
		return JPEG, true
	case "image/png":
		return PNG, true
	case "image/gif":
		return GIF, true
	case "image/webp":
		return WebP, true
	}
	return "", false
}

// Check reads the format and dimensions from the header of the image in r
// without decoding any pixel, and refuses it when it has more than
// maxPixels pixels (*TooLargeError, matching ErrTooLarge). maxPixels <= 0
// means DefaultMaxPixels. It reads only as far as the header.
func Check(r io.Reader, maxPixels int64) (Info, error) {
	if maxPixels <= 0 {
		maxPixels = DefaultMaxPixels
	}
	br := bufio.NewReaderSize(io.LimitReader(r, headerLimit), 512)
	head, _ := br.Peek(512)
	f, ok := Sniff(head)
	if !ok {
		return Info{}, ErrNotImage
	}
	cfg, err := decodeConfig(configDecoders[f], br)
	if err != nil {
		return Info{Format: f}, fmt.Errorf("%w: %s header: %v", ErrCorrupt, f, err)
	}
	info := Info{Format: f, Width: cfg.Width, Height: cfg.Height}
	if info.Width <= 0 || info.Height <= 0 {
		return info, fmt.Errorf("%w: %s header gives %d×%d pixels", ErrCorrupt, f, info.Width, info.Height)
	}
	if info.Pixels() > maxPixels {
		return info, &TooLargeError{Info: info, MaxPixels: maxPixels}
	}
	return info, nil
}

// CheckBytes is Check on an upload already in memory.
func CheckBytes(b []byte, maxPixels int64) (Info, error) {
	return Check(bytes.NewReader(b), maxPixels)
}

// decodeConfig turns a decoder panic (golang.org/x/image has had several)
// into an error.
func decodeConfig(dec func(io.Reader) (image.Config, error), r io.Reader) (cfg image.Config, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("decoder panic: %v", p)
		}
	}()
	return dec(r)
}
