package analysis

import (
	"github.com/pocketbase/dbx"

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
		params["limit"], params["offset"] = 20, 0
		out[name] = struct {
			SQL    string
			Params dbx.Params
		}{`SELECT s.record FROM ` + from + cond + searchOrder, params}
	}
	where, params := filters{period: p}.where(staff, true)
	out["overview groups"] = struct {
		SQL    string
		Params dbx.Params
	}{`SELECT s.village, s.category, s.state, s.kind, s.channel, count(*) AS n FROM demand_index s` + whereSQL(where) +
		` GROUP BY s.village, s.category, s.state, s.kind, s.channel`, params}
	return out
}
