package syncrule

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// dateTime mimics PocketBase's types.DateTime without importing PocketBase.
type dateTime struct{ t time.Time }

func (d dateTime) Time() time.Time              { return d.t }
func (d dateTime) MarshalJSON() ([]byte, error) { return []byte(`"not used"`), nil }

type point struct {
	Lon float64 `json:"lon"`
	Lat float64 `json:"lat"`
}

func TestContentHashEqual(t *testing.T) {
	when := time.Date(2025, 3, 1, 18, 30, 0, 500_000_000, time.FixedZone("CST", 8*3600))
	tests := []struct {
		name string
		a, b map[string]any
	}{
		{"int and float", map[string]any{"n": 1}, map[string]any{"n": 1.0}},
		{"int64 and json.Number", map[string]any{"n": int64(12)}, map[string]any{"n": json.Number("12.0")}},
		{"exponent", map[string]any{"n": json.Number("1e2")}, map[string]any{"n": uint8(100)}},
		{"negative zero", map[string]any{"n": math.Copysign(0, -1)}, map[string]any{"n": 0}},
		{"float32", map[string]any{"n": float32(0.5)}, map[string]any{"n": 0.5}},
		{"NFC", map[string]any{"s": "e\u0301"}, map[string]any{"s": "\u00e9"}},
		{"NFC key", map[string]any{"cafe\u0301": 1}, map[string]any{"caf\u00e9": 1}},
		{"time zone", map[string]any{"t": when}, map[string]any{"t": when.UTC()}},
		{"time as string", map[string]any{"t": when}, map[string]any{"t": "2025-03-01T10:30:00.5Z"}},
		{"time pointer", map[string]any{"t": &when}, map[string]any{"t": when}},
		{"DateTime-like", map[string]any{"t": dateTime{when}}, map[string]any{"t": when}},
		{"zero time is empty", map[string]any{"t": time.Time{}}, map[string]any{"t": ""}},
		{"zero DateTime is empty", map[string]any{"t": dateTime{}}, map[string]any{"t": ""}},
		{"typed slice", map[string]any{"l": []string{"a", "b"}}, map[string]any{"l": []any{"a", "b"}}},
		{"nil slice", map[string]any{"l": []string(nil)}, map[string]any{"l": []any{}}},
		{"typed map", map[string]any{"m": map[string]int{"x": 1, "y": 2}}, map[string]any{"m": map[string]any{"y": 2.0, "x": 1.0}}},
		{"struct", map[string]any{"p": point{110.5, 27.9}}, map[string]any{"p": map[string]any{"lat": 27.9, "lon": 110.5}}},
		{"raw JSON", map[string]any{"j": json.RawMessage(`{"b":1, "a":[1.0]}`)}, map[string]any{"j": map[string]any{"a": []any{1}, "b": 1}}},
		{"nil pointer", map[string]any{"p": (*dateTime)(nil)}, map[string]any{"p": nil}},
		{"invalid UTF-8", map[string]any{"s": "a\xff"}, map[string]any{"s": "a\uFFFD"}},
	}
	for _, tt := range tests {
		a, b := ContentHash(tt.a), ContentHash(tt.b)
		if a != b {
			t.Errorf("%s: hashes differ", tt.name)
		}
		if !hex64.MatchString(a) {
			t.Errorf("%s: hash %q is not 64 hex chars", tt.name, a)
		}
	}
}

func TestContentHashDiffer(t *testing.T) {
	tests := []struct {
		name string
		a, b map[string]any
	}{
		{"value", map[string]any{"n": 1}, map[string]any{"n": 2}},
		{"number vs string", map[string]any{"n": 1}, map[string]any{"n": "1"}},
		{"null vs absent", map[string]any{"n": nil}, map[string]any{}},
		{"null vs empty string", map[string]any{"n": nil}, map[string]any{"n": ""}},
		{"bool vs string", map[string]any{"b": true}, map[string]any{"b": "true"}},
		{"NaN vs string", map[string]any{"n": math.NaN()}, map[string]any{"n": "NaN"}},
		{"Inf vs -Inf", map[string]any{"n": math.Inf(1)}, map[string]any{"n": math.Inf(-1)}},
		{"key moved into value", map[string]any{"a": "b:c"}, map[string]any{"a:b": "c"}},
		{"list order", map[string]any{"l": []any{1, 2}}, map[string]any{"l": []any{2, 1}}},
		{"nanoseconds", map[string]any{"t": time.Unix(1, 1)}, map[string]any{"t": time.Unix(1, 2)}},
		{"whitespace", map[string]any{"s": "a b"}, map[string]any{"s": "ab"}},
	}
	for _, tt := range tests {
		if ContentHash(tt.a) == ContentHash(tt.b) {
			t.Errorf("%s: hashes are equal", tt.name)
		}
	}
}

func TestContentHashOddValues(t *testing.T) {
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	list := []any{nil}
	list[0] = list
	for _, v := range []any{cyclic, list, func() {}, make(chan int), struct{ F float64 }{math.NaN()}, map[int]string{2: "b", 1: "a"}, []byte("hi"), [2]int{1, 2}, complex(1, 2)} {
		h1 := ContentHash(map[string]any{"v": v})
		h2 := ContentHash(map[string]any{"v": v})
		if h1 != h2 || !hex64.MatchString(h1) {
			t.Errorf("%T: unstable or malformed hash", v)
		}
	}
}

// jsonObject writes an object with the members in the given order.
func jsonObject(keys []string, vals []any, order []int) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, j := range order {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(keys[j])
		v, _ := json.Marshal(vals[j])
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func decodeJSON(t *testing.T, data []byte, useNumber bool) (map[string]any, bool) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	if useNumber {
		dec.UseNumber()
	}
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, false
	}
	return m, true
}

func FuzzContentHash(f *testing.F) {
	f.Add("note", "household", "photos", "张三 e\u0301", 3.5, int64(42), int64(1740825000), false, []byte(`{"a":[1,2.0,{"b":null}]}`))
	f.Add("", "a", "b", "", 0.0, int64(0), int64(0), true, []byte(`[]`))
	f.Add("x", "x", "x\u0301", "\xff", -0.0, int64(-1), int64(-62135596800), false, []byte(`{"n":1e400}`))
	f.Add("k", "K", "ｋ", "ﾊﾞ", 1e21, int64(1)<<53+1, int64(253402300799), true, []byte("\xff"))
	f.Fuzz(func(t *testing.T, k1, k2, k3, s string, fl float64, i, sec int64, b bool, data []byte) {
		// encoding/json turns invalid UTF-8 into U+FFFD, which can make keys equal.
		k1, k2, k3 = strings.ToValidUTF8(k1, "\uFFFD"), strings.ToValidUTF8(k2, "\uFFFD"), strings.ToValidUTF8(k3, "\uFFFD")
		keys := []string{k1, k2, k3}
		vals := []any{s, fl, []any{i, b, map[string]any{k1: s}}}
		if k1 == k2 || k2 == k3 || k1 == k3 {
			// Duplicate JSON keys: the last one wins, so order matters.
			keys = []string{k1 + "1", k2 + "2", k3 + "3"}
		}

		// Key order in the request body does not matter.
		fwd, okF := decodeJSON(t, jsonObject(keys, vals, []int{0, 1, 2}), false)
		rev, okR := decodeJSON(t, jsonObject(keys, vals, []int{2, 1, 0}), false)
		mid, okM := decodeJSON(t, jsonObject(keys, vals, []int{1, 2, 0}), true)
		if okF && okR && okM {
			h := ContentHash(fwd)
			if ContentHash(rev) != h || ContentHash(mid) != h {
				t.Fatalf("key order or number decoding changed the hash")
			}
		}

		// Go-side maps built in different orders, numbers in different types.
		m1 := map[string]any{}
		m2 := map[string]any{}
		for j := range keys {
			m1[keys[j]] = vals[j]
		}
		for j := len(keys) - 1; j >= 0; j-- {
			m2[keys[j]] = vals[j]
		}
		m2[keys[2]] = []any{float64(i), b, map[string]any{norm.NFD.String(k1): norm.NFD.String(s)}}
		if ContentHash(m1) != ContentHash(m2) {
			t.Fatalf("map order, int vs float or NFD changed the hash")
		}

		// Times are instants: zone and representation do not matter.
		if sec > -1e11 && sec < 1e11 {
			tm := time.Unix(sec, int64(fl)%1e9)
			shanghai := time.FixedZone("CST", 8*3600)
			if ContentHash(map[string]any{"t": tm}) != ContentHash(map[string]any{"t": tm.In(shanghai)}) {
				t.Fatalf("time zone changed the hash")
			}
			if !tm.IsZero() && ContentHash(map[string]any{"t": tm}) != ContentHash(map[string]any{"t": tm.UTC().Format(time.RFC3339Nano)}) {
				t.Fatalf("time vs its RFC 3339 string")
			}
		}

		// Arbitrary request bodies never panic.
		var anyBody any
		if json.Unmarshal(data, &anyBody) == nil {
			ContentHash(map[string]any{"body": anyBody})
		}
		ContentHash(map[string]any{"raw": json.RawMessage(data), strings.ToValidUTF8(string(data), ""): data})
	})
}
