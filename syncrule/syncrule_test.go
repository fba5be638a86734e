package syncrule

import (
	"math"
	"net/http"
	"testing"
)

const (
	id    = "abc123def456ghi"
	alice = "alice0000000001"
	bob   = "bob000000000001"
)

var schema = [2]int{2, 5}

func TestDecide(t *testing.T) {
	live := Existing{Found: true, OwnerID: alice, Hash: "h1", Version: 3}
	tests := []struct {
		name        string
		in          Incoming
		ex          Existing
		want        Outcome
		wantVersion int
		wantCode    string
	}{
		{"new record", Incoming{id, alice, "h1", 0, 5}, Existing{}, Create, 1, CodeCreated},
		{"new record, stale BaseVersion ignored", Incoming{id, alice, "h1", 7, 5}, Existing{}, Create, 1, CodeCreated},
		{"old schema accepted", Incoming{id, alice, "h1", 0, 1}, Existing{}, Create, 1, CodeCreated},
		{"schema 0 accepted", Incoming{id, alice, "h1", 0, 0}, Existing{}, Create, 1, CodeCreated},
		{"schema too new", Incoming{id, alice, "h1", 0, 6}, Existing{}, Reject, 0, CodeSchemaTooNew},
		{"schema too new beats found", Incoming{id, alice, "h1", 3, 6}, live, Reject, 0, CodeSchemaTooNew},
		{"id too short", Incoming{"abc", alice, "h1", 0, 5}, Existing{}, Reject, 0, CodeInvalidID},
		{"id upper case", Incoming{"ABC123DEF456GHI", alice, "h1", 0, 5}, Existing{}, Reject, 0, CodeInvalidID},
		{"id with dash", Incoming{"abc123def456gh-", alice, "h1", 0, 5}, Existing{}, Reject, 0, CodeInvalidID},
		{"id empty", Incoming{"", alice, "h1", 0, 5}, Existing{}, Reject, 0, CodeInvalidID},
		{"no owner", Incoming{id, "", "h1", 0, 5}, Existing{Found: true}, Reject, 0, CodeMissingOwner},
		{"no hash", Incoming{id, alice, "", 0, 5}, Existing{Found: true, OwnerID: alice}, Reject, 0, CodeMissingHash},
		{"retry after lost reply", Incoming{id, alice, "h1", 0, 5}, live, AlreadyHave, 3, CodeAlreadyHave},
		{"retry of an update", Incoming{id, alice, "h1", 2, 5}, live, AlreadyHave, 3, CodeAlreadyHave},
		{"same content, future BaseVersion", Incoming{id, alice, "h1", 9, 5}, live, AlreadyHave, 3, CodeAlreadyHave},
		{"edit of current version", Incoming{id, alice, "h2", 3, 5}, live, Update, 4, CodeUpdated},
		{"edit of stale version", Incoming{id, alice, "h2", 2, 5}, live, Conflict, 3, CodeConflict},
		{"edit of future version", Incoming{id, alice, "h2", 4, 5}, live, Conflict, 3, CodeConflict},
		{"new on phone, different on server", Incoming{id, alice, "h2", 0, 5}, live, Conflict, 3, CodeConflict},
		{"other owner", Incoming{id, bob, "h1", 3, 5}, live, Forbidden, 0, CodeForbidden},
		{"other owner's tombstone", Incoming{id, bob, "h1", 3, 5}, Existing{Found: true, OwnerID: alice, Hash: "h1", Version: 3, Deleted: true}, Forbidden, 0, CodeForbidden},
		{"tombstone, same content", Incoming{id, alice, "h1", 3, 5}, Existing{Found: true, OwnerID: alice, Hash: "h1", Version: 3, Deleted: true}, Gone, 0, CodeGone},
		{"tombstone, new content", Incoming{id, alice, "h2", 3, 5}, Existing{Found: true, OwnerID: alice, Hash: "h1", Version: 3, Deleted: true}, Gone, 0, CodeGone},
		{"legacy row without hash", Incoming{id, alice, "h2", 3, 5}, Existing{Found: true, OwnerID: alice, Version: 3}, Update, 4, CodeUpdated},
		{"version limit", Incoming{id, alice, "h2", math.MaxInt, 5}, Existing{Found: true, OwnerID: alice, Hash: "h1", Version: math.MaxInt}, Reject, 0, CodeVersionLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(tt.in, tt.ex, schema)
			if d.Outcome != tt.want || d.NewVersion != tt.wantVersion || d.Code != tt.wantCode {
				t.Errorf("Decide = %v/%d/%q, want %v/%d/%q", d.Outcome, d.NewVersion, d.Code, tt.want, tt.wantVersion, tt.wantCode)
			}
			if d.Reason == "" {
				t.Error("empty Reason")
			}
		})
	}
}

func TestOutcomeHTTPStatus(t *testing.T) {
	want := map[Outcome]int{
		Create:      http.StatusCreated,
		AlreadyHave: http.StatusOK,
		Update:      http.StatusOK,
		Conflict:    http.StatusConflict,
		Forbidden:   http.StatusForbidden,
		Gone:        http.StatusGone,
		Reject:      http.StatusUnprocessableEntity,
		0:           http.StatusInternalServerError,
		99:          http.StatusInternalServerError,
	}
	for o, code := range want {
		if got := OutcomeHTTPStatus(o); got != code {
			t.Errorf("OutcomeHTTPStatus(%v) = %d, want %d", o, got, code)
		}
	}
}

func TestOutcomeString(t *testing.T) {
	want := map[Outcome]string{
		Create: "Create", AlreadyHave: "AlreadyHave", Update: "Update", Conflict: "Conflict",
		Forbidden: "Forbidden", Gone: "Gone", Reject: "Reject", 0: "Outcome(0)", 42: "Outcome(42)",
	}
	for o, s := range want {
		if got := o.String(); got != s {
			t.Errorf("Outcome(%d).String() = %q, want %q", int(o), got, s)
		}
	}
}

func TestValidID(t *testing.T) {
	for _, s := range []string{"abc123def456ghi", "000000000000000", "zzzzzzzzzzzzzzz"} {
		if !ValidID(s) {
			t.Errorf("ValidID(%q) = false", s)
		}
	}
	for _, s := range []string{"", "abc123def456gh", "abc123def456ghij", "abc123def456gh_", "abc123dEf456ghi", "abc123def456gh\u00e9", "abc123def456 gh"} {
		if ValidID(s) {
			t.Errorf("ValidID(%q) = true", s)
		}
	}
}

func FuzzDecide(f *testing.F) {
	f.Add(id, alice, "h1", 0, 5, false, "", "", 0, false, 2, 5)
	f.Add(id, alice, "h1", 0, 5, true, alice, "h1", 3, false, 2, 5)
	f.Add(id, alice, "h2", 3, 5, true, alice, "h1", 3, false, 2, 5)
	f.Add(id, alice, "h2", 2, 5, true, alice, "h1", 3, false, 2, 5)
	f.Add(id, bob, "h1", 3, 5, true, alice, "h1", 3, true, 2, 5)
	f.Add(id, alice, "h1", 3, 5, true, alice, "h1", 3, true, 2, 5)
	f.Add(id, alice, "h1", 0, 9, true, alice, "h1", 3, false, 2, 5)
	f.Add("bad", alice, "h1", 0, 1, false, "", "", 0, false, 2, 5)
	f.Add(id, alice, "h2", math.MaxInt, 5, true, alice, "h1", math.MaxInt, false, 2, 5)
	f.Add(id, "", "", math.MinInt, math.MinInt, true, "", "", math.MinInt, false, math.MaxInt, math.MinInt)
	f.Fuzz(func(t *testing.T, inID, inOwner, inHash string, base, schemaV int,
		found bool, exOwner, exHash string, exVersion int, deleted bool, minS, maxS int) {
		in := Incoming{ID: inID, OwnerID: inOwner, Hash: inHash, BaseVersion: base, SchemaVersion: schemaV}
		ex := Existing{Found: found, OwnerID: exOwner, Hash: exHash, Version: exVersion, Deleted: deleted}
		d := Decide(in, ex, [2]int{minS, maxS})

		if d.Code == "" || d.Reason == "" {
			t.Fatalf("empty Code or Reason: %+v", d)
		}
		if OutcomeHTTPStatus(d.Outcome) == http.StatusInternalServerError {
			t.Fatalf("unknown outcome %v", d.Outcome)
		}
		accepted := ValidID(inID) && inOwner != "" && inHash != "" && schemaV <= maxS
		if !accepted && d.Outcome != Reject {
			t.Fatalf("invalid input not rejected: %+v → %+v", in, d)
		}

		wantAlready := accepted && found && exOwner == inOwner && !deleted && exHash == inHash
		if (d.Outcome == AlreadyHave) != wantAlready {
			t.Fatalf("AlreadyHave = %v, want %v: %+v %+v", d.Outcome == AlreadyHave, wantAlready, in, ex)
		}
		if (d.Outcome == Create) != (accepted && !found) {
			t.Fatalf("Create = %v, want %v", d.Outcome == Create, accepted && !found)
		}
		switch d.Outcome {
		case Create:
			if d.NewVersion != 1 {
				t.Fatalf("Create with version %d", d.NewVersion)
			}
		case AlreadyHave, Conflict:
			if d.NewVersion != exVersion {
				t.Fatalf("%v changed the version: %d → %d", d.Outcome, exVersion, d.NewVersion)
			}
		case Update:
			if base != exVersion || d.NewVersion != exVersion+1 || d.NewVersion <= exVersion {
				t.Fatalf("bad Update: base %d, server %d, new %d", base, exVersion, d.NewVersion)
			}
		case Forbidden:
			if !found || exOwner == inOwner {
				t.Fatalf("Forbidden for own or missing record")
			}
		case Gone:
			if !found || !deleted || exOwner != inOwner {
				t.Fatalf("Gone without an own tombstone")
			}
		case Reject:
			if d.NewVersion != 0 {
				t.Fatalf("Reject with a version")
			}
		}
		if found && d.Outcome != Create && d.Outcome != Reject && d.Outcome != Forbidden && d.Outcome != Gone && d.NewVersion < exVersion {
			t.Fatalf("version went backwards: %d → %d", exVersion, d.NewVersion)
		}
		if d.Outcome == Conflict && (!found || deleted || exOwner != inOwner || exHash == inHash || base == exVersion) {
			t.Fatalf("Conflict when it should not be: %+v %+v", in, ex)
		}
	})
}
