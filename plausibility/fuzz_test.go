package plausibility

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"slices"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzEvaluate feeds arbitrary positions, accuracies, times and settings
// (all of which come from phones or staff) and checks what must hold of
// every answer: no panic, well-formed flags, and the promises of the
// checks (an accuracy circle reaching the village is never far; visits to
// one household never clash in pace).
func FuzzEvaluate(f *testing.F) {
	f.Add(27.85, 110.72, 20.0, 27.86, 110.73, 20.0, int64(600), int64(60), 1500.0, false, 0.0, 0)
	f.Add(27.95, 110.72, 50.0, 27.85, 110.72, 10.0, int64(0), int64(400000), 1500.0, false, 1000.0, 10)
	f.Add(27.85, 110.72, -1.0, 91.0, 200.0, 1e300, int64(-1), int64(-5), -3.0, true, -1.0, -7)
	f.Fuzz(func(t *testing.T, lat, lon, acc, lat2, lon2, acc2 float64, gapSec, delaySec int64, radius float64,
		sameHousehold bool, farBeyond float64, sittingN int) {
		s := Settings{FarBeyondM: farBeyond, SittingHouseholds: sittingN}
		vil := Village{ID: "vil1", Name: "思蒙湾村", Lat: 27.85, Lon: 110.72, RadiusM: radius}
		v := visit("v1", "h1", at(9, 30), &Fix{lat, lon, acc})
		v.ReceivedAt = v.VisitedAt.Add(time.Duration(delaySec) * time.Second)
		v.SentAt = v.ReceivedAt.Add(-time.Duration(delaySec%7200) * time.Second)
		v.HouseholdCreator, v.HouseholdCreated = "d1", v.VisitedAt
		other := "h2"
		if sameHousehold {
			other = "h1"
		}
		u := visit("u1", other, v.VisitedAt.Add(time.Duration(gapSec%(1<<40))*time.Second), &Fix{lat2, lon2, acc2})
		u.HouseholdCreator, u.HouseholdCreated = "d1", u.VisitedAt
		in := Inputs{Settings: s, Villages: map[string]Village{vil.ID: vil}, Nearby: []Visit{u, v}}

		got := Evaluate(v, in)
		if again := Evaluate(v, in); fmt.Sprint(again) != fmt.Sprint(got) {
			t.Fatalf("not deterministic: %v then %v", got, again)
		}
		last := -1
		for _, fl := range got {
			i := slices.Index(Kinds, fl.Kind)
			if i <= last || fl.Visit != v.ID || fl.Reason == "" || !utf8.ValidString(fl.Reason) || slices.Contains(fl.Related, v.ID) {
				t.Fatalf("malformed or out of order: %+v in %+v", fl, got)
			}
			last = i
			if sameHousehold && (fl.Kind == TooFast || fl.Kind == TooSoon) {
				t.Fatalf("visits to one household clash: %+v", fl)
			}
			if fl.Kind == FarFromVillage {
				n := s.Normalized()
				reach := max(acc, 0) + vil.RadiusM + n.FarBeyondM
				if d := distanceM(lat, lon, vil.Lat, vil.Lon); d <= reach {
					t.Fatalf("far flagged %.0f m from the centre, within radius %.0f + accuracy %.0f + margin %.0f: %+v",
						d, vil.RadiusM, acc, n.FarBeyondM, fl)
				}
			}
		}
	})
}

// FuzzHashImage hashes arbitrary bytes through a bounded decoder: no panic,
// and a hash only for what decodes, the same as hashing the decoded image.
func FuzzHashImage(f *testing.F) {
	small := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for _, enc := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return png.Encode(b, small) },
		func(b *bytes.Buffer) error { return jpeg.Encode(b, small, nil) },
		func(b *bytes.Buffer) error { return gif.Encode(b, small, nil) },
	} {
		var b bytes.Buffer
		if err := enc(&b); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte{})
	decode := cappedDecode(1 << 20)
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := HashImage(bytes.NewReader(data), decode)
		if err != nil {
			return
		}
		img, _, derr := image.Decode(bytes.NewReader(data))
		if derr != nil {
			t.Fatalf("hashed %v what does not decode: %v", h, derr)
		}
		if h2, _ := PerceptualHash(img); h2 != h {
			t.Fatalf("hash %v, the decoded image's %v", h, h2)
		}
	})
}

// FuzzSampleCallbacks draws samples of arbitrary candidate lists: never
// more than asked, never a visit twice or one already called back, never
// one household twice, and the same for the same seed.
func FuzzSampleCallbacks(f *testing.F) {
	f.Add(uint64(1), 5, []byte{1, 2, 0, 3, 4, 1, 1, 2, 0})
	f.Add(uint64(99), 0, []byte{})
	f.Add(uint64(7), 100, []byte{0, 0, 0, 0, 0, 0, 9, 9, 1})
	f.Fuzz(func(t *testing.T, seed uint64, size int, spec []byte) {
		size %= 1000
		var cs []CallbackCandidate
		for i := 0; i+2 < len(spec); i += 3 {
			cs = append(cs, CallbackCandidate{Visit: fmt.Sprint("v", i/3), Deputy: fmt.Sprint("d", spec[i]%6),
				Household: fmt.Sprint("h", spec[i+1]%25), CalledBack: spec[i+2]%7 == 0})
		}
		got := SampleCallbacks(seed, size, cs)
		if len(got) > max(size, 0) {
			t.Fatalf("%d picked for size %d", len(got), size)
		}
		if again := SampleCallbacks(seed, size, cs); !slices.Equal(got, again) {
			t.Fatalf("not deterministic: %v then %v", got, again)
		}
		households := map[string]bool{}
		for i, id := range got {
			if slices.Contains(got[:i], id) {
				t.Fatalf("%s picked twice: %v", id, got)
			}
			j := slices.IndexFunc(cs, func(c CallbackCandidate) bool { return c.Visit == id })
			if j < 0 || cs[j].CalledBack {
				t.Fatalf("%s picked but not a candidate, or already called back", id)
			}
			if households[cs[j].Household] {
				t.Fatalf("household %s called twice: %v", cs[j].Household, got)
			}
			households[cs[j].Household] = true
		}
		// Room for all and households of their own: every deputy is drawn.
		if size >= len(cs) {
			want := map[string]bool{}
			for _, c := range cs {
				if !c.CalledBack && !households[c.Household] {
					t.Fatalf("room for all, yet household %s of an eligible visit left out: %v", c.Household, got)
				}
				if !c.CalledBack {
					want[c.Deputy] = true
				}
			}
			drawn := map[string]bool{}
			for _, id := range got {
				j := slices.IndexFunc(cs, func(c CallbackCandidate) bool { return c.Visit == id })
				drawn[cs[j].Deputy] = true
			}
			for d := range want {
				if !drawn[d] && !sharesAllHouseholds(cs, d) {
					t.Fatalf("deputy %s not drawn: %v", d, got)
				}
			}
		}
	})
}

// sharesAllHouseholds reports whether every eligible visit of deputy d is
// to a household another deputy also visited: then d may lose each
// household to them.
func sharesAllHouseholds(cs []CallbackCandidate, d string) bool {
	for _, c := range cs {
		if c.Deputy != d || c.CalledBack {
			continue
		}
		shared := slices.ContainsFunc(cs, func(o CallbackCandidate) bool {
			return o.Deputy != d && !o.CalledBack && o.Household == c.Household
		})
		if !shared {
			return false
		}
	}
	return true
}
