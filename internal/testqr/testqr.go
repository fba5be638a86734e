// Package testqr reads QR codes the server draws, for tests: what a phone's
// camera would read from the image.
package testqr

import (
	"image"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

// Decode is the text of the QR code in img, failing the test if it does
// not decode. gozxing's finder-pattern search misjudges about one code in
// 150 held upright (data modules that mimic a finder pattern; the text, and
// so the modules, change with every signed token); a phone sees the code
// at whatever angle it is held, so a failure is retried turned a quarter
// at a time, which reads every one of them.
func Decode(t testing.TB, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	var firstErr error
	for turn := 0; turn < 4; turn++ {
		res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
		if err == nil {
			return res.GetText()
		}
		if firstErr == nil {
			firstErr = err
		}
		if bmp, err = bmp.RotateCounterClockwise(); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("QR does not decode at any quarter turn: %v", firstErr)
	return ""
}
