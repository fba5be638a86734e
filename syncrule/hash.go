package syncrule

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// ContentHash returns the lowercase hex SHA-256 of the canonical JSON form
// of fields, so that the same content hashes the same however it reached
// the server (request body, database row, another key order):
//   - object keys sorted (by their NFC form);
//   - strings and keys in NFC; invalid UTF-8 becomes U+FFFD, as it does when
//     the request body is decoded anyway;
//   - every number as a float64 (like JSON and JavaScript), -0 as 0, in the
//     shortest form that round-trips: 1, int64(1), 1.0 and json.Number("1.0")
//     are equal; NaN and ±Inf, which JSON lacks, get bare tokens of their own;
//   - time.Time, and anything with a Time() time.Time method such as
//     PocketBase's types.DateTime, as RFC 3339 UTC with as many fractional
//     digits as needed; the zero time as "" (PocketBase's empty date);
//   - nil slices and maps as [] and {}, like empty ones;
//   - other values through their JSON encoding. Values JSON cannot encode
//     (funcs, channels, cycles) hash by type and error only: keep them out.
//
// The caller must build fields the same way for both sides (same field
// list, same Go types for dates); nil and an absent key differ.
func ContentHash(fields map[string]any) string {
	var b bytes.Buffer
	writeCanonical(&b, fields, 0)
	sum := sha256.Sum256(b.Bytes())
	return hex.EncodeToString(sum[:])
}

// maxDepth bounds the canonical walk. Real content is a few levels deep;
// anything deeper is hashed by its plain JSON encoding, which is still
// deterministic and faithful, only not number- or NFC-normalized.
const maxDepth = 64

type timer interface{ Time() time.Time }

func writeCanonical(b *bytes.Buffer, v any, depth int) {
	if depth > maxDepth {
		raw, err := json.Marshal(v)
		if err != nil {
			writeString(b, fmt.Sprintf("<%T: %v>", v, err))
			return
		}
		b.Write(raw)
		return
	}
	// A nil pointer would panic in a Time or MarshalJSON method with a
	// value receiver.
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		b.WriteString("null")
		return
	}
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeString(b, v)
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil && !isRangeErr(err) {
			writeString(b, string(v))
			return
		}
		writeFloat(b, f)
	case time.Time:
		writeTime(b, v)
	case *time.Time:
		writeTime(b, *v)
	case timer:
		writeTime(b, v.Time())
	case map[string]any:
		writeMap(b, v, depth)
	case []any:
		writeSlice(b, reflect.ValueOf(v), depth)
	case json.Marshaler:
		writeViaJSON(b, v, depth)
	default:
		writeReflect(b, reflect.ValueOf(v), depth)
	}
}

func writeReflect(b *bytes.Buffer, rv reflect.Value, depth int) {
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		writeFloat(b, float64(rv.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		writeFloat(b, float64(rv.Uint()))
	case reflect.Float32, reflect.Float64:
		writeFloat(b, rv.Float())
	case reflect.String:
		writeString(b, rv.String())
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(rv.Bool()))
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			b.WriteString("null")
			return
		}
		writeCanonical(b, rv.Elem().Interface(), depth+1)
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			writeViaJSON(b, rv.Interface(), depth) // base64, as encoding/json does
			return
		}
		writeSlice(b, rv, depth)
	case reflect.Array:
		writeSlice(b, rv, depth)
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			writeViaJSON(b, rv.Interface(), depth)
			return
		}
		m := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			m[it.Key().String()] = it.Value().Interface()
		}
		writeMap(b, m, depth)
	default:
		writeViaJSON(b, rv.Interface(), depth)
	}
}

// writeViaJSON canonicalizes what encoding/json makes of v (structs,
// json.Marshaler types such as types.JSONRaw or types.GeoPoint).
func writeViaJSON(b *bytes.Buffer, v any, depth int) {
	raw, err := json.Marshal(v)
	if err != nil {
		writeString(b, fmt.Sprintf("<%T: %v>", v, err))
		return
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var decoded any
	if err := dec.Decode(&decoded); err != nil {
		writeString(b, string(raw))
		return
	}
	writeCanonical(b, decoded, depth+1)
}

func writeMap(b *bytes.Buffer, m map[string]any, depth int) {
	type entry struct {
		key string
		val []byte
	}
	entries := make([]entry, 0, len(m))
	for k, v := range m {
		var vb bytes.Buffer
		writeCanonical(&vb, v, depth+1)
		entries = append(entries, entry{norm.NFC.String(toValidUTF8(k)), vb.Bytes()})
	}
	// Two keys can share an NFC form; ordering by value too keeps the
	// output independent of map iteration order.
	slices.SortFunc(entries, func(x, y entry) int {
		return cmp.Or(cmp.Compare(x.key, y.key), bytes.Compare(x.val, y.val))
	})
	b.WriteByte('{')
	for i, e := range entries {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(b, e.key)
		b.WriteByte(':')
		b.Write(e.val)
	}
	b.WriteByte('}')
}

func writeSlice(b *bytes.Buffer, rv reflect.Value, depth int) {
	b.WriteByte('[')
	for i := range rv.Len() {
		if i > 0 {
			b.WriteByte(',')
		}
		writeCanonical(b, rv.Index(i).Interface(), depth+1)
	}
	b.WriteByte(']')
}

func writeString(b *bytes.Buffer, s string) {
	// json.Marshal of a string cannot fail.
	raw, _ := json.Marshal(norm.NFC.String(toValidUTF8(s)))
	b.Write(raw)
}

func toValidUTF8(s string) string {
	return strings.ToValidUTF8(s, "\uFFFD")
}

func writeFloat(b *bytes.Buffer, f float64) {
	switch {
	case math.IsNaN(f):
		b.WriteString("NaN")
	case math.IsInf(f, 1):
		b.WriteString("Infinity")
	case math.IsInf(f, -1):
		b.WriteString("-Infinity")
	case f == 0:
		b.WriteByte('0') // also -0
	default:
		b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	}
}

func writeTime(b *bytes.Buffer, t time.Time) {
	if t.IsZero() {
		writeString(b, "")
		return
	}
	writeString(b, t.UTC().Format(time.RFC3339Nano))
}

func isRangeErr(err error) bool {
	var ne *strconv.NumError
	return errors.As(err, &ne) && ne.Err == strconv.ErrRange
}
