package fieldset_test

import (
	"reflect"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/internal/fieldset"
	"simeng/internal/testapp"
)

// Set leaves a record as Record.Set does, for every kind of field a
// visit has and the values the hooks and the phones set.
func TestSetAsRecordSet(t *testing.T) {
	app := testapp.New(t)
	visits := testapp.Collection(t, app, "visits")
	values := []any{nil, "", "abc", "12", 7, int64(42), 3.5, true, false, "true", "[]", `[{"kind":"late_upload"}]`,
		types.JSONRaw(`[]`), []string{"a", "b"}, map[string]any{"lat": 27.7, "lon": 110.5}, "2026-03-01 08:00:00.000Z",
		types.NowDateTime()}
	seen := map[string]bool{}
	for _, f := range visits.Fields {
		seen[f.Type()] = true
		for _, v := range values {
			want, got := core.NewRecord(visits), core.NewRecord(visits)
			want.Set(f.GetName(), v)
			fieldset.Set(got, f.GetName(), v)
			if w, g := want.GetRaw(f.GetName()), got.GetRaw(f.GetName()); !reflect.DeepEqual(w, g) {
				t.Errorf("%s (%s) = %#v: Set stored %#v, fieldset.Set %#v", f.GetName(), f.Type(), v, w, g)
			}
		}
	}
	for _, kind := range []string{"text", "number", "bool", "json", "relation", "date", "file", "geoPoint", "autodate"} {
		if !seen[kind] {
			t.Errorf("visits has no %s field: the test does not try one", kind)
		}
	}
	r := core.NewRecord(visits)
	fieldset.Set(r, "not_a_field", 5)
	if r.GetRaw("not_a_field") != 5 {
		t.Errorf("a custom key is stored as %#v, want 5 as Record.Set stores it", r.GetRaw("not_a_field"))
	}
}
