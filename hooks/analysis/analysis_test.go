package analysis_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/internal/testapp"
)

type overviewResult struct {
	Total    int `json:"total"`
	Previous int `json:"previous"`
	States   []struct {
		Key   string `json:"key"`
		Count int    `json:"count"`
	} `json:"states"`
	Sources []struct {
		Key   string `json:"key"`
		Label string `json:"label"`
		Count int    `json:"count"`
	} `json:"sources"`
	Categories []struct {
		Key             string
		Count, Previous int
		Delta           int
	} `json:"categories"`
	Villages []struct {
		Key, Label string
		Count      int
	} `json:"villages"`
	Hotspots struct {
		Villages   []struct{ Key, Label string } `json:"villages"`
		Categories []struct{ Key string }        `json:"categories"`
		Cells      [][]int                       `json:"cells"`
		Hot        [][]bool                      `json:"hot"`
	} `json:"hotspots"`
	Months []struct {
		Month        string
		Count, Delta int
		Change       *float64
	} `json:"months"`
}

// The overview counts the quarter's demands by state, source, category
// and village against the quarter before, flags 思蒙湾村's 饮水 as a
// hotspot, and gives 24 months with their change: spam and the problem a
// transferred suggestion became are not counted.
func TestOverview(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	var o overviewResult
	getJSON(t, c, presidium, "/api/simeng/analysis/overview?"+q, &o)
	// 9 demands: 4 suggestions and a problem of village A on 饮水, A's road
	// lamp, B's two roads and school; spam and the transferred one's
	// problem are left out.
	if o.Total != 9 || o.Previous != 2 {
		t.Fatalf("total %d previous %d, want 9 and 2", o.Total, o.Previous)
	}
	states := map[string]int{}
	for _, s := range o.States {
		states[s.Key] = s.Count
	}
	if states["open"] != 4 || states["in_progress"] != 2 || states["answered"] != 1 || states["closed"] != 2 {
		t.Errorf("states %v", states)
	}
	if o.Categories[0].Key != "饮水安全" || o.Categories[0].Count != 5 || o.Categories[0].Previous != 1 || o.Categories[0].Delta != 4 {
		t.Errorf("first category %+v, want 饮水安全 5 (1 before)", o.Categories[0])
	}
	if o.Villages[0].Key != f.VillageA || o.Villages[0].Count != 6 || o.Villages[0].Label != "思蒙湾村" {
		t.Errorf("first village %+v", o.Villages[0])
	}
	sources := map[string]int{}
	for _, s := range o.Sources {
		sources[s.Key] = s.Count
	}
	if sources["problems:visit"] != 1 || sources["suggestions:hotline"] != 2 || sources["problems:suggestion"] != 0 {
		t.Errorf("sources %v", sources)
	}
	hot := 0
	for i, v := range o.Hotspots.Villages {
		for j, cat := range o.Hotspots.Categories {
			if o.Hotspots.Hot[i][j] {
				hot++
				if v.Key != f.VillageA || cat.Key != "饮水安全" || o.Hotspots.Cells[i][j] != 5 {
					t.Errorf("hotspot %s × %s (%d)", v.Label, cat.Key, o.Hotspots.Cells[i][j])
				}
			}
		}
	}
	if hot != 1 {
		t.Errorf("%d hotspots, want 1 (思蒙湾村 × 饮水安全)", hot)
	}
	if len(o.Months) != 24 || o.Months[23].Month != "2025-06" || o.Months[0].Month != "2023-07" {
		t.Fatalf("months: %d from %s to %s", len(o.Months), o.Months[0].Month, o.Months[len(o.Months)-1].Month)
	}
	byMonth := map[string]int{}
	for _, m := range o.Months {
		byMonth[m.Month] = m.Count
	}
	if byMonth["2025-04"] != 3 || byMonth["2025-05"] != 4 || byMonth["2025-06"] != 2 || byMonth["2025-02"] != 1 {
		t.Errorf("months %v", byMonth)
	}
	if m := o.Months[23]; m.Delta != -2 || m.Change == nil || *m.Change != -0.5 {
		t.Errorf("June against May: %+v", m)
	}

	// A running period's trend ends this month: the months to come are not
	// listed (with a 环比 of −100 %). Next year's ends this month too.
	for _, period := range []int{chinatime.CurrentYear(), chinatime.CurrentYear() + 1} {
		before := chinatime.In(time.Now()).Format("2006-01")
		var running overviewResult
		getJSON(t, c, presidium, fmt.Sprintf("/api/simeng/analysis/overview?period=%d", period), &running)
		after := chinatime.In(time.Now()).Format("2006-01")
		if n := len(running.Months); n != 24 || (running.Months[n-1].Month != before && running.Months[n-1].Month != after) {
			t.Errorf("period %d: %d months ending %s, want 24 ending %s", period, n, running.Months[n-1].Month, after)
		}
	}

	// a department limited to village B sees only B
	getJSON(t, c, deptNarrow, "/api/simeng/analysis/overview?"+q, &o)
	if o.Total != 3 || len(o.Villages) != 1 || o.Villages[0].Key != f.VillageB {
		t.Errorf("narrow department: total %d villages %+v", o.Total, o.Villages)
	}
	r := c.Must(http.StatusBadRequest, deptNarrow, http.MethodGet, "/api/simeng/analysis/overview?"+q+"&village="+f.VillageA, nil)
	if r.FieldError(t, "village") == "" {
		t.Errorf("another village is not refused naming village: %s", r.Body)
	}
	r = c.Must(http.StatusBadRequest, presidium, http.MethodGet, "/api/simeng/analysis/overview?period=2025-13&status=late", nil)
	if !strings.Contains(r.FieldError(t, "period"), "2025-Q1") || r.FieldError(t, "status") == "" {
		t.Errorf("bad period and status not named: %s", r.Body)
	}
}

type termsResult struct {
	Pending int `json:"pending"`
	Top     struct {
		Records int `json:"records"`
		Words   []struct {
			Term            string
			Count, Previous int
			Trend           string
			IDs             []string
		} `json:"words"`
		Phrases []struct {
			Term  string
			Count int
		} `json:"phrases"`
	} `json:"top"`
}

// Recurring words come from gse with the township's dictionary (桥思公路
// is one word), counted per record with the change against the quarter
// before and the records behind each.
func TestTerms(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	var r termsResult
	getJSON(t, c, presidium, "/api/simeng/analysis/terms?"+q, &r)
	words := map[string]int{}
	for _, w := range r.Top.Words {
		words[w.Term] = w.Count
		if w.Term == "停水" && (w.Previous != 1 || w.Trend != "rising" || len(w.IDs) != w.Count) {
			t.Errorf("停水: %+v", w)
		}
	}
	if words["停水"] < 5 || words["自来水"] < 5 || words["桥思公路"] != 2 {
		t.Errorf("words %v", words)
	}
	for w := range words {
		if w == "桥思" || w == "思蒙湾村" || w == "演示" {
			t.Errorf("%s counted: dictionary words or ignored ones", w)
		}
	}
	if r.Pending != 0 {
		t.Errorf("%d still pending after a view", r.Pending)
	}

	getJSON(t, c, presidium, "/api/simeng/analysis/terms?"+q+"&village="+f.VillageB, &r)
	if r.Top.Records != 3 || r.Top.Words[0].Term != "桥思公路" {
		t.Errorf("village B: %+v", r.Top)
	}
	var byVillage struct {
		Villages []struct {
			Name string `json:"name"`
		} `json:"villages"`
	}
	getJSON(t, c, presidium, "/api/simeng/analysis/terms/villages?"+q, &byVillage)
	if len(byVillage.Villages) != 2 {
		t.Errorf("terms by village: %+v", byVillage)
	}
}

// The same problem raised again and again in one village is one cluster,
// worded for the presidium, and each of its records carries the flag in
// search results.
func TestRecurring(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	var r struct {
		Clusters []struct {
			Village, Name, Message string
			Count                  int
			IDs                    []string
			Categories             []string
		} `json:"clusters"`
	}
	getJSON(t, c, presidium, "/api/simeng/analysis/recurring?"+q, &r)
	if len(r.Clusters) != 1 {
		t.Fatalf("clusters: %+v", r.Clusters)
	}
	cl := r.Clusters[0]
	if cl.Village != f.VillageA || cl.Count < 3 || !slices.Equal(cl.Categories, []string{"饮水安全"}) ||
		!strings.Contains(cl.Message, "在思蒙湾村：2025年第2季度第") || !strings.HasSuffix(cl.Message, "次反映") {
		t.Errorf("cluster %+v", cl)
	}
	if cl.IDs[0] != "suggestions/"+f.IDs["demand_water_1"] {
		t.Errorf("the first report is %s, want demand_water_1", cl.IDs[0])
	}

	var s searchResult
	getJSON(t, c, presidium, "/api/simeng/analysis/search?"+q+"&village="+f.VillageA+"&category="+url.QueryEscape("饮水安全"), &s)
	flagged := 0
	for _, it := range s.Items {
		if it.Recurrence != nil {
			flagged++
			if !strings.Contains(it.Recurrence.Message, "思蒙湾村") {
				t.Errorf("flag %+v", it.Recurrence)
			}
		}
	}
	if flagged != cl.Count {
		t.Errorf("%d search results flagged, want %d", flagged, cl.Count)
	}
	// the department limited to village B sees no cluster of A
	getJSON(t, c, dept, "/api/simeng/analysis/recurring?"+q+"&min=2", &r)
	if len(r.Clusters) == 0 {
		t.Error("department with every village sees no cluster")
	}
	c.Must(http.StatusBadRequest, presidium, http.MethodGet, "/api/simeng/analysis/recurring?"+q+"&threshold=2", nil)
}

// Search finds demands by any two characters, with filters, newest first;
// a deputy finds only their own, a department only its villages; numbers
// typed into a text are masked whoever asks; spam is never found.
func TestSearch(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	search := func(role, query string) searchResult {
		t.Helper()
		var s searchResult
		getJSON(t, c, role, "/api/simeng/analysis/search?"+q+"&"+query, &s)
		return s
	}
	s := search(presidium, "q="+url.QueryEscape("停水"))
	if s.TotalItems != 5 || s.Items[0].ID != "problems/"+f.IDs["demand_water_problem"] && s.Items[0].ID != "suggestions/"+f.IDs["demand_water_4"] {
		t.Errorf("停水: %d %v", s.TotalItems, s.ids())
	}
	for _, it := range s.Items {
		if it.Village != f.VillageA {
			t.Errorf("停水 found in %s", it.Village)
		}
	}
	if s := search(presidium, "q="+url.QueryEscape("桥思公路 积水")); s.TotalItems != 1 || s.Items[0].ID != "suggestions/"+f.IDs["demand_road_b1"] {
		t.Errorf("桥思公路 积水: %v", s.ids())
	}
	if s := search(presidium, "q="+url.QueryEscape("停水")+"&status=closed"); s.TotalItems != 1 {
		t.Errorf("closed 停水: %v", s.ids())
	}
	if s := search(presidium, "source=problems"); s.TotalItems != 1 || s.Items[0].Kind != "problems" {
		t.Errorf("problems: %v", s.ids())
	}
	if s := search(presidium, "source=suggestions:hotline"); s.TotalItems != 2 {
		t.Errorf("hotline: %v", s.ids())
	}
	if s := search(presidium, "q="+url.QueryEscape("广告")); s.TotalItems != 0 {
		t.Errorf("spam found: %v", s.ids())
	}
	// FTS5 syntax typed in is only text
	if s := search(presidium, "q="+url.QueryEscape(`停水" OR "教育 NEAR(a b) *`)); s.TotalItems != 0 {
		t.Errorf("query syntax injected: %v", s.ids())
	}

	own := search(deputy, "")
	for _, it := range own.Items {
		if strings.Contains(it.ID, f.IDs["demand_water_3"]) || it.Village == f.VillageB {
			t.Errorf("deputy sees %s (%s)", it.ID, it.Village)
		}
	}
	if own.TotalItems != 5 {
		t.Errorf("deputy's own demands: %d %v", own.TotalItems, own.ids())
	}
	if s := search(deptNarrow, ""); s.TotalItems != 3 {
		t.Errorf("narrow department: %v", s.ids())
	}

	lamp := search(presidium, "q="+url.QueryEscape("路灯"))
	if len(lamp.Items) != 1 || strings.Contains(lamp.Items[0].Text, testapp.AnalysisPhone) || !strings.Contains(lamp.Items[0].Text, "139****4321") {
		t.Errorf("phone in the text not masked: %+v", lamp.Items)
	}
	raw := c.Must(http.StatusOK, superuser, http.MethodGet, "/api/simeng/analysis/search?"+q+"&q="+url.QueryEscape("路灯"), nil)
	for _, secret := range []string{testapp.AnalysisPhone, testapp.ResidentPhone, "刘桂花", "resident"} {
		if strings.Contains(string(raw.Body), secret) {
			t.Errorf("staff's search shows %q", secret)
		}
	}

	r := c.Must(http.StatusBadRequest, presidium, http.MethodGet, "/api/simeng/analysis/search?perPage=500&source=letters", nil)
	if r.FieldError(t, "source") == "" {
		t.Errorf("bad source not named: %s", r.Body)
	}
	r = c.Must(http.StatusBadRequest, presidium, http.MethodGet, "/api/simeng/analysis/search?perPage=500", nil)
	if r.FieldError(t, "perPage") == "" {
		t.Errorf("bad perPage not named: %s", r.Body)
	}
	r = c.Must(http.StatusBadRequest, presidium, http.MethodGet, "/api/simeng/analysis/records?ids=../x", nil)
	if r.FieldError(t, "ids") == "" {
		t.Errorf("bad ids not named: %s", r.Body)
	}
}

// Words by village are kept rendered until what they show changes: the
// same ask answers the same, a new demand of the period (once its terms
// are extracted) and a renamed village are never served from the kept
// answer, and a department limited to villages gets only its own.
func TestVillageTermsKeptUntilChange(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	type byVillage struct {
		Pending  int `json:"pending"`
		Villages []struct {
			Village string `json:"village"`
			Name    string `json:"name"`
			Records int    `json:"records"`
		} `json:"villages"`
	}
	path := "/api/simeng/analysis/terms/villages?" + q
	ask := func() (byVillage, string) {
		t.Helper()
		r := c.Must(http.StatusOK, presidium, http.MethodGet, path, nil)
		var out byVillage
		if err := json.Unmarshal(r.Body, &out); err != nil {
			t.Fatal(err)
		}
		return out, string(r.Body)
	}
	of := func(a byVillage, village string) (string, int) {
		for _, v := range a.Villages {
			if v.Village == village {
				return v.Name, v.Records
			}
		}
		return "", -1
	}
	first, raw := ask()
	if _, again := ask(); again != raw {
		t.Fatal("the same ask answered differently")
	}
	key, err := c.App.FindRecordById("analysis_dept_keys", f.IDs["key_"+deptNarrow])
	if err != nil {
		t.Fatal(err)
	}
	key.Set("scope", []string{"terms"})
	if err := c.App.Save(key); err != nil {
		t.Fatal(err)
	}
	var narrow byVillage
	getJSON(t, c, deptNarrow, path, &narrow)
	if len(narrow.Villages) != 1 || narrow.Villages[0].Village != f.VillageB {
		t.Errorf("a key limited to village B got %+v", narrow.Villages)
	}
	_, before := of(first, f.VillageB)

	col, _ := c.App.FindCollectionByNameOrId("suggestions")
	s := newRecord(col, map[string]any{"source": "hotline", "category": "道路交通", "village": f.VillageB,
		"content": "桥思公路的路面又塌了一段，摩托车过不去。", "received_at": "2025-06-03 02:00:00.000Z"})
	if err := c.App.Save(s); err != nil {
		t.Fatal(err)
	}
	got, _ := ask()
	if _, n := of(got, f.VillageB); n != before+1 || got.Pending != 0 {
		t.Errorf("after a new demand in village B: %d records (%d pending), want %d", n, got.Pending, before+1)
	}

	v, err := c.App.FindRecordById("villages", f.VillageA)
	if err != nil {
		t.Fatal(err)
	}
	v.Set("name", "思蒙湾新村")
	if err := c.App.Save(v); err != nil {
		t.Fatal(err)
	}
	got, _ = ask()
	if name, _ := of(got, f.VillageA); name != "思蒙湾新村" {
		t.Errorf("after the rename village A is %q", name)
	}
}
