package plausibility

// CountMode is the township's setting of which visits count toward the
// ≥12 households rule and the assessment.
type CountMode string

const (
	// CountAll counts every visit, whatever the review said.
	CountAll CountMode = "all"
	// CountNotExcluded counts every visit the presidium has not marked
	// "not counted". The default: flags alone never take a visit away.
	CountNotExcluded CountMode = "not_excluded"
	// CountConfirmedOnly counts only visits the household confirmed, by
	// signature on the phone or to a callback, and not marked "not counted".
	CountConfirmedOnly CountMode = "confirmed"
)

// CountModes lists the valid modes, the default first.
var CountModes = []CountMode{CountNotExcluded, CountAll, CountConfirmedOnly}

// Normalized returns m, or the default for an unknown or empty mode.
func (m CountMode) Normalized() CountMode {
	switch m {
	case CountAll, CountNotExcluded, CountConfirmedOnly:
		return m
	}
	return CountNotExcluded
}

// Decision is the presidium's review of a visit.
type Decision string

const (
	Undecided  Decision = ""
	Accepted   Decision = "accepted"    // looked at, stands (with a note)
	NotCounted Decision = "not_counted" // stays on record, does not count (with a reason the deputy sees)
)

// CallbackResult is what a callback (回访) found.
type CallbackResult string

const (
	NotCalled   CallbackResult = ""
	Confirmed   CallbackResult = "confirmed"   // the household says the visit happened
	Denied      CallbackResult = "denied"      // the household says it did not
	Unreachable CallbackResult = "unreachable" // nobody answered
)

// Standing is what counting needs of one visit.
type Standing struct {
	Visit    string
	Decision Decision
	Signed   bool           // the household signed on the phone
	Callback CallbackResult // the latest callback's result
}

// Confirmed reports whether the household confirmed the visit: it signed
// or confirmed to a callback, and no callback denied it (a denial outweighs
// a signature, which someone else may have drawn).
func (s Standing) Confirmed() bool {
	return (s.Signed || s.Callback == Confirmed) && s.Callback != Denied
}

// Counts reports whether a visit in standing s counts under mode m.
func (m CountMode) Counts(s Standing) bool {
	switch m.Normalized() {
	case CountAll:
		return true
	case CountConfirmedOnly:
		return s.Decision != NotCounted && s.Confirmed()
	}
	return s.Decision != NotCounted
}

// Counted returns the ids of the visits that count under m, in the order
// given. Pass what remains to visitpace.Count as visitpace.Visit values.
func Counted(m CountMode, standings []Standing) []string {
	ids := make([]string, 0, len(standings))
	for _, s := range standings {
		if m.Counts(s) {
			ids = append(ids, s.Visit)
		}
	}
	return ids
}
