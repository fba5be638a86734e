package plausibility

import (
	"math"
	"slices"
	"time"
)

// Settings are the thresholds of the checks, as the township sets them.
// A zero field means its default; to switch a check off, list its kind in
// Off. Each default below says why it is what it is: they are meant to
// leave honest field work in the mountain villages of Xupu county (溆浦县)
// unflagged and to catch visits typed at home.
type Settings struct {
	// FarBeyondM: a fix is far from the household's village when even the
	// nearest point of its accuracy circle lies more than this beyond the
	// village area (centre + radius). Default 3,000 m, because:
	//   - the village area is a circle staff draw by hand around scattered
	//     groups (组) along valleys; real houses fall outside it;
	//   - the accuracy a phone reports is a 68 % radius, and in steep
	//     valleys reflections put fixes farther off than it says;
	//   - deputies honestly meet households in the fields, at the village
	//     committee or on the road to the market, a few kilometres off;
	//   - a visit typed at home in another village or in town is usually
	//     farther away than that, so the flag still catches it.
	FarBeyondM float64 `json:"far_beyond_m,omitempty"`
	// UncheckableAccuracyM: a fix less accurate than this cannot place the
	// visit at all (its circle is as wide as the township) and counts as no
	// fix. Default 10,000 m. Cell-tower fixes of 1–5 km, common indoors
	// where GPS does not lock, stay fixes and are judged with their circle.
	UncheckableAccuracyM float64 `json:"uncheckable_accuracy_m,omitempty"`
	// MaxSpeedKmh: two visits to different households are too fast when the
	// straight-line distance between their fixes, less both accuracies,
	// needs more than this speed. Default 60 km/h: hill roads wind well
	// beyond the straight line, so 60 km/h straight-line means 80 km/h or
	// more on village roads, where a motorbike or car averages far less;
	// nobody does that between two houses.
	MaxSpeedKmh float64 `json:"max_speed_kmh,omitempty"`
	// MinGapNoFixMin: without fixes on both visits, two visits to different
	// households less than this many minutes apart are too soon. Default
	// 5: greeting a household, hearing its problems and writing them down
	// takes longer than that even next door.
	MinGapNoFixMin int `json:"min_gap_no_fix_min,omitempty"`
	// PaceWindowMin: how far apart in time two visits are still compared
	// for speed. Default 120: at 60 km/h that is 120 km, more than any two
	// places of the township are apart, so a longer window finds nothing.
	PaceWindowMin int `json:"pace_window_min,omitempty"`
	// SittingHouseholds and SittingWindowMin: a deputy who creates and
	// first visits this many households within this many minutes is flagged
	// (one sitting, 一次性集中录入). Defaults 5 in 30: a first visit means
	// introducing oneself, registering the household (name, address,
	// phone), hearing its problems and usually a photo; five of them in
	// half an hour leaves six minutes each, walking included. Twelve
	// households in ten minutes, the case the issue names, is far beyond.
	SittingHouseholds int `json:"sitting_households,omitempty"`
	SittingWindowMin  int `json:"sitting_window_min,omitempty"`
	// NewHouseholdSlackH: a household is new at a visit when the visiting
	// deputy created it and the server received it no earlier than this
	// many hours before the visit's stated time. Households carry only the
	// server's time; a visit's time is the phone's, which may run ahead by
	// up to 48 hours before the sync refuses it (docs/SYNC.md). Default 48.
	NewHouseholdSlackH int `json:"new_household_slack_h,omitempty"`
	// OfflinePeriodH: a visit the server receives more than this many hours
	// after its stated time was recorded late. Default 72: deputies record
	// in villages without signal and sync when they next have it, mostly
	// the same day at home or at the village committee; a Friday visit
	// synced on Monday is 72 hours. Where deputies only reach a signal at
	// the township seat on market day (逢四逢九, every five days), set 120.
	// Visits typed up weeks later to catch up the pace, dated back to the
	// months they belong to, stand out.
	OfflinePeriodH int `json:"offline_period_h,omitempty"`
	// SimilarPhotoMaxBits: two photos are near-duplicates when their 64-bit
	// perceptual hashes (PHash) differ in at most this many bits. Default 8:
	// re-encoding, resizing, brightness, contrast, noise or a 2 % crop of the
	// same photo stayed within 8 bits on generated photos, while different
	// scenes were 16 or more apart (phash_test.go; unrelated photos average
	// 32). A deeper crop escapes any global hash; the exact sha256 and the
	// callbacks remain.
	SimilarPhotoMaxBits int `json:"similar_photo_max_bits,omitempty"`
	// Off lists the kinds of flags the township does not want raised.
	Off []Kind `json:"off,omitempty"`
}

// Defaults of Settings.
const (
	DefaultFarBeyondM           = 3000.0
	DefaultUncheckableAccuracyM = 10000.0
	DefaultMaxSpeedKmh          = 60.0
	DefaultMinGapNoFixMin       = 5
	DefaultPaceWindowMin        = 120
	DefaultSittingHouseholds    = 5
	DefaultSittingWindowMin     = 30
	DefaultNewHouseholdSlackH   = 48
	DefaultOfflinePeriodH       = 72
	DefaultSimilarPhotoMaxBits  = 8
)

// Caps that keep absurd settings from overflowing durations: a day for the
// windows (neighbours are read from the database by them), a year for
// periods.
const (
	maxWindowMin = 24 * 60
	maxPeriodH   = 366 * 24
)

// Normalized returns s with the defaults filled in for zero, negative or
// non-finite fields.
func (s Settings) Normalized() Settings {
	s.FarBeyondM = orFloat(s.FarBeyondM, DefaultFarBeyondM)
	s.UncheckableAccuracyM = orFloat(s.UncheckableAccuracyM, DefaultUncheckableAccuracyM)
	s.MaxSpeedKmh = orFloat(s.MaxSpeedKmh, DefaultMaxSpeedKmh)
	s.MinGapNoFixMin = min(orInt(s.MinGapNoFixMin, DefaultMinGapNoFixMin), maxWindowMin)
	s.PaceWindowMin = min(orInt(s.PaceWindowMin, DefaultPaceWindowMin), maxWindowMin)
	s.SittingHouseholds = max(orInt(s.SittingHouseholds, DefaultSittingHouseholds), 2)
	s.SittingWindowMin = min(orInt(s.SittingWindowMin, DefaultSittingWindowMin), maxWindowMin)
	s.NewHouseholdSlackH = min(orInt(s.NewHouseholdSlackH, DefaultNewHouseholdSlackH), maxPeriodH)
	s.OfflinePeriodH = min(orInt(s.OfflinePeriodH, DefaultOfflinePeriodH), maxPeriodH)
	s.SimilarPhotoMaxBits = min(orInt(s.SimilarPhotoMaxBits, DefaultSimilarPhotoMaxBits), 32)
	return s
}

// Window is how far in time, either side of a visit, the checks look at
// the deputy's other visits: the neighbours a caller must pass as Nearby.
func (s Settings) Window() time.Duration {
	s = s.Normalized()
	return max(s.minGapNoFix(), s.paceWindow(), s.sittingWindow())
}

func (s Settings) on(k Kind) bool { return !slices.Contains(s.Off, k) }

func (s Settings) minGapNoFix() time.Duration {
	return time.Duration(s.MinGapNoFixMin) * time.Minute
}
func (s Settings) paceWindow() time.Duration { return time.Duration(s.PaceWindowMin) * time.Minute }
func (s Settings) sittingWindow() time.Duration {
	return time.Duration(s.SittingWindowMin) * time.Minute
}
func (s Settings) newHouseholdSlack() time.Duration {
	return time.Duration(s.NewHouseholdSlackH) * time.Hour
}
func (s Settings) offlinePeriod() time.Duration {
	return time.Duration(s.OfflinePeriodH) * time.Hour
}

func orFloat(v, def float64) float64 {
	if v > 0 && !math.IsInf(v, 0) {
		return v
	}
	return def
}

func orInt(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
