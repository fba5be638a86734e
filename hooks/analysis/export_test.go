package analysis

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/demand"
)

// PlanQueries are the analysis' heaviest queries, for the query-plan test:
// name → SQL and parameters.
func PlanQueries(village string) map[string]struct {
	SQL    string
	Params dbx.Params
} {
	out := map[string]struct {
		SQL    string
		Params dbx.Params
	}{}
	p, _ := demand.ParsePeriod("2025")
	staff := &viewer{kind: kindStaff}
	deputy := &viewer{kind: kindDeputy, deputy: "dep000000000001"}
	for name, c := range map[string]struct {
		v *viewer
		f filters
	}{
		"search words, village, year": {staff, filters{period: p, q: "停水", village: village}},
		"search words, deputy":        {deputy, filters{period: p, q: "路灯"}},
		"list by filter":              {staff, filters{period: p, village: village, state: "open"}},
	} {
		from, cond, params := searchQuery(c.v, c.f)
		sql := searchAllSQL(from, cond) // with words: every match, kept (searchWords)
		if c.f.q == "" {
			params["limit"], params["offset"] = 20, 0
			sql = `SELECT s.record FROM ` + from + cond + searchOrder
		}
		out[name] = struct {
			SQL    string
			Params dbx.Params
		}{sql, params}
	}
	out["month counts"] = struct {
		SQL    string
		Params dbx.Params
	}{`SELECT month, village, category, state, kind, channel, count(*) AS n FROM demand_index
		WHERE month IN ({:m0}, {:m1}) GROUP BY month, village, category, state, kind, channel`, dbx.Params{"m0": "2025-01", "m1": "2025-02"}}
	return out
}

// ExtractAll extracts the terms of every pending row (what the worker
// does in the background).
func ExtractAll(app core.App) error {
	d := deskOf(app)
	for {
		n, err := extractPending(app, d, extractBatch)
		if err != nil || n == 0 {
			return err
		}
	}
}

// BuildCorpus builds the app's corpus now (a server's first view does).
func BuildCorpus(app core.App) error {
	_, err := deskOf(app).corpusOf(app)
	return err
}

// SearchBySQL is a page of a staff member's search with words in period
// as search read it before its matches were kept (searchWords): a count,
// then the page by LIMIT and OFFSET.
func SearchBySQL(app core.App, period, words string, status string, page, perPage int) ([]string, int, error) {
	p, err := demand.ParsePeriod(period)
	if err != nil {
		return nil, 0, err
	}
	from, cond, params := searchQuery(&viewer{kind: kindStaff}, filters{period: p, q: words, state: status})
	var total int
	if err := app.DB().NewQuery(`SELECT count(*) FROM ` + from + cond).Bind(params).Row(&total); err != nil {
		return nil, 0, err
	}
	params["limit"], params["offset"] = perPage, (page-1)*perPage
	var keys []string
	err = app.DB().NewQuery(`SELECT s.record FROM ` + from + cond + searchOrder).Bind(params).Column(&keys)
	return keys, total, err
}
