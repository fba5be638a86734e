package analysis

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/demand"
)

// maxTermIDs is how many records a listed term links to (the drill-down
// pages through them).
const maxTermIDs = 50

func intParam(e *core.RequestEvent, name string, def, lo, hi int) (int, error) {
	raw := e.Request.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return 0, badParam(e, name, fmt.Sprintf("%s 应为 %d 到 %d 之间的整数", name, lo, hi))
	}
	return n, nil
}

// termsFor checks that a department limited to some villages names one of
// them: the corpus counts one village or all.
func termsVillage(e *core.RequestEvent, v *viewer, f filters) error {
	if len(v.villages) > 0 && f.village == "" {
		if len(v.villages) == 1 {
			return nil
		}
		return badParam(e, "village", "请选择一个村（社区）")
	}
	return nil
}

func termsRoute(e *core.RequestEvent) error {
	v := viewerOf(e)
	f, err := parseFilters(e, v)
	if err != nil {
		return err
	}
	if err := termsVillage(e, v, f); err != nil {
		return err
	}
	if f.village == "" && len(v.villages) == 1 {
		f.village = v.villages[0]
	}
	limit, err := intParam(e, "limit", 20, 1, 100)
	if err != nil {
		return err
	}
	c, pending, err := deskOf(e.App).ready(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	top := c.Top(demand.TopOptions{Period: f.period, Village: f.village, Category: f.category, Limit: limit, MaxIDs: maxTermIDs})
	setResults(e, top.Records)
	return e.JSON(http.StatusOK, map[string]any{"period": periodJSON(f.period), "village": f.village,
		"category": f.category, "pending": pending, "top": top})
}

func villageTermsRoute(e *core.RequestEvent) error {
	v := viewerOf(e)
	f, err := parseFilters(e, v)
	if err != nil {
		return err
	}
	limit, err := intParam(e, "limit", 10, 1, 50)
	if err != nil {
		return err
	}
	c, pending, err := deskOf(e.App).ready(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	names, err := villageNames(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	d := deskOf(e.App)
	// Every village's answer, as the presidium and staff ask it, is kept
	// rendered: a county's is megabytes of JSON (each term links to its
	// records), computed and encoded again at every ask otherwise.
	whole := f.village == "" && len(v.villages) == 0 && v.deputy == ""
	key := fmt.Sprintf("%s|%d|%d|%x", f.period.Key(), limit, pending, namesDigest(names))
	gen := d.corpusGeneration()
	if whole {
		if a, ok := d.rendered.get(key, gen); ok {
			setResults(e, a.results)
			return e.Blob(http.StatusOK, "application/json", a.body)
		}
	}
	type villageTop struct {
		Village string `json:"village"`
		Name    string `json:"name"`
		demand.Top
	}
	out := []villageTop{}
	for _, t := range c.TopByVillage(demand.TopOptions{Period: f.period, Limit: limit, MaxIDs: maxTermIDs}) {
		if !v.seesVillage(t.Village) || (f.village != "" && t.Village != f.village) {
			continue
		}
		out = append(out, villageTop{Village: t.Village, Name: villageLabel(names, t.Village), Top: t.Top})
	}
	setResults(e, len(out))
	body, err := json.Marshal(map[string]any{"period": periodJSON(f.period), "pending": pending, "villages": out})
	if err != nil {
		return e.InternalServerError("", err)
	}
	if whole {
		d.rendered.put(key, gen, renderedAnswer{body: body, results: len(out)})
	}
	return e.Blob(http.StatusOK, "application/json", body)
}

// namesDigest fingerprints the village names an answer shows, so that a
// renamed village is never served from a kept answer.
func namesDigest(names map[string]string) uint64 {
	ids := slices.Sorted(maps.Keys(names))
	h := fnv.New64a()
	for _, id := range ids {
		h.Write([]byte(id))
		h.Write([]byte{0})
		h.Write([]byte(names[id]))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// cluster is a recurring problem as the PWA and the reports show it.
type cluster struct {
	demand.Cluster
	Name    string `json:"name"` // the village's
	Count   int    `json:"count"`
	Message string `json:"message"` // 「饮水」在思蒙湾村：本季度第5次反映
}

func recurringRoute(e *core.RequestEvent) error {
	v := viewerOf(e)
	f, err := parseFilters(e, v)
	if err != nil {
		return err
	}
	minReports, err := intParam(e, "min", demand.DefaultMinReports, 2, 100)
	if err != nil {
		return err
	}
	threshold := demand.DefaultThreshold
	if raw := e.Request.URL.Query().Get("threshold"); raw != "" {
		t, err := strconv.ParseFloat(raw, 64)
		if err != nil || t < 0.1 || t > 1 {
			return badParam(e, "threshold", "相似度门槛应为 0.1 到 1 之间的小数，例如 0.5")
		}
		threshold = t
	}
	same := e.Request.URL.Query().Get("same_category") == "1"
	out, pending, err := recurring(e.App, v, f, minReports, threshold, same)
	if err != nil {
		return e.InternalServerError("", err)
	}
	setResults(e, len(out))
	return e.JSON(http.StatusOK, map[string]any{"period": periodJSON(f.period), "pending": pending, "clusters": out})
}

// recurring lists the period's recurring problems the viewer may see,
// most reports first.
func recurring(app core.App, v *viewer, f filters, minReports int, threshold float64, sameCategory bool) ([]cluster, int, error) {
	c, pending, err := deskOf(app).ready(app)
	if err != nil {
		return nil, 0, err
	}
	names, err := villageNames(app)
	if err != nil {
		return nil, 0, err
	}
	found := c.Recurrences(demand.RecurOptions{From: f.period.Start, To: f.period.End(), Village: f.village,
		MinReports: minReports, Threshold: threshold, SameCategory: sameCategory})
	out := []cluster{}
	for _, cl := range found {
		if !v.seesVillage(cl.Village) {
			continue
		}
		out = append(out, describe(cl, names, f.period))
	}
	return out, pending, nil
}

// describe words a cluster: 「饮水」在思蒙湾村：本季度第5次反映.
func describe(cl demand.Cluster, names map[string]string, p demand.Period) cluster {
	label := "同一问题"
	if len(cl.Label) > 0 {
		label = "「" + cl.Label[0] + "」"
	}
	when := p.Label()
	if p.Contains(time.Now()) {
		when = map[demand.PeriodKind]string{demand.Month: "本月", demand.Quarter: "本季度", demand.Year: "今年"}[p.Kind]
	}
	name := villageLabel(names, cl.Village)
	return cluster{Cluster: cl, Name: name, Count: len(cl.IDs),
		Message: fmt.Sprintf("%s在%s：%s第%d次反映", label, name, when, len(cl.IDs))}
}

// flag marks a record that is one report of a recurring problem.
type flag struct {
	Message string `json:"message"`
	N       int    `json:"n"`  // this record is the n-th report
	Of      int    `json:"of"` // of this many in the quarter
}

// recurrenceFlags returns, for the quarter that contains t, the records
// that belong to a recurring problem. Cached until the corpus changes.
func (d *desk) recurrenceFlags(app core.App, t time.Time) (map[string]flag, error) {
	q := demand.PeriodOf(demand.Quarter, t)
	c, err := d.corpusOf(app)
	if err != nil {
		return nil, err
	}
	gen := d.corpusGeneration()
	if byID, ok := d.recurrence.get(q.Key(), gen); ok {
		return byID, nil
	}
	names, err := villageNames(app)
	if err != nil {
		return nil, err
	}
	byID := map[string]flag{}
	for _, cl := range c.Recurrences(demand.RecurOptions{From: q.Start, To: q.End()}) {
		msg := describe(cl, names, q).Message
		for i, id := range cl.IDs {
			byID[id] = flag{Message: msg, N: i + 1, Of: len(cl.IDs)}
		}
	}
	d.recurrence.put(q.Key(), gen, byID)
	return byID, nil
}
