package verification_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"simeng/internal/testapp"
)

// scene is a photo-like JPEG: coloured blocks drawn from seed, brightened
// by lift and encoded at quality q.
func scene(t *testing.T, seed uint64, lift uint8, q int) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for by := 0; by < 240; by += 40 {
		for bx := 0; bx < 320; bx += 40 {
			c := color.RGBA{uint8(rng.IntN(200)), uint8(rng.IntN(200)), uint8(rng.IntN(200)), 255}
			for y := by; y < by+40; y++ {
				for x := bx; x < bx+40; x++ {
					img.Set(x, y, color.RGBA{c.R + lift, c.G + lift, c.B + lift, 255})
				}
			}
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSimilarPhoto: a photo re-encoded and brightened on a visit to
// another household raises similar_photo once both files arrived and were
// hashed in the background; a different scene does not.
func TestSimilarPhoto(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	at := time.Now().Add(-6 * time.Hour).Truncate(time.Minute)
	original, copied, other := scene(t, 1, 0, 90), scene(t, 1, 12, 60), scene(t, 2, 0, 90)
	push := func(at time.Time, photo []byte) string {
		h, v := testapp.ClientID(), testapp.ClientID()
		testapp.WantOutcomes(t, s.Push(deputy, testapp.HouseholdRec(h, f.VillageA, "舒桂花", "5组"+h[:4]+"号"),
			testapp.VisitRec(v, h, iso(at), map[string]any{"location": offset(100, 0), "photos": []any{testapp.PhotoDecl("p1", photo)}})),
			"created", "created")
		if status, out := s.PutPhoto(deputy, v, "p1", photo, "image/jpeg"); status != http.StatusOK {
			t.Fatalf("upload: %d %v", status, out)
		}
		return v
	}
	waitHashed := func(v string) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if testapp.CountWhere(t, s.App, "visit_photo_hashes", "visit = '"+v+"' AND phash != ''") == 1 {
				return
			}
		}
		t.Fatalf("photo of %s never hashed", v)
	}
	first := push(at, original)
	waitHashed(first)
	differentScene := push(at.Add(2*time.Hour), other)
	waitHashed(differentScene)
	if kinds := flagKinds(t, s, deputy, differentScene); slices.Contains(kinds, "similar_photo") || slices.Contains(kinds, "same_photo") {
		t.Errorf("a different scene raised %v", kinds)
	}
	reused := push(at.Add(4*time.Hour), copied)
	waitHashed(reused)
	var kinds []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if kinds = flagKinds(t, s, deputy, reused); slices.Contains(kinds, "similar_photo") {
			return
		}
	}
	t.Errorf("a brightened, re-encoded copy raised %v, want similar_photo", kinds)
}
