package demo

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
)

// The demo township has a complete closed year (last year) and this year
// to date. Each deputy's closed year follows a profile, so that the
// ranking (亮分) spreads as a real one does: a few 优秀, most 称职, some
// 基本称职 or 不称职, each for reasons the 履职档案 shows (too few
// households, a congress missed without leave, no report to voters,
// residents answered late). This year to date is seeded by pace instead.

// profile is what a deputy did in the closed year.
type profile struct {
	households int    // distinct households visited
	congress   string // present, leave (one half-day, with a reason) or absent (two half-days)
	duties     int    // liaison station duties (值班接待)
	reported   bool   // reported to voters (述职)
	proposals  int    // proposals and suggestions submitted (议案建议)
	tracking   int    // livelihood project tracking visits (跟踪问效)
	evaluation bool   // took part in the year-end evaluation (年终评议)
	joins      int    // law inspections taken part in and confirmed
	supervised int    // 视察 and other presidium activities
	// Residents' suggestions received; the first ackLate were acknowledged
	// after 24 hours, the first feedbackLate answered after 5 working days;
	// ratings are the residents' (3 满意, 2 基本满意, 1 不满意).
	suggestions, ackLate, feedbackLate int
	ratings                            []int
}

// lastYearProfiles is indexed like the demo deputies (the first five are
// the presidium).
var lastYearProfiles = []profile{
	// 向建国 (presidium): 优秀
	{households: 20, congress: "present", duties: 4, reported: true, proposals: 3, tracking: 2, evaluation: true, joins: 2, supervised: 1,
		suggestions: 6, ratings: []int{3, 3, 3, 2}},
	// 舒秀英 (presidium): 称职
	{households: 15, congress: "present", duties: 3, reported: true, proposals: 2, tracking: 1, evaluation: true, joins: 1,
		suggestions: 5, ratings: []int{3, 2, 2}},
	// 谌红梅 (presidium): 优秀, 金点子
	{households: 18, congress: "present", duties: 4, reported: true, proposals: 4, tracking: 2, evaluation: true, joins: 2, supervised: 1,
		suggestions: 7, ratings: []int{3, 3, 2, 3}},
	// 张志强 (presidium): 称职
	{households: 14, congress: "present", duties: 4, reported: true, proposals: 2, tracking: 1, evaluation: true, joins: 1,
		suggestions: 4, ackLate: 0, feedbackLate: 0, ratings: []int{2, 3}},
	// 李桂花 (presidium): 称职, a half-day of leave (hospital)
	{households: 16, congress: "leave", duties: 4, reported: true, proposals: 2, tracking: 2, evaluation: true, joins: 1,
		suggestions: 5, ratings: []int{3, 2}},
	// 王永福: 称职
	{households: 15, congress: "present", duties: 4, reported: true, proposals: 3, tracking: 1, evaluation: true, joins: 2, supervised: 1,
		suggestions: 5, ratings: []int{3, 2, 3}},
	// 刘春兰: 优秀, 金点子, county commendation
	{households: 22, congress: "present", duties: 4, reported: true, proposals: 4, tracking: 2, evaluation: true, joins: 3, supervised: 1,
		suggestions: 8, ratings: []int{3, 3, 3, 3, 2}},
	// 陈国平: 称职
	{households: 15, congress: "present", duties: 4, reported: true, proposals: 3, tracking: 1, evaluation: true, joins: 2, supervised: 1,
		suggestions: 4, ratings: []int{2, 3}},
	// 杨小燕: 称职, one suggestion acknowledged late
	{households: 16, congress: "present", duties: 4, reported: true, proposals: 3, tracking: 2, evaluation: true, joins: 2, supervised: 2,
		suggestions: 6, ackLate: 1, ratings: []int{3, 3, 2}},
	// 黄德胜: 9 households only, capped at 基本称职 though the score says 称职
	{households: 9, congress: "present", duties: 4, reported: true, proposals: 3, tracking: 2, evaluation: true, joins: 3, supervised: 2,
		suggestions: 5, ratings: []int{3, 3, 3}},
	// 周玉兰: 称职
	{households: 13, congress: "present", duties: 4, reported: true, proposals: 2, tracking: 2, evaluation: true, joins: 2, supervised: 1,
		suggestions: 5, ratings: []int{3, 2}},
	// 吴海军: 称职, a half-day of leave (county training)
	{households: 17, congress: "leave", duties: 4, reported: true, proposals: 3, tracking: 1, evaluation: true, joins: 2, supervised: 2,
		suggestions: 4, ratings: []int{3}},
	// 邓金凤: 称职
	{households: 14, congress: "present", duties: 4, reported: true, proposals: 2, tracking: 2, evaluation: true, joins: 2, supervised: 1,
		suggestions: 6, ratings: []int{2, 3, 3}},
	// 米长青: 基本称职: missed the congress without leave, no report to voters
	{households: 14, congress: "absent", duties: 4, reported: false, proposals: 2, tracking: 1, evaluation: true, joins: 2, supervised: 1,
		suggestions: 5, ratings: []int{2, 2}},
	// 瞿丽华: 称职
	{households: 16, congress: "present", duties: 3, reported: true, proposals: 3, tracking: 2, evaluation: true, joins: 2, supervised: 1,
		suggestions: 5, ratings: []int{3, 3}},
	// 唐卫东: 10 households, capped at 基本称职
	{households: 10, congress: "present", duties: 4, reported: true, proposals: 3, tracking: 2, evaluation: true, joins: 3, supervised: 2,
		suggestions: 4, ratings: []int{3, 2}},
	// 蒋冬梅: 称职
	{households: 15, congress: "present", duties: 4, reported: true, proposals: 2, tracking: 1, evaluation: true, joins: 2, supervised: 1,
		suggestions: 5, ratings: []int{3, 2, 2}},
	// 贺运来: 不称职: missed the congress, no station duty to speak of, no
	// report, residents answered late, 7 households
	{households: 7, congress: "absent", duties: 1, reported: false, proposals: 1, tracking: 0, evaluation: true, joins: 1,
		suggestions: 4, ackLate: 3, feedbackLate: 2, ratings: []int{1, 2}},
	// 严翠萍: 称职
	{households: 14, congress: "present", duties: 4, reported: true, proposals: 2, tracking: 2, evaluation: true, joins: 2, supervised: 1,
		suggestions: 5, ratings: []int{3, 3, 2}},
	// 梁光明: 称职, one answer after the 5 working days
	{households: 16, congress: "present", duties: 4, reported: true, proposals: 3, tracking: 1, evaluation: true, joins: 2, supervised: 2,
		suggestions: 5, feedbackLate: 1, ratings: []int{2, 3}},
}

// demoDeputies are the 20 demo deputies in their order.
func demoDeputies(app core.App) ([]*core.Record, error) {
	out := make([]*core.Record, 20)
	for i := range out {
		d, err := app.FindFirstRecordByData("deputies", "phone", DeputyPhone(i))
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// demoYears are the closed year and this year, with now, in China time.
func demoYears() (last, this int, now time.Time) {
	now = time.Now().In(chinatime.Location())
	return now.Year() - 1, now.Year(), now
}

// on is a time of year y in China time.
func on(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, chinatime.Location())
}

// staffActor is the demo's first office account, or nil before staff
// accounts exist: the one who closes and confirms in the demo.
func staffActor(app core.App) *core.Record {
	if r, err := app.FindFirstRecordByFilter("staff", "active = true"); err == nil {
		return r
	}
	return nil
}
