package verification_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"simeng/internal/testapp"
)

// TestOpenFlagsLiveOnTheVisit: a push that raises flags writes them on the
// visit alone, with the visits involved and when they were raised; the
// review queue finds the visit by kind, and an edit that keeps a flag
// keeps when it was raised.
func TestOpenFlagsLiveOnTheVisit(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	placeVillageA(t, s, f)
	at := time.Now().Add(-3 * time.Hour).Truncate(time.Minute)
	recs := sitting(6, 3*time.Minute)(at, f)
	for i, r := range s.Push(deputy, recs...) {
		if r["outcome"] != "created" {
			t.Fatalf("record %d: %v", i, r)
		}
	}
	last := recs[len(recs)-1]
	target := last["id"].(string)
	if n := testapp.CountWhere(t, s.App, "visit_flags", "id != ''"); n != 0 {
		t.Errorf("raising flags wrote %d visit_flags rows; open flags belong on the visit", n)
	}
	stored := storedFlags(t, s, target)
	i := slices.IndexFunc(stored, func(f storedFlag) bool { return f.Kind == "one_sitting" })
	if i < 0 {
		t.Fatalf("the sitting's last visit carries %v, want one_sitting", stored)
	}
	if len(stored[i].Related) != 5 || stored[i].RaisedAt == "" || stored[i].Label == "" || stored[i].Reason == "" {
		t.Errorf("one_sitting on the visit is %+v, want its 5 other visits, a label, a reason and when it was raised", stored[i])
	}

	_, out := s.Do(presidium, http.MethodGet, "/api/verification/review?kind=one_sitting", nil)
	if !containsVisit(out, target) {
		t.Fatalf("the review queue by kind misses the visit: %v", out)
	}
	for _, it := range out["items"].([]any) {
		if m := it.(map[string]any); m["visit"] == target {
			flags := m["flags"].([]any)
			one := flags[slices.IndexFunc(flags, func(f any) bool { return f.(map[string]any)["kind"] == "one_sitting" })].(map[string]any)
			if one["status"] != "open" || len(one["related"].([]any)) != 5 {
				t.Errorf("the queue shows %v, want it open with its 5 related visits", one)
			}
		}
	}
	_, out = s.Do(presidium, http.MethodGet, "/api/verification/review?kind=late_upload", nil)
	if containsVisit(out, target) {
		t.Errorf("the queue for late_upload lists a visit without it")
	}

	// an edit of a judged field keeps the flag and when it was raised
	edited := testapp.WithBase(testapp.VisitRec(target, last["data"].(map[string]any)["household"].(string),
		iso(at.Add(15*time.Minute+30*time.Second)), map[string]any{"location": offset(100, 100)}), 1)
	testapp.WantOutcomes(t, s.Push(deputy, edited), "updated")
	after := storedFlags(t, s, target)
	j := slices.IndexFunc(after, func(f storedFlag) bool { return f.Kind == "one_sitting" })
	if j < 0 || after[j].RaisedAt != stored[i].RaisedAt {
		t.Errorf("after an edit the visit carries %+v, want one_sitting raised at %s", after, stored[i].RaisedAt)
	}
}

type storedFlag struct {
	Kind     string   `json:"kind"`
	Label    string   `json:"label"`
	Reason   string   `json:"reason"`
	Related  []string `json:"related"`
	RaisedAt string   `json:"raised_at"`
}

func storedFlags(t *testing.T, s *testapp.Server, visit string) []storedFlag {
	t.Helper()
	rec, err := s.App.FindRecordById("visits", visit)
	if err != nil {
		t.Fatal(err)
	}
	var out []storedFlag
	if err := json.Unmarshal([]byte(rec.GetString("flags")), &out); err != nil {
		t.Fatalf("flags of %s: %v", visit, err)
	}
	return out
}
