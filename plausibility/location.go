package plausibility

import "fmt"

// CheckLocation raises NoFix when the visit has no usable fix, and
// FarFromVillage when even the nearest point of the fix's accuracy circle
// lies more than s.FarBeyondM outside the village area. A fix whose circle
// overlaps the village area is never far. village nil (or without a
// position) skips the distance check.
func CheckLocation(v Visit, village *Village, s Settings) []Flag {
	s = s.Normalized()
	f, ok := v.usable(&s)
	if !ok {
		if !s.on(NoFix) {
			return nil
		}
		reason := "这次走访没有定位，无法核对走访地点"
		if v.Fix != nil && finite(v.Fix.AccuracyM) && v.Fix.AccuracyM > s.UncheckableAccuracyM {
			reason = fmt.Sprintf("定位精度约 %s，无法核对走访地点", distanceText(v.Fix.AccuracyM))
		}
		return []Flag{{Kind: NoFix, Visit: v.ID, Reason: reason}}
	}
	if !s.on(FarFromVillage) || village == nil || !village.valid() {
		return nil
	}
	beyond := distanceM(f.Lat, f.Lon, village.Lat, village.Lon) - village.RadiusM // from the village's edge
	if beyond-f.AccuracyM <= s.FarBeyondM {
		return nil
	}
	name := ""
	if village.Name != "" {
		name = "（" + village.Name + "）"
	}
	return []Flag{{Kind: FarFromVillage, Visit: v.ID,
		Reason: fmt.Sprintf("定位距离该户所在村%s约 %s（%s）", name, distanceText(beyond), accuracyText(f.AccuracyM))}}
}
