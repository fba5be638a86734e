// Package images is the process's one image guard (package imageguard):
// the pixel cap, read once from SIMENG_IMAGE_MAX_PIXELS, and the shared
// decode budget. Every door that takes an image checks it here before
// anything decodes it; the resident forms re-encode through it.
package images

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"simeng/imageguard"
)

// MaxPixelsEnv sets the pixel cap (a whole number of pixels, e.g.
// 40000000); unset or invalid: imageguard.DefaultMaxPixels.
const MaxPixelsEnv = "SIMENG_IMAGE_MAX_PIXELS"

var (
	once  sync.Once
	guard imageguard.Guard
)

// Guard is the process's image guard.
func Guard() imageguard.Guard {
	once.Do(func() {
		guard = imageguard.Guard{MaxPixels: maxPixelsFromEnv(), Budget: imageguard.Shared}
	})
	return guard
}

func maxPixelsFromEnv() int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(os.Getenv(MaxPixelsEnv)), 10, 64)
	if err != nil || n <= 0 {
		return imageguard.DefaultMaxPixels
	}
	return n
}

// CheckFile reads an uploaded file's image header. It returns nil for an
// image within the cap and for content that is no image at all (the
// field's own type check answers that); otherwise the field error, in
// Chinese, to report under the field.
func CheckFile(f *filesystem.File) error {
	r, err := f.Reader.Open()
	if err != nil {
		return validation.NewError("image_unreadable", "照片读取失败，请重新选择。")
	}
	defer r.Close()
	_, err = Guard().Check(r)
	return FieldError(err)
}

// FieldError is err (from imageguard) as a field error; nil for an image
// within the cap and for content that is not an image.
func FieldError(err error) error {
	switch {
	case err == nil, errors.Is(err, imageguard.ErrNotImage):
		return nil
	case errors.Is(err, imageguard.ErrTooLarge):
		return validation.NewError("image_too_large", imageguard.Message(err))
	case errors.Is(err, imageguard.ErrBusy):
		return validation.NewError("image_busy", imageguard.Message(err))
	}
	return validation.NewError("image_damaged", imageguard.Message(err))
}
