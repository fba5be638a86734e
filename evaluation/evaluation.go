// Package evaluation aggregates the year-end evaluation (年终评议) of the
// year's livelihood projects (民生实事, R12): each deputy fills one sheet
// rating every project 满意 / 基本满意 / 不满意 with an optional comment, and
// the results are published per project.
//
// A sheet is anonymous, stored like a ballot (see package ballot): a
// register row says which deputy evaluated (that feeds the assessment,
// MetricProjectEvaluation) and the sheet itself fills a random urn slot
// with no deputy and no time on it. Deputies rate township offices whose
// heads they meet every week; a candid 不满意 needs that.
package evaluation

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Rating of one project.
type Rating string

const (
	Satisfied   Rating = "satisfied"   // 满意
	Basic       Rating = "basic"       // 基本满意
	Unsatisfied Rating = "unsatisfied" // 不满意
)

// Ratings lists the ratings.
var Ratings = []Rating{Satisfied, Basic, Unsatisfied}

// Label is the Chinese name of r.
func (r Rating) Label() string {
	switch r {
	case Satisfied:
		return "满意"
	case Basic:
		return "基本满意"
	case Unsatisfied:
		return "不满意"
	}
	return string(r)
}

// Valid reports whether r is one of Ratings.
func (r Rating) Valid() bool { return r == Satisfied || r == Basic || r == Unsatisfied }

// CommentMax is the longest comment on one project, in characters.
const CommentMax = 500

// Mark is the rating of one project on a sheet.
type Mark struct {
	Project string `json:"project"`
	Rating  Rating `json:"rating"`
	Comment string `json:"comment"`
}

// Sheet is one deputy's evaluation, stored without the deputy.
type Sheet struct {
	ID    string
	Marks []Mark
}

// FieldErrors maps a field name to a Chinese message, in the shape of
// PocketBase's 400 response data.
type FieldErrors map[string]string

// CheckSheet validates a sheet submitted in the app: every project of the
// year rated once with a valid rating, a reason for each 不满意 (the unit
// must know what to put right), comments not too long. It returns the marks
// in the order of projects. Like ballot.Check, the messages never say which
// project or which rating: error details go to the request log.
func CheckSheet(marks []Mark, projects []string) ([]Mark, FieldErrors) {
	byProject := map[string]Mark{}
	for _, m := range marks {
		switch {
		case !slices.Contains(projects, m.Project):
			return nil, FieldErrors{"marks": "评价中有不在本年度民生实事名单中的项目，请刷新后重新填写"}
		case byProject[m.Project].Project != "":
			return nil, FieldErrors{"marks": "每个项目只能评价一次"}
		case !m.Rating.Valid():
			return nil, FieldErrors{"marks": "请为每个项目选择 满意、基本满意 或 不满意"}
		case utf8.RuneCountInString(m.Comment) > CommentMax:
			return nil, FieldErrors{"marks": "每条意见不能超过 " + strconv.Itoa(CommentMax) + " 字"}
		case m.Rating == Unsatisfied && strings.TrimSpace(m.Comment) == "":
			return nil, FieldErrors{"marks": "评为不满意的项目请写明理由，承办单位据此整改"}
		}
		byProject[m.Project] = m
	}
	if missing := len(projects) - len(byProject); missing > 0 {
		return nil, FieldErrors{"marks": "请对全部 " + strconv.Itoa(len(projects)) + " 个项目逐一评价，还有 " + strconv.Itoa(missing) + " 个未评价"}
	}
	out := make([]Mark, 0, len(projects))
	for _, p := range projects {
		m := byProject[p]
		m.Comment = strings.TrimSpace(m.Comment)
		out = append(out, m)
	}
	return out, nil
}

// Result is one project's evaluation.
type Result struct {
	Project     string `json:"project"`
	Satisfied   int    `json:"satisfied"`
	Basic       int    `json:"basic"`
	Unsatisfied int    `json:"unsatisfied"`
	// Comments are the non-empty comments, sorted so that their order says
	// nothing about which sheet they came from.
	Comments []string `json:"comments"`
}

// Rated is the number of sheets that rated the project.
func (r Result) Rated() int { return r.Satisfied + r.Basic + r.Unsatisfied }

// SatisfactionRate is (满意 + 基本满意) over Rated, as for proposals (see
// proposal.Rates.SatisfactionRate): 基本满意 accepts the result.
// FullSatisfactionRate is shown beside it. ok is false when nobody rated.
func (r Result) SatisfactionRate() (rate float64, ok bool) {
	return ratio(r.Satisfied+r.Basic, r.Rated())
}

// FullSatisfactionRate is 满意 alone over Rated.
func (r Result) FullSatisfactionRate() (rate float64, ok bool) { return ratio(r.Satisfied, r.Rated()) }

func ratio(n, d int) (float64, bool) {
	if d == 0 {
		return 0, false
	}
	return float64(n) / float64(d), true
}

// Aggregate counts sheets per project, in the order of projects. Sheets
// typed in from paper may be incomplete: each valid mark counts; a mark for
// an unknown project, with an invalid rating, or for a project the same
// sheet marks twice is not counted, and ignored says how many such marks
// there were so the published result can say so.
func Aggregate(projects []string, sheets []Sheet) (results []Result, ignored int) {
	idx := make(map[string]int, len(projects))
	results = make([]Result, len(projects))
	for i, p := range projects {
		idx[p] = i
		results[i].Project = p
	}
	for _, s := range sheets {
		count := map[string]int{}
		for _, m := range s.Marks {
			count[m.Project]++
		}
		for _, m := range s.Marks {
			i, known := idx[m.Project]
			if !known || !m.Rating.Valid() || count[m.Project] > 1 {
				ignored++
				continue
			}
			r := &results[i]
			switch m.Rating {
			case Satisfied:
				r.Satisfied++
			case Basic:
				r.Basic++
			case Unsatisfied:
				r.Unsatisfied++
			}
			if c := strings.TrimSpace(m.Comment); c != "" {
				r.Comments = append(r.Comments, c)
			}
		}
	}
	for i := range results {
		slices.Sort(results[i].Comments)
	}
	return results, ignored
}
