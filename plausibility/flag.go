package plausibility

import (
	"slices"
	"time"
)

// Kind is the machine name of a check. The values are stored and sent to
// the phone; never rename one.
type Kind string

// The kinds of flags.
const (
	FarFromVillage Kind = "far_from_village"
	NoFix          Kind = "no_fix"
	TooFast        Kind = "too_fast"
	TooSoon        Kind = "too_soon"
	SamePhoto      Kind = "same_photo"
	SimilarPhoto   Kind = "similar_photo"
	OneSitting     Kind = "one_sitting"
	LateUpload     Kind = "late_upload"
	CallbackDenied Kind = "callback_denied"
)

// Kinds lists every kind, in the order a review list shows them.
var Kinds = []Kind{FarFromVillage, NoFix, TooFast, TooSoon, SamePhoto, SimilarPhoto, OneSitting, LateUpload, CallbackDenied}

var kindLabels = map[Kind]string{
	FarFromVillage: "定位远离所在村",
	NoFix:          "没有定位",
	TooFast:        "行程过快",
	TooSoon:        "间隔过短",
	SamePhoto:      "照片重复",
	SimilarPhoto:   "照片近似",
	OneSitting:     "集中新建走访",
	LateUpload:     "上传过迟",
	CallbackDenied: "回访否认",
}

// Label is the kind's short Chinese name, for lists and filters.
func (k Kind) Label() string { return kindLabels[k] }

// Flag is one reason to look at a visit again. There is at most one flag
// of each kind per visit; Related names the other visits involved.
type Flag struct {
	Kind    Kind     `json:"kind"`
	Visit   string   `json:"visit"`
	Reason  string   `json:"reason"`            // plain Chinese, for the presidium and the deputy
	Related []string `json:"related,omitempty"` // ids of the other visits involved, by time (at most MaxRelated)
}

// Inputs is what Evaluate judges a visit against.
type Inputs struct {
	Settings Settings
	// Villages by id; the visit's village without a position (not yet set
	// by staff) skips the distance check.
	Villages map[string]Village
	// Nearby are the deputy's other visits within Settings.Window() of the
	// visit's time (History.Near). More is fine: others, and the visit
	// itself (by its id), are passed over.
	Nearby []Visit
	// Photos are other visits' photos that may match the visit's
	// (PhotoIndex.Candidates). More is fine: non-matching ones are ignored.
	Photos []PhotoRef
}

// Evaluate runs every check that is on and returns the visit's flags in
// the order of Kinds.
func Evaluate(v Visit, in Inputs) []Flag {
	s := in.Settings.Normalized()
	var flags []Flag
	var village *Village
	if vil, ok := in.Villages[v.Village]; ok {
		village = &vil
	}
	flags = append(flags, CheckLocation(v, village, s)...)
	flags = append(flags, CheckPace(v, in.Nearby, s)...)
	flags = append(flags, CheckPhotos(v, in.Photos, s)...)
	flags = append(flags, CheckSitting(v, in.Nearby, s)...)
	flags = append(flags, CheckLate(v, s)...)
	return flags
}

// MaxRelated caps a flag's Related list: the reason already says how many
// visits are involved, and a push of visits that all share one time (a
// fabricated batch, or paper records typed in with one default time) must
// not make every flag, and so every push, grow with the deputy's year.
const MaxRelated = 20

// relatedIDs returns the ids of visits, ordered by time then id, once
// each, at most MaxRelated of them (the earliest). Visits already in that
// order (as History and CheckSitting give them) are not copied: a flag on
// a visit among hundreds at one time costs one pass, not a sort.
func relatedIDs(visits []*Visit) []string {
	if !slices.IsSortedFunc(visits, byTimeRef) {
		visits = slices.Clone(visits)
		slices.SortFunc(visits, byTimeRef)
	}
	ids := make([]string, 0, min(len(visits), MaxRelated))
	for _, v := range visits {
		if len(ids) == MaxRelated {
			break
		}
		if !slices.Contains(ids, v.ID) {
			ids = append(ids, v.ID)
		}
	}
	return ids
}

func byTime(a, b Visit) int { return byTimeRef(&a, &b) }

// byTimeRef is byTime without copying the visits (a crowd at one time is
// compared by id, visit after visit).
func byTimeRef(a, b *Visit) int {
	if c := a.VisitedAt.Compare(b.VisitedAt); c != 0 {
		return c
	}
	switch {
	case a.ID < b.ID:
		return -1
	case a.ID > b.ID:
		return 1
	}
	return 0
}

// absDur is |d|, saturating at the largest duration.
func absDur(d time.Duration) time.Duration {
	if d < 0 {
		if d == -1<<63 {
			return 1<<63 - 1
		}
		return -d
	}
	return d
}
