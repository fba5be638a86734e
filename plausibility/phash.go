package plausibility

import (
	"errors"
	"fmt"
	"image"
	"io"
	"math/bits"
	"strconv"

	"github.com/corona10/goimagehash"
	"golang.org/x/image/draw"
)

// PHash is a 64-bit perceptual hash (pHash, as goimagehash.PerceptionHash
// computes it: whether each of the 8×8 lowest frequencies of the DCT of a
// 64×64 grey copy lies above their median). Photos that look alike have
// hashes a few bits apart.
//
// Of goimagehash's kinds, pHash is kept. On generated photos
// (TestHashKindsCompared: re-encoding, resizing, brightness, contrast, noise,
// a 2 % crop) pHash moves at most 8 bits while different scenes stay 16 or
// more apart; the average hash (aHash) moves less but puts different
// scenes as close as 8 bits (false matches); the difference hash (dHash)
// loses 10–12 bits to a JPEG re-encode alone, leaving a thin margin. The 256-bit
// ExtPerceptionHash separated somewhat more widely in a one-off run but
// costs several times more to compute, four times the storage and index
// scan, for a margin 64 bits already give.
type PHash uint64

// Distance is the number of bits in which a and b differ (0–64).
func (a PHash) Distance(b PHash) int { return bits.OnesCount64(uint64(a ^ b)) }

// String is the hash as 16 lowercase hex digits, as it is stored.
func (a PHash) String() string { return fmt.Sprintf("%016x", uint64(a)) }

// ParsePHash reads a hash written by String.
func ParsePHash(s string) (PHash, error) {
	if len(s) != 16 {
		return 0, errors.New("plausibility: a perceptual hash is 16 hex digits")
	}
	u, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return 0, errors.New("plausibility: a perceptual hash is 16 hex digits")
	}
	return PHash(u), nil
}

// hashSide is the side of the square copy that is hashed. pHash reads a
// 64×64 grey image; a 128×128 copy keeps the library's own resize cheap
// whatever the photo's size.
const hashSide = 128

// A photo larger than stageSide is first sampled down to at most stageSide
// a side by the cheap approximate filter, then averaged down properly: the
// low frequencies pHash reads survive the first step's aliasing, and a
// 1600 × 1200 photo hashes in a quarter of the time its JPEG takes to decode
// (BenchmarkPerceptualHash), where a proper filter over all its pixels, or
// goimagehash's own resize, takes about as long as the decoding.
const stageSide = 2 * hashSide

// maxHashPixels bounds the images PerceptualHash accepts: a decoder that
// let a larger one through is a bug upstream (imageguard's cap is lower).
const maxHashPixels = 64 << 20

// ErrImageTooLarge is returned for an image beyond maxHashPixels.
var ErrImageTooLarge = errors.New("plausibility: image too large to hash")

// PerceptualHash hashes a decoded image. It never keeps more than the
// small copy it hashes; decoding within a pixel cap is the caller's job
// (see HashImage).
func PerceptualHash(img image.Image) (PHash, error) {
	if img == nil {
		return 0, errors.New("plausibility: no image")
	}
	b := img.Bounds()
	if b.Empty() {
		return 0, errors.New("plausibility: empty image")
	}
	if int64(b.Dx())*int64(b.Dy()) > maxHashPixels {
		return 0, ErrImageTooLarge
	}
	h, err := goimagehash.PerceptionHash(smallCopy(img))
	if err != nil {
		return 0, err
	}
	return PHash(h.GetHash()), nil
}

// smallCopy is the hashSide × hashSide copy of img that is hashed.
func smallCopy(img image.Image) *image.RGBA {
	b := img.Bounds()
	if b.Dx() > stageSide || b.Dy() > stageSide {
		stage := image.NewRGBA(image.Rect(0, 0, min(b.Dx(), stageSide), min(b.Dy(), stageSide)))
		draw.ApproxBiLinear.Scale(stage, stage.Bounds(), img, b, draw.Src, nil)
		img = stage
	}
	small := image.NewRGBA(image.Rect(0, 0, hashSide, hashSide))
	draw.BiLinear.Scale(small, small.Bounds(), img, img.Bounds(), draw.Src, nil)
	return small
}

// Decoder decodes one image from r, refusing any whose header declares
// more pixels than its cap before decoding it (the imageguard package's
// bounded decoder, or any function of that shape).
type Decoder func(r io.Reader) (image.Image, error)

// HashImage decodes a photo with decode and hashes it. decode must be a
// bounded decoder: this package never calls image.Decode itself. Where the
// decode holds a share of a process-wide pixel budget (imageguard), call
// PerceptualHash between the decode and the release instead, so the budget
// covers the hashing too.
func HashImage(r io.Reader, decode Decoder) (PHash, error) {
	if decode == nil {
		return 0, errors.New("plausibility: no decoder")
	}
	img, err := decode(r)
	if err != nil {
		return 0, err
	}
	return PerceptualHash(img)
}
