package scoring

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// Result is a deputy's assessment for one year.
type Result struct {
	DeputyID string       `json:"deputy_id"`
	Year     int          `json:"year"`
	Items    []ItemResult `json:"items"`
	Base     float64      `json:"base"`  // sum of the scored non-bonus items, rescaled when some were not scored
	Bonus    float64      `json:"bonus"` // sum of the bonus items, at most Rules.BonusCap
	// RawBase is the plain sum of the scored non-bonus items; ScoredMax
	// their full points and FullBase those of every non-bonus item. When
	// items were not scored, Base = RawBase × FullBase ÷ ScoredMax.
	RawBase     float64 `json:"raw_base"`
	ScoredMax   float64 `json:"scored_max"`
	FullBase    float64 `json:"full_base"`
	Rescaled    bool    `json:"rescaled"`
	Total       float64 `json:"total"`
	Grade       string  `json:"grade"`
	GradeCapped bool    `json:"grade_capped"` // lowered by the households rule
	CapReason   string  `json:"cap_reason,omitempty"`
	Summary     string  `json:"summary"` // e.g. 基础分 85 + 加分 10（加分合计 12，封顶 10）= 95
}

// ItemResult is the score of one rule, in the order of Rules.Items.
type ItemResult struct {
	Key         string   `json:"key"`
	Group       string   `json:"group"`
	Title       string   `json:"title"`
	Bonus       bool     `json:"bonus"`
	Points      float64  `json:"points"`
	Max         float64  `json:"max"`
	Explanation string   `json:"explanation"` // Chinese, e.g. 走访农户 14 户：12×1 + 2×0.5 = 13
	RecordIDs   []string `json:"record_ids"`  // the records that counted
	// NoCases is the policy applied because the deputy had no cases ("" if
	// they had some).
	NoCases NoCases `json:"no_cases,omitempty"`
	// NotScored: left out of the total (no cases with NoCasesRescale, or
	// nothing recorded this year); the other base items are rescaled.
	NotScored bool `json:"not_scored,omitempty"`
	// Unrecorded: nothing was recorded this year for a metric it reads.
	Unrecorded bool `json:"unrecorded,omitempty"`
	// Sources are the kinds of records the number came from (filled in by
	// the application, which knows where each metric is gathered).
	Sources []string `json:"sources,omitempty"`
}

// Score validates the rules and the facts they read, then scores every item.
// Errors are ValidationErrors; fact fields are named "metrics.<name>.value".
func Score(rules Rules, facts Facts) (Result, error) {
	if err := rules.Validate(); err != nil {
		return Result{}, err
	}
	if err := facts.validate(rules.metricsUsed()); err != nil {
		return Result{}, err
	}

	res := Result{DeputyID: facts.DeputyID, Year: facts.Year, Items: make([]ItemResult, 0, len(rules.Items))}
	var base, bonus, scoredMax, fullBase float64
	for _, rule := range rules.Items {
		it := rule.score(facts)
		res.Items = append(res.Items, it)
		switch {
		case rule.Bonus:
			bonus += it.Points
		case it.NotScored:
			fullBase += rule.Cap
		default:
			fullBase += rule.Cap
			scoredMax += rule.Cap
			base += it.Points
		}
	}
	res.RawBase, res.ScoredMax, res.FullBase = round2(base), round2(scoredMax), round2(fullBase)
	res.Base = res.RawBase
	baseText := num(res.Base)
	if scoredMax < fullBase {
		res.Rescaled = true
		res.Base = 0
		if scoredMax > 0 {
			res.Base = math.Min(round2(base*fullBase/scoredMax), res.FullBase)
		}
		baseText = fmt.Sprintf("%s（计分项满分 %s，按 %s 分折算：%s ÷ %s × %s = %s）",
			num(res.Base), num(res.ScoredMax), num(res.FullBase), num(res.RawBase), num(res.ScoredMax), num(res.FullBase), num(res.Base))
		if scoredMax == 0 {
			baseText = "0（本年度没有可计分的基础项目）"
		}
	}
	bonus = round2(bonus)
	res.Bonus = math.Min(bonus, rules.BonusCap)
	res.Total = round2(res.Base + res.Bonus)
	res.Summary = fmt.Sprintf("基础分 %s + 加分 %s = %s", baseText, num(res.Bonus), num(res.Total))
	if bonus > res.Bonus {
		res.Summary = fmt.Sprintf("基础分 %s + 加分 %s（加分合计 %s，封顶 %s）= %s",
			baseText, num(res.Bonus), num(bonus), num(rules.BonusCap), num(res.Total))
	}
	households := facts.get(MetricHouseholds).Value
	if _, none := facts.Unrecorded[MetricHouseholds]; none {
		rules.HouseholdsRequired = 0 // no visit recorded this year: no evidence to cap a grade on
	}
	rules.applyGrade(&res, households)
	return res, nil
}

func (r Rules) metricsUsed() map[string]bool {
	used := map[string]bool{}
	if r.HouseholdsRequired > 0 {
		used[MetricHouseholds] = true
	}
	for _, rule := range r.Items {
		if rule.Metric != "" {
			used[rule.Metric] = true
		}
		for _, d := range rule.Deductions {
			used[d.Metric] = true
		}
	}
	return used
}

func (rule Rule) score(facts Facts) ItemResult {
	fact := facts.get(rule.Metric)
	m := metrics[rule.Metric]
	ids := fact.RecordIDs
	it := ItemResult{Key: rule.Key, Group: rule.Group, Title: rule.Title, Bonus: rule.Bonus, Max: rule.Cap, RecordIDs: []string{}}

	if reasons := rule.unrecorded(facts); len(reasons) > 0 {
		it.NotScored, it.Unrecorded = true, true
		it.Explanation = strings.Join(reasons, "；") + "，此项本年度不计分"
		if !rule.Bonus {
			it.Explanation += "，其余各项按比例折算"
		}
		return it
	}
	if rule.HasCases() && rule.cases(fact) == 0 {
		it.NoCases = rule.NoCases.Policy()
		none := m.None
		if none == "" {
			none = "本年度无" + m.Label + "记录"
		}
		it.Explanation = none + "，此项按规则" + it.NoCases.Label()
		switch it.NoCases {
		case NoCasesFull:
			it.Points = rule.Cap
			it.Explanation += "（" + num(rule.Cap) + " 分）"
		case NoCasesZero:
			it.Explanation += "（0 分）"
		default:
			it.NotScored = true
		}
		return it
	}

	var raw float64
	var expl string
	switch rule.Kind {
	case KindPerUnit:
		raw, expl = rule.perUnit(fact.Value, m)
	case KindFlag:
		raw, expl = rule.flag(fact.Value, m)
	case KindRatioTiers:
		raw, expl = rule.ratioTiers(fact, m)
	case KindLinear:
		raw, expl = rule.linear(fact, m)
	case KindBaseMinus:
		raw, expl = rule.baseMinus(facts)
		if rule.Metric != "" {
			expl = fmt.Sprintf("%s %s %s：%s", m.Label, num(fact.Value), m.Unit, expl)
		}
		for _, d := range rule.Deductions {
			ids = append(slices.Clip(ids), facts.get(d.Metric).RecordIDs...)
		}
	}

	raw = round2(raw)
	points := raw
	if raw > rule.Cap {
		points = rule.Cap
		expl += "，封顶 " + num(rule.Cap)
	}
	it.Points, it.Explanation, it.RecordIDs = points, expl, dedupe(ids)
	return it
}

// cases is how many cases the rule had: the cases of a ratio or mean
// metric, the value of a base_minus rule's metric.
func (rule Rule) cases(f Fact) float64 {
	if rule.Kind == KindBaseMinus {
		return f.Value
	}
	return f.Total
}

// unrecorded lists why the metrics the rule reads have no records this
// year, in the rule's order, once each.
func (rule Rule) unrecorded(facts Facts) []string {
	if len(facts.Unrecorded) == 0 {
		return nil
	}
	var out []string
	add := func(metric string) {
		if r, ok := facts.Unrecorded[metric]; ok && metric != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	add(rule.Metric)
	for _, d := range rule.Deductions {
		add(d.Metric)
	}
	return out
}

// perUnit: 走访农户 14 户：12×1 + 2×0.5 = 13
func (rule Rule) perUnit(n float64, m Metric) (float64, string) {
	head := fmt.Sprintf("%s %s %s：", m.Label, num(n), m.Unit)
	if len(rule.Tiers) == 0 {
		raw := n * rule.Points
		return raw, head + fmt.Sprintf("%s×%s = %s", num(n), num(rule.Points), num(raw))
	}
	var raw, lower float64
	var parts []string
	left := n
	for i, t := range rule.Tiers {
		width := math.Inf(1)
		if t.UpTo > 0 {
			width = t.UpTo - lower
		}
		take := math.Min(left, width)
		if take > 0 || i == 0 {
			raw += take * t.Points
			parts = append(parts, num(take)+"×"+num(t.Points))
		}
		left -= take
		lower = t.UpTo
		if left <= 0 {
			break
		}
	}
	expl := head + strings.Join(parts, " + ") + " = " + num(raw)
	if left > 0 {
		expl += fmt.Sprintf("（超出的 %s %s不计分）", num(left), m.Unit)
	}
	return raw, expl
}

// flag: 已向选民述职，得 5 分
func (rule Rule) flag(v float64, m Metric) (float64, string) {
	var raw float64
	if v > 0 {
		raw = rule.Points
	}
	if m.Type == TypeFlag {
		done := "未"
		if v > 0 {
			done = "已"
		}
		return raw, fmt.Sprintf("%s%s，得 %s 分", done, m.Label, num(raw))
	}
	return raw, fmt.Sprintf("%s %s %s，得 %s 分", m.Label, num(v), m.Unit, num(raw))
}

// ratioTiers: 24小时内响应群众建议 9/10 件（90%），达到 90%，得 8 分
func (rule Rule) ratioTiers(f Fact, m Metric) (float64, string) {
	v := f.Value / f.Total
	ts := append([]Threshold(nil), rule.Thresholds...)
	sort.Slice(ts, func(i, j int) bool { return ts[i].Min > ts[j].Min })
	head := describeOutOf(f, m)
	for _, t := range ts {
		if v >= t.Min {
			return t.Points, fmt.Sprintf("%s，达到 %s，得 %s 分", head, threshold(t.Min, m), num(t.Points))
		}
	}
	return 0, fmt.Sprintf("%s，未达 %s，得 0 分", head, threshold(ts[len(ts)-1].Min, m))
}

// linear: 办结满意度 均值 2.5（4 件），按 1–3 分折算：5×(2.5−1)÷(3−1) = 3.75
func (rule Rule) linear(f Fact, m Metric) (float64, string) {
	v := f.Value / f.Total
	c := math.Max(rule.ScaleMin, math.Min(rule.ScaleMax, v))
	raw := rule.Points * (c - rule.ScaleMin) / (rule.ScaleMax - rule.ScaleMin)
	return raw, fmt.Sprintf("%s，按 %s–%s 折算：%s×(%s−%s)÷(%s−%s) = %s",
		describeOutOf(f, m), num(rule.ScaleMin), num(rule.ScaleMax),
		num(rule.Points), num(c), num(rule.ScaleMin), num(rule.ScaleMax), num(rule.ScaleMin), num(raw))
}

// baseMinus: 基础 10 − 人代会请假 2 个半天×2 − 人代会无故缺席 1 个半天×5 = 1
func (rule Rule) baseMinus(facts Facts) (float64, string) {
	raw := rule.Base
	deducted := false
	var b strings.Builder
	b.WriteString("基础 " + num(rule.Base))
	for _, d := range rule.Deductions {
		n := facts.get(d.Metric).Value
		if n == 0 {
			continue
		}
		m := metrics[d.Metric]
		raw -= n * d.Points
		deducted = true
		fmt.Fprintf(&b, " − %s %s %s×%s", m.Label, num(n), m.Unit, num(d.Points))
	}
	if !deducted {
		b.WriteString("，无扣分")
	}
	b.WriteString(" = " + num(raw))
	if raw < 0 {
		b.WriteString("，按 0 计")
		raw = 0
	}
	return raw, b.String()
}

func describeOutOf(f Fact, m Metric) string {
	if m.Type == TypeMean {
		return fmt.Sprintf("%s 均值 %s（%s %s）", m.Label, num(f.Value/f.Total), num(f.Total), m.Unit)
	}
	return fmt.Sprintf("%s %s/%s %s（%s）", m.Label, num(f.Value), num(f.Total), m.Unit, percent(f.Value/f.Total))
}

func threshold(min float64, m Metric) string {
	if m.Type == TypeRatio {
		return percent(min)
	}
	return num(min)
}

func dedupe(ids []string) []string {
	out := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
