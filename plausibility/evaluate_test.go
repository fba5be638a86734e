package plausibility

import (
	"slices"
	"testing"
	"time"
)

// TestEvaluate runs all checks on a visit that trips each of them, and on
// an honest day's visit that trips none.
func TestEvaluate(t *testing.T) {
	in := Inputs{Villages: villages}

	// Honest: in the village, 40 minutes after the last household, synced
	// the next day, its own photo.
	honest := withPhotos(visit("v1", "h1", at(10, 0), offset(200, 100, 15)), Photo{SHA256: shaA, PHash: hashA, Hashed: true})
	honest.ReceivedAt = honest.VisitedAt.Add(26 * time.Hour)
	in.Nearby = []Visit{visit("u1", "h2", at(9, 20), offset(-400, 300, 20)), visit("u2", "h3", at(11, 0), nil)}
	in.Photos = []PhotoRef{ref("u1", "h2", "d1", Photo{SHA256: shaB, PHash: ^hashA, Hashed: true})}
	if got := Evaluate(honest, in); len(got) != 0 {
		t.Errorf("an honest visit flagged: %+v", got)
	}

	// Typed at home 9 km off, five new households in ten minutes, a photo
	// of another household's visit, a month after the stated time.
	home := offset(1500+9000, 0, 30)
	var sitting []Visit
	for i, h := range []string{"n1", "n2", "n3", "n4", "n5"} {
		v := visit("s"+h, h, at(20, 0).Add(time.Duration(i)*2*time.Minute), home)
		v.HouseholdCreator, v.HouseholdCreated = "d1", v.VisitedAt
		sitting = append(sitting, v)
	}
	fake := withPhotos(sitting[2], Photo{SHA256: shaA})
	fake.ReceivedAt = fake.VisitedAt.AddDate(0, 1, 0)
	in.Nearby = append(sitting, visit("u3", "h9", at(19, 55), offset(0, 0, 20))) // 10 km in 9 minutes
	in.Photos = []PhotoRef{ref("u1", "h2", "d1", Photo{SHA256: shaA})}
	got := Evaluate(fake, in)
	if want := []Kind{FarFromVillage, TooFast, SamePhoto, OneSitting, LateUpload}; !slices.Equal(kinds(got), want) {
		t.Fatalf("kinds %v, want %v\n%+v", kinds(got), want, got)
	}
	for _, f := range got {
		if f.Visit != fake.ID || f.Reason == "" || f.Kind.Label() == "" {
			t.Errorf("malformed %+v", f)
		}
	}

	// Settings reach every check: all off, nothing.
	in.Settings.Off = Kinds
	if got := Evaluate(fake, in); len(got) != 0 {
		t.Errorf("all checks off, still %+v", got)
	}
	for _, k := range Kinds {
		if k.Label() == "" {
			t.Errorf("%s has no label", k)
		}
	}
}
