package plausibility

import (
	"math"
	"time"
)

// Visit is one visit as the checks see it.
type Visit struct {
	ID        string
	Deputy    string
	Household string
	Village   string // the household's village
	// HouseholdCreated is when the server first stored the household;
	// HouseholdCreator the deputy who recorded it.
	HouseholdCreated time.Time
	HouseholdCreator string
	VisitedAt        time.Time // the phone's time (visited_at)
	ReceivedAt       time.Time // the server's time of first receipt; zero if unknown
	// SentAt is the phone's clock when it sent the push that delivered the
	// visit (the push's sent_at); zero if unknown. Only used to explain a
	// late upload by a phone clock that runs behind.
	SentAt time.Time
	Fix    *Fix // nil: the phone gave no position
	Photos []Photo
}

// Fix is a GPS position as the phone reported it.
type Fix struct {
	Lat, Lon float64
	// AccuracyM is the radius (metres) the phone reports; browsers give a
	// 68 % confidence radius. 0 when the phone gave none.
	AccuracyM float64
}

// Village is a village's position as data staff maintain it: a centre and
// a radius (metres) that covers its houses.
type Village struct {
	ID      string
	Name    string
	Lat     float64
	Lon     float64
	RadiusM float64
}

// valid reports whether staff have set the village's position.
func (v Village) valid() bool {
	return finite(v.Lat) && finite(v.Lon) && v.Lat >= -90 && v.Lat <= 90 && v.Lon >= -180 && v.Lon <= 180 &&
		!(v.Lat == 0 && v.Lon == 0) && finite(v.RadiusM) && v.RadiusM >= 0
}

// usable returns the fix if it can place the visit, with its accuracy
// made non-negative; ok is false for no fix, a position off the globe,
// or one less accurate than s.UncheckableAccuracyM.
func (v *Visit) usable(s *Settings) (f Fix, ok bool) {
	if v.Fix == nil {
		return Fix{}, false
	}
	f = *v.Fix
	if !finite(f.Lat) || !finite(f.Lon) || f.Lat < -90 || f.Lat > 90 || f.Lon < -180 || f.Lon > 180 {
		return Fix{}, false
	}
	if !finite(f.AccuracyM) || f.AccuracyM < 0 {
		f.AccuracyM = 0
	}
	if f.AccuracyM > s.UncheckableAccuracyM {
		return Fix{}, false
	}
	return f, true
}

// newHousehold reports whether v's household was created for this visit:
// by the visiting deputy, received by the server no earlier than the slack
// before the visit's stated time.
func (v *Visit) newHousehold(slack time.Duration) bool {
	return v.HouseholdCreator != "" && v.HouseholdCreator == v.Deputy && !v.HouseholdCreated.IsZero() &&
		!v.HouseholdCreated.Before(v.VisitedAt.Add(-slack))
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// earthRadiusM is the mean radius of the Earth (IUGG).
const earthRadiusM = 6371008.8

// distanceAtMostM is a bound from above on distanceM without a
// trigonometric function: the path straight in latitude and longitude is
// no shorter than the great circle, and its length is at most R·√(Δφ²+Δλ²)
// since cos φ ≤ 1. A check that only asks "within d?" settles most pairs
// with it (a crowd of visits at one place and time costs one square root a
// pair, not five trigonometric calls).
func distanceAtMostM(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	// The margin covers the rounding of both formulas.
	return earthRadiusM * math.Sqrt(dLat*dLat+dLon*dLon) * (1 + 1e-9)
}

// distanceM is the great-circle (haversine) distance in metres.
func distanceM(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusM * math.Asin(math.Sqrt(min(1, a)))
}
