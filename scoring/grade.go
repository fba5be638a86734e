package scoring

import (
	"fmt"
	"sort"
)

// GradeOf returns the name of the highest grade whose Min the total reaches,
// ignoring the households cap. It returns "" only for rules that fail Validate.
func (r Rules) GradeOf(total float64) string {
	g, _ := r.grade(total)
	return g.Name
}

func (r Rules) grade(total float64) (GradeThreshold, bool) {
	for _, g := range r.sortedGrades() {
		if total >= g.Min {
			return g, true
		}
	}
	return GradeThreshold{}, false
}

func (r Rules) sortedGrades() []GradeThreshold {
	gs := append([]GradeThreshold(nil), r.Grades...)
	sort.Slice(gs, func(i, j int) bool { return gs[i].Min > gs[j].Min })
	return gs
}

// applyGrade sets the grade, lowering it to CappedGrade when the deputy
// visited fewer households than required (R3: 全年走访选民不少于12户).
func (r Rules) applyGrade(res *Result, households float64) {
	g, _ := r.grade(res.Total)
	res.Grade = g.Name
	if r.HouseholdsRequired <= 0 || households >= float64(r.HouseholdsRequired) {
		return
	}
	for _, c := range r.Grades {
		if c.Name == r.CappedGrade && g.Min > c.Min {
			res.Grade = c.Name
			res.GradeCapped = true
			res.CapReason = fmt.Sprintf("全年走访 %s 户，未达 %d 户要求，等次最高为%s（按得分应为%s）",
				num(households), r.HouseholdsRequired, c.Name, g.Name)
			return
		}
	}
}
