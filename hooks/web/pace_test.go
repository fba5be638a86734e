package web_test

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"simeng/chinatime"
	"simeng/internal/testbrowser"
	"simeng/plausibility"
	"simeng/visitpace"
)

// paceVisit is a visit as both sides see it: a stored record for the PWA,
// a visitpace.Visit for the server.
type paceVisit struct {
	Household string `json:"household"`
	At        string `json:"visited_at"` // RFC 3339
	Late      bool   `json:"late"`
	Refused   bool   `json:"-"` // kept on the phone as 需处理: the server never had it
	// What the counting setting reads (issue 21), as pulled.
	Review   string `json:"review,omitempty"`
	Callback string `json:"callback,omitempty"`
	Signed   bool   `json:"signed,omitempty"`
}

// The PWA's home figure (app/pace.js, evaluated in Chromium running in a
// far-off time zone) is the server's (package visitpace, which the
// progress API and the presidium's screen use) for the same visits, the
// same required number, the same moment and the same counting setting.
func TestPWAPaceIsTheServers(t *testing.T) {
	site := staticSite(t)
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	ctx := testbrowser.StartChromium(t, 360, 780, 60*time.Second)
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/Los_Angeles"}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}

	china := chinatime.Location()
	at := func(y, m, d, h int) string {
		return time.Date(y, time.Month(m), d, h, 0, 0, 0, china).Format(time.RFC3339)
	}
	cases := []struct {
		name     string
		now      time.Time
		required int
		visits   []paceVisit
		mode     plausibility.CountMode // "": the default
	}{
		{"1 December, 3 households: the pace counts 11 ended months, not 12",
			time.Date(2026, 12, 1, 10, 0, 0, 0, china), 12,
			[]paceVisit{{Household: "a", At: at(2026, 1, 5, 10)}, {Household: "b", At: at(2026, 2, 5, 10)}, {Household: "c", At: at(2026, 3, 5, 10)}}, ""},
		{"China's new year comes before UTC's; a household visited twice counts once",
			time.Date(2026, 2, 1, 0, 30, 0, 0, china), 12,
			[]paceVisit{{Household: "a", At: "2025-12-31T16:30:00Z"}, {Household: "a", At: at(2026, 1, 20, 9)}, {Household: "b", At: "2025-12-31T15:30:00Z"}}, ""},
		{"late and refused visits do not count; another year's required",
			time.Date(2026, 7, 15, 12, 0, 0, 0, china), 24,
			[]paceVisit{{Household: "a", At: at(2026, 7, 1, 9)}, {Household: "b", At: at(2026, 7, 2, 9), Late: true},
				{Household: "c", At: at(2026, 6, 2, 9), Refused: true}, {Household: "d", At: at(2026, 3, 2, 9)}}, ""},
		{"met before the year ends",
			time.Date(2026, 5, 31, 23, 59, 0, 0, china), 2,
			[]paceVisit{{Household: "a", At: at(2026, 5, 1, 9)}, {Household: "b", At: at(2026, 5, 2, 9)}}, ""},
		{"a visit the presidium marked not counted does not count (the default setting)",
			time.Date(2026, 7, 15, 12, 0, 0, 0, china), 12,
			[]paceVisit{{Household: "a", At: at(2026, 7, 1, 9), Review: "not_counted"}, {Household: "b", At: at(2026, 7, 2, 9), Review: "accepted"},
				{Household: "c", At: at(2026, 6, 2, 9), Callback: "denied"}}, plausibility.CountNotExcluded},
		{"every visit counts",
			time.Date(2026, 7, 15, 12, 0, 0, 0, china), 12,
			[]paceVisit{{Household: "a", At: at(2026, 7, 1, 9), Review: "not_counted"}, {Household: "b", At: at(2026, 7, 2, 9)}}, plausibility.CountAll},
		{"only confirmed visits count: signed or confirmed by callback, none denied, none not counted",
			time.Date(2026, 7, 15, 12, 0, 0, 0, china), 12,
			[]paceVisit{{Household: "a", At: at(2026, 7, 1, 9), Signed: true}, {Household: "b", At: at(2026, 7, 2, 9), Callback: "confirmed"},
				{Household: "c", At: at(2026, 6, 2, 9), Signed: true, Callback: "denied"}, {Household: "d", At: at(2026, 6, 3, 9)},
				{Household: "e", At: at(2026, 5, 3, 9), Signed: true, Review: "not_counted"}}, plausibility.CountConfirmedOnly},
	}
	for _, c := range cases {
		var records []map[string]any
		var visits []visitpace.Visit
		for _, v := range c.visits {
			state := "synced"
			if v.Refused {
				state = "failed"
			} else {
				when, _ := time.Parse(time.RFC3339, v.At)
				excluded := !c.mode.Counts(plausibility.Standing{Decision: plausibility.Decision(v.Review), Signed: v.Signed,
					Callback: plausibility.CallbackResult(v.Callback)})
				visits = append(visits, visitpace.Visit{Household: v.Household, At: when, Late: v.Late, Excluded: excluded})
			}
			records = append(records, map[string]any{"state": state, "data": v})
		}
		rule := visitpace.Rule{Year: chinatime.Year(c.now), Required: c.required}
		tally := visitpace.Count(rule.Year, visits)
		server := visitpace.Assess(rule, tally, c.now)
		want := map[string]int{"year": rule.Year, "count": server.Households, "expected": server.ExpectedNow,
			"behind": max(0, server.ExpectedNow-server.Households), "thisMonth": tally.MonthVisits[chinatime.In(c.now).Month()-1]}

		recordsJSON, _ := json.Marshal(records)
		js := `import('/a/' + document.getElementById('app').dataset.version + '/app/pace.js').then((m) => {
			const p = m.localProgress(` + string(recordsJSON) + `, ` + jsonInt(c.required) + `, new Date(` + jsonInt(int(c.now.UnixMilli())) + `), ` + jsonString(string(c.mode.Normalized())) + `);
			return JSON.stringify({year: p.year, count: p.count, expected: p.expected, behind: p.behind, thisMonth: p.thisMonth});
		})`
		out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got map[string]int
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%s: %s", c.name, out)
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: the PWA says %s = %d, the server %d (PWA %v)", c.name, k, got[k], w, got)
			}
		}
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func jsonInt(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
