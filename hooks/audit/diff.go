package audit

import (
	"encoding/json"
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"simeng/pii"
)

// bookkeeping are fields the server keeps for itself (the offline sync's
// versions and hashes): left out of an entry unless asked for by name.
var bookkeeping = []string{"seq", "version", "received_at", "content_hash", "schema_version", "device", "photo_manifest", "complete"}

// Diff is {field: [old, new]} of the fields that differ between old and
// new (nil old: a creation; nil new: a deletion), over fields, or every
// field but the automatic dates, the token key and the sync bookkeeping
// when none are named. Hidden fields (phones, residents' names, hashes),
// passwords and sealed values are never recorded: they read Changed.
func Diff(old, new *core.Record, fields ...string) map[string][2]any {
	ref := new
	if ref == nil {
		ref = old
	}
	if ref == nil {
		return nil
	}
	out := map[string][2]any{}
	for _, f := range ref.Collection().Fields {
		name := f.GetName()
		if len(fields) > 0 {
			if !slices.Contains(fields, name) {
				continue
			}
		} else if name == core.FieldNameId || name == core.FieldNameTokenKey || f.Type() == core.FieldTypeAutodate || slices.Contains(bookkeeping, name) {
			continue
		}
		a, b := rawValue(old, f), rawValue(new, f)
		if sameValue(a, b) {
			continue
		}
		if f.GetHidden() || f.Type() == core.FieldTypePassword || isSealed(a) || isSealed(b) {
			a, b = masked(a), masked(b)
		}
		out[name] = [2]any{a, b}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// rawValue is the value r holds for f (a password: its hash), nil
// without a record.
func rawValue(r *core.Record, f core.Field) any {
	if r == nil {
		return nil
	}
	if f.Type() == core.FieldTypePassword {
		return r.GetString(f.GetName() + ":hash")
	}
	return r.Get(f.GetName())
}

// masked is what an entry says of a personal value: that there is one.
func masked(v any) any {
	if v == nil {
		return nil
	}
	if s, ok := v.(string); ok && s == "" {
		return ""
	}
	return Changed
}

func isSealed(v any) bool {
	s, ok := v.(string)
	return ok && pii.IsSealed(s)
}

func sameValue(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}
