package scoring

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// FieldError names one invalid field by its JSON path, e.g. "items[3].cap".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every invalid field found, in document order. The
// app turns it into PocketBase's 400 response, one entry per field.
type ValidationError []FieldError

func (e ValidationError) Error() string {
	parts := make([]string, len(e))
	for i, fe := range e {
		parts[i] = fe.Field + ": " + fe.Message
	}
	return strings.Join(parts, "; ")
}

// Fields maps each invalid field to its first message.
func (e ValidationError) Fields() map[string]string {
	m := make(map[string]string, len(e))
	for _, fe := range e {
		if _, ok := m[fe.Field]; !ok {
			m[fe.Field] = fe.Message
		}
	}
	return m
}

func (e *ValidationError) add(field, msg string) {
	*e = append(*e, FieldError{Field: field, Message: msg})
}

func (e ValidationError) orNil() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Validate checks the rules and returns a ValidationError naming every bad field.
func (r Rules) Validate() error {
	var errs ValidationError
	if len(r.Items) == 0 {
		errs.add("items", "must not be empty")
	}
	keys := map[string]int{}
	hasBonus := false
	for i, rule := range r.Items {
		p := fmt.Sprintf("items[%d]", i)
		if j, dup := keys[rule.Key]; dup && rule.Key != "" {
			errs.add(p+".key", fmt.Sprintf("duplicates items[%d].key", j))
		} else {
			keys[rule.Key] = i
		}
		rule.validate(p, &errs)
		hasBonus = hasBonus || rule.Bonus
	}
	if !finite(r.BonusCap) || r.BonusCap < 0 {
		errs.add("bonus_cap", "must be ≥ 0")
	} else if hasBonus && r.BonusCap == 0 {
		errs.add("bonus_cap", "must be > 0 when there are bonus items")
	}
	r.validateGrades(&errs)
	return errs.orNil()
}

func (r Rules) validateGrades(errs *ValidationError) {
	if len(r.Grades) == 0 {
		errs.add("grades", "must not be empty")
	}
	names := map[string]int{}
	mins := map[float64]int{}
	hasZero := false
	for i, g := range r.Grades {
		p := fmt.Sprintf("grades[%d]", i)
		if strings.TrimSpace(g.Name) == "" {
			errs.add(p+".name", "must not be empty")
		} else if j, dup := names[g.Name]; dup {
			errs.add(p+".name", fmt.Sprintf("duplicates grades[%d].name", j))
		} else {
			names[g.Name] = i
		}
		switch j, dup := mins[g.Min]; {
		case !finite(g.Min) || g.Min < 0:
			errs.add(p+".min", "must be ≥ 0")
		case dup:
			errs.add(p+".min", fmt.Sprintf("overlaps grades[%d]: same min", j))
		default:
			mins[g.Min] = i
		}
		hasZero = hasZero || g.Min == 0
	}
	if len(r.Grades) > 0 && !hasZero {
		errs.add("grades", "need a grade with min 0 so that every total has a grade")
	}
	if r.HouseholdsRequired < 0 {
		errs.add("households_required", "must be ≥ 0")
	}
	if r.HouseholdsRequired > 0 {
		if _, ok := names[r.CappedGrade]; !ok {
			errs.add("capped_grade", fmt.Sprintf("must be one of the grades' names, got %q", r.CappedGrade))
		}
	}
}

func (rule Rule) validate(p string, errs *ValidationError) {
	switch {
	case rule.Key == "":
		errs.add(p+".key", "must not be empty")
	case !keyPattern.MatchString(rule.Key):
		errs.add(p+".key", "must be lower-case letters, digits and _, starting with a letter")
	}
	if strings.TrimSpace(rule.Group) == "" {
		errs.add(p+".group", "must not be empty")
	}
	if strings.TrimSpace(rule.Title) == "" {
		errs.add(p+".title", "must not be empty")
	}
	if !finite(rule.Cap) || rule.Cap <= 0 {
		errs.add(p+".cap", "must be > 0")
	}
	if !finite(rule.Points) || rule.Points < 0 {
		errs.add(p+".points", "must be ≥ 0")
	}
	switch rule.NoCases {
	case "", NoCasesFull, NoCasesZero, NoCasesRescale:
	default:
		errs.add(p+".no_cases", fmt.Sprintf("must be %s, %s or %s, got %q", NoCasesFull, NoCasesZero, NoCasesRescale, rule.NoCases))
	}

	var allowed []MetricType // nil: the metric is optional and may be of any type
	switch rule.Kind {
	case KindPerUnit:
		allowed = []MetricType{TypeCount}
		validateTiers(p, rule, errs)
	case KindFlag:
		allowed = []MetricType{TypeFlag, TypeCount}
	case KindRatioTiers:
		allowed = []MetricType{TypeRatio, TypeMean}
		validateThresholds(p, rule, errs)
	case KindLinear:
		allowed = []MetricType{TypeRatio, TypeMean}
		if !finite(rule.ScaleMin) || !finite(rule.ScaleMax) || rule.ScaleMax <= rule.ScaleMin {
			errs.add(p+".scale_max", "must be greater than scale_min")
		}
	case KindBaseMinus:
		if !finite(rule.Base) || rule.Base <= 0 {
			errs.add(p+".base", "must be > 0")
		}
		validateDeductions(p, rule, errs)
	case "":
		errs.add(p+".kind", "must not be empty")
		return
	default:
		errs.add(p+".kind", fmt.Sprintf("unknown kind %q", rule.Kind))
		return
	}

	if rule.Kind != KindPerUnit && len(rule.Tiers) > 0 {
		errs.add(p+".tiers", "only per_unit rules have tiers")
	}
	if rule.Kind != KindRatioTiers && len(rule.Thresholds) > 0 {
		errs.add(p+".thresholds", "only ratio_tiers rules have thresholds")
	}
	if rule.Kind != KindBaseMinus {
		if rule.Base != 0 {
			errs.add(p+".base", "only base_minus rules have a base")
		}
		if len(rule.Deductions) > 0 {
			errs.add(p+".deductions", "only base_minus rules have deductions")
		}
	}
	if rule.Kind != KindLinear && (rule.ScaleMin != 0 || rule.ScaleMax != 0) {
		errs.add(p+".scale_max", "only linear rules have a scale")
	}
	if rule.NoCases != "" && !rule.HasCases() && rule.Kind != "" {
		errs.add(p+".no_cases", "only rules that count cases (ratio_tiers, linear, base_minus with a metric) have no_cases")
	}

	if rule.Metric == "" && allowed == nil {
		return
	}
	m, ok := metrics[rule.Metric]
	switch {
	case rule.Metric == "":
		errs.add(p+".metric", "must not be empty")
	case !ok:
		errs.add(p+".metric", fmt.Sprintf("unknown metric %q", rule.Metric))
	case allowed != nil && !slices.Contains(allowed, m.Type):
		errs.add(p+".metric", fmt.Sprintf("%s is a %s metric; %s rules need %s", rule.Metric, m.Type, rule.Kind, typeList(allowed)))
	}
}

func validateTiers(p string, rule Rule, errs *ValidationError) {
	if len(rule.Tiers) > 0 && rule.Points != 0 {
		errs.add(p+".points", "must be 0 when tiers are set (the tiers give the points)")
	}
	prev := 0.0
	for i, t := range rule.Tiers {
		tp := fmt.Sprintf("%s.tiers[%d]", p, i)
		last := i == len(rule.Tiers)-1
		switch {
		case !finite(t.UpTo) || t.UpTo < 0:
			errs.add(tp+".up_to", "must be ≥ 0")
		case t.UpTo == 0 && !last:
			errs.add(tp+".up_to", "must be set on every tier but the last")
		case t.UpTo != 0 && t.UpTo <= prev:
			errs.add(tp+".up_to", fmt.Sprintf("must be greater than the previous tier's up_to (%s)", num(prev)))
		}
		if !finite(t.Points) || t.Points < 0 {
			errs.add(tp+".points", "must be ≥ 0")
		}
		prev = t.UpTo
	}
}

func validateThresholds(p string, rule Rule, errs *ValidationError) {
	if len(rule.Thresholds) == 0 {
		errs.add(p+".thresholds", "must not be empty")
	}
	isRatio := metrics[rule.Metric].Type == TypeRatio
	seen := map[float64]int{}
	for i, t := range rule.Thresholds {
		tp := fmt.Sprintf("%s.thresholds[%d]", p, i)
		switch j, dup := seen[t.Min]; {
		case !finite(t.Min) || t.Min < 0:
			errs.add(tp+".min", "must be ≥ 0")
		case isRatio && t.Min > 1:
			errs.add(tp+".min", "is a ratio: must be ≤ 1 (write 90% as 0.9)")
		case dup:
			errs.add(tp+".min", fmt.Sprintf("overlaps thresholds[%d]: same min", j))
		default:
			seen[t.Min] = i
		}
		if !finite(t.Points) || t.Points < 0 {
			errs.add(tp+".points", "must be ≥ 0")
		}
	}
}

func validateDeductions(p string, rule Rule, errs *ValidationError) {
	for i, d := range rule.Deductions {
		dp := fmt.Sprintf("%s.deductions[%d]", p, i)
		m, ok := metrics[d.Metric]
		switch {
		case !ok:
			errs.add(dp+".metric", fmt.Sprintf("unknown metric %q", d.Metric))
		case m.Type != TypeCount:
			errs.add(dp+".metric", fmt.Sprintf("%s is a %s metric; deductions need count", d.Metric, m.Type))
		}
		if !finite(d.Points) || d.Points <= 0 {
			errs.add(dp+".points", "must be > 0")
		}
	}
}

func typeList(ts []MetricType) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, " or ")
}
