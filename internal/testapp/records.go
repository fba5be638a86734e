package testapp

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
)

// ClientID is a record id made on a phone (docs/SYNC.md).
func ClientID() string {
	return security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789")
}

// HouseholdRec is a new household as a phone pushes it.
func HouseholdRec(id, village, head, addr string) map[string]any {
	return map[string]any{"collection": "households", "id": id, "base_version": 0, "schema_version": 1,
		"data": map[string]any{"village": village, "head_name": head, "address": addr}}
}

// VisitRec is a new visit as a phone pushes it; extra adds or replaces data keys.
func VisitRec(id, household, visitedAt string, extra map[string]any) map[string]any {
	data := map[string]any{"household": household, "visited_at": visitedAt, "notes": "走访了解情况", "topics": []string{"道路交通"}}
	for k, v := range extra {
		data[k] = v
	}
	return map[string]any{"collection": "visits", "id": id, "base_version": 0, "schema_version": 1, "data": data}
}

// WithBase is rec pushed again as an edit of server version base.
func WithBase(rec map[string]any, base int) map[string]any {
	out := map[string]any{}
	for k, v := range rec {
		out[k] = v
	}
	out["base_version"] = base
	return out
}

// PhotoDecl declares photo b under key in a record's photo manifest.
func PhotoDecl(key string, b []byte) map[string]any {
	sum := sha256.Sum256(b)
	return map[string]any{"key": key, "sha256": hex.EncodeToString(sum[:]), "size": len(b)}
}

// Outcomes are the outcomes of push results, in order.
func Outcomes(res []map[string]any) []string {
	out := make([]string, len(res))
	for i, r := range res {
		out[i] = r["outcome"].(string)
	}
	return out
}

// WantOutcomes fails the test unless the push results have these outcomes.
func WantOutcomes(t testing.TB, res []map[string]any, want ...string) {
	t.Helper()
	got := Outcomes(res)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("outcomes %v, want %v; results %v", got, want, res)
	}
}

// CountWhere counts the records of collection matching a SQL condition.
func CountWhere(t testing.TB, app core.App, collection, filter string) int {
	t.Helper()
	n, err := app.CountRecords(collection, dbx.NewExp(filter))
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// RecordFromJSON is a new record of col holding the fields of body.
func RecordFromJSON(t testing.TB, col *core.Collection, body string) *core.Record {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Load(m)
	return r
}

// PNG is a valid w×h PNG; different shades give different bytes.
func PNG(t testing.TB, w, h int, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{shade, uint8(x * 7), uint8(y * 13), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// LazyBody reads *s when the request is built, i.e. after an ApiScenario's
// BeforeTestFunc has filled it in.
func LazyBody(s *string) io.Reader { return &lazyReader{s: s} }

type lazyReader struct {
	s *string
	r io.Reader
}

func (l *lazyReader) Read(p []byte) (int, error) {
	if l.r == nil {
		l.r = strings.NewReader(*l.s)
	}
	return l.r.Read(p)
}
