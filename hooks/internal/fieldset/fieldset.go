// Package fieldset sets a field of a record as core.Record.Set does, for
// the hooks that stamp a field on every save.
//
// Record.Set asks every field of the collection in turn whether it takes
// the key, each building the keys of its modifiers ("seq+", "+seq", …) to
// compare: a couple of µs for one field of a visit (some 40 fields), and a
// visit's save stamps several.
package fieldset

import "github.com/pocketbase/pocketbase/core"

// Set sets the field name of rec to value, exactly as rec.Set(name, value)
// does for a plain field name (no modifier): through the field's own
// setter, or its PrepareValue. A name that is no field of the collection
// goes to rec.Set.
func Set(rec *core.Record, name string, value any) {
	f := rec.Collection().Fields.GetByName(name)
	if f == nil {
		rec.Set(name, value)
		return
	}
	if sf, ok := f.(core.SetterFinder); ok {
		if setter := sf.FindSetter(name); setter != nil {
			setter(rec, value)
			return
		}
	}
	v, _ := f.PrepareValue(rec, value)
	rec.SetRaw(name, v)
}
