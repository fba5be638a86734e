package assessment

import (
	"encoding/json"
	"sort"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/list"

	"simeng/hooks/internal/yearlog"
	"simeng/hooks/visits"
	"simeng/scoring"
)

// dossierEntry is one thing a deputy did, for the 履职档案.
type dossierEntry struct {
	DeputyID   string `json:"-"`
	Date       string `json:"date"`   // stored UTC date string
	Source     string `json:"source"` // e.g. 会议, 履职活动
	Kind       string `json:"kind"`   // e.g. 主席团会议
	Title      string `json:"title"`
	Detail     string `json:"detail,omitempty"`
	Collection string `json:"collection"`
	ID         string `json:"id"`
}

// dossier is a deputy's 履职档案 for one year: who, the score with its
// breakdown, the rank among all deputies, and everything recorded.
type dossier struct {
	Deputy dossierDeputy `json:"deputy"`
	Year   int           `json:"year"`
	Rank   int           `json:"rank"` // 0 when the deputy has no score row
	Of     int           `json:"of"`
	Frozen bool          `json:"frozen"`
	// Stale: computed before the last rule edit; a recompute will change it.
	Stale      bool           `json:"stale"`
	ComputedAt string         `json:"computed_at"`
	Result     scoring.Result `json:"result"`
	Inert      []inertItem    `json:"inert"`
	Sources    []string       `json:"sources"` // the fact sources, Chinese
	Entries    []dossierEntry `json:"entries"`
	// Households: the year's distinct households visited as scored, the
	// required number and whether it was met (R3).
	Households int  `json:"households"`
	Required   int  `json:"required"`
	Met        bool `json:"met"`
	// History: the year's closes and reopens (assessment and visit logs),
	// with this deputy's own figure before and after each.
	History []yearlog.Entry `json:"history"`
}

type dossierDeputy struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Village   string `json:"village"`
	Level     string `json:"level"`
	Presidium bool   `json:"presidium"`
	Term      string `json:"term"`
}

// rankRow is one line of the ranking (亮分).
type rankRow struct {
	Rank        int     `json:"rank" db:"-"`
	Deputy      string  `json:"deputy" db:"deputy"`
	Name        string  `json:"name" db:"name"`
	Village     string  `json:"village" db:"village"`
	Base        float64 `json:"base" db:"base"`
	Bonus       float64 `json:"bonus" db:"bonus"`
	Total       float64 `json:"total" db:"total"`
	Grade       string  `json:"grade" db:"grade"`
	GradeCapped bool    `json:"grade_capped" db:"grade_capped"`
	Frozen      bool    `json:"frozen" db:"frozen"`
	ComputedAt  string  `json:"computed_at" db:"computed_at"`
	// Households visited (the ≥12 rule's count, as scored) beside the
	// score, the year's required number and whether it was met.
	Households int  `json:"households" db:"households"`
	Required   int  `json:"required" db:"-"`
	Met        bool `json:"met" db:"-"`
}

// rulesChangedAt is when the rules were last edited ("" if never).
func rulesChangedAt(app core.App) string {
	var at string
	_ = app.DB().Select("COALESCE(MAX(rules_changed_at), '')").From("assessment_settings").Row(&at)
	return at
}

func stale(computedAt string, frozen bool, rulesChanged string) bool {
	return !frozen && computedAt < rulesChanged
}

// ranking lists the year's scores, best first; equal totals share a rank.
func ranking(app core.App, year int) ([]rankRow, error) {
	if app.TxInfo() == nil {
		Flush(app) // show every write made so far
	}
	var rows []rankRow
	err := app.DB().Select("s.deputy", "d.name", "COALESCE(v.name, '') AS village", "s.base", "s.bonus", "s.total",
		"s.grade", "s.grade_capped", "s.frozen", "s.computed_at",
		"CAST(COALESCE(json_extract(s.facts, '$.metrics.households.value'), 0) AS INTEGER) AS households").
		From("assessment_scores s").
		InnerJoin("deputies d", dbx.NewExp("d.id = s.deputy")).
		LeftJoin("villages v", dbx.NewExp("v.id = d.village")).
		Where(dbx.HashExp{"s.year": year}).
		OrderBy("s.total DESC", "d.name ASC", "s.deputy ASC").
		All(&rows)
	if err != nil {
		return nil, err
	}
	rule, err := visits.Rule(app, year)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].Required = rule.Required
		rows[i].Met = rows[i].Households >= rule.Required
		rows[i].Rank = i + 1
		if i > 0 && rows[i].Total == rows[i-1].Total {
			rows[i].Rank = rows[i-1].Rank
		}
	}
	return rows, nil
}

// buildDossiers returns the dossiers of the given deputies (all when ids is
// empty) for year, in ranking order.
func buildDossiers(app core.App, year int, ids []string) ([]dossier, error) {
	ranks, err := ranking(app, year)
	if err != nil {
		return nil, err
	}
	var deputies []*core.Record
	if len(ids) > 0 {
		deputies, err = app.FindRecordsByIds("deputies", ids)
	} else {
		deputies, err = app.FindAllRecords("deputies")
	}
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 && len(deputies) != len(ids) {
		return nil, nil
	}
	for _, err := range app.ExpandRecords(deputies, []string{"village"}, nil) {
		return nil, err
	}

	sources := factSources
	span := spanOf(year)
	deputyFilter := ""
	if len(ids) == 1 {
		deputyFilter = ids[0]
	}
	entries := map[string][]dossierEntry{}
	var sourceNames []string
	for _, s := range sources {
		sourceNames = append(sourceNames, s.name)
		es, err := s.entries(app, span, deputyFilter)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			entries[e.DeputyID] = append(entries[e.DeputyID], e)
		}
	}

	// Only the rows shown: a county's 1,500 rows each hold their facts.
	which := dbx.Expression(dbx.HashExp{"year": year})
	if len(ids) > 0 {
		which = dbx.And(which, dbx.In("deputy", list.ToInterfaceSlice(ids)...))
	}
	scores, err := app.FindAllRecords("assessment_scores", which)
	if err != nil {
		return nil, err
	}
	byDeputy := map[string]*core.Record{}
	for _, s := range scores {
		byDeputy[s.GetString("deputy")] = s
	}
	rankOf := map[string]int{}
	for _, r := range ranks {
		rankOf[r.Deputy] = r.Rank
	}

	history, err := yearlog.List(app, year)
	if err != nil {
		return nil, err
	}
	rule, err := visits.Rule(app, year)
	if err != nil {
		return nil, err
	}
	changed := rulesChangedAt(app)
	var live *scorer      // for deputies without a stored row, e.g. a past year never computed
	var current factSheet // the year's facts as gathered now: the records behind open rows
	out := make([]dossier, 0, len(deputies))
	for _, d := range deputies {
		dd := dossier{Year: year, Of: len(ranks), Rank: rankOf[d.Id], Sources: sourceNames,
			Entries: entries[d.Id], Deputy: dossierDeputy{ID: d.Id, Name: d.GetString("name"),
				Level: d.GetString("level"), Presidium: d.GetBool("presidium"), Term: d.GetString("term")}}
		if v := d.ExpandedOne("village"); v != nil {
			dd.Deputy.Village = v.GetString("name")
		}
		if dd.Entries == nil {
			dd.Entries = []dossierEntry{}
		}
		dd.History = yearlog.ForDeputy(history, d.Id)
		dd.Required = rule.Required
		sort.SliceStable(dd.Entries, func(i, j int) bool { return dd.Entries[i].Date < dd.Entries[j].Date })
		var facts scoring.Facts
		if row := byDeputy[d.Id]; row != nil {
			if err := decodeJSONField(row, "facts", &facts); err != nil {
				return nil, err
			}
			dd.Frozen = row.GetBool("frozen")
			dd.ComputedAt = row.GetString("computed_at")
			dd.Stale = stale(dd.ComputedAt, dd.Frozen, changed)
			if err := decodeJSONField(row, "result", &dd.Result); err != nil {
				return nil, err
			}
			if err := decodeJSONField(row, "inert", &dd.Inert); err != nil {
				return nil, err
			}
			if !dd.Frozen { // an open year's row stores counts: list the records
				if live == nil {
					if live, err = newScorer(app); err != nil {
						return nil, err
					}
				}
				if current == nil {
					if current, err = gatherFacts(app, live.sources, year, deputyFilter); err != nil {
						return nil, err
					}
				}
				if err := withRecords(app, live, current, &facts, &dd.Result); err != nil {
					return nil, err
				}
			}
		} else {
			if live == nil {
				if live, err = newScorer(app); err != nil {
					return nil, err
				}
			}
			sheet, err := gatherFacts(app, live.sources, year, d.Id)
			if err != nil {
				return nil, err
			}
			facts = sheet.facts(d.Id, year)
			if dd.Result, err = live.score(app, &facts); err != nil {
				return nil, err
			}
			if dd.Inert, err = live.inert(app, year); err != nil {
				return nil, err
			}
		}
		dd.Households = int(facts.Metrics[scoring.MetricHouseholds].Value)
		dd.Met = dd.Households >= dd.Required
		out = append(out, dd)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Result.Total != out[j].Result.Total {
			return out[i].Result.Total > out[j].Result.Total
		}
		return out[i].Deputy.Name < out[j].Deputy.Name
	})
	return out, nil
}

func decodeJSONField(r *core.Record, field string, dst any) error {
	raw, err := json.Marshal(r.Get(field))
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, dst)
}
