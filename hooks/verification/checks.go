package verification

import (
	"cmp"
	"encoding/json"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/pii"
	"simeng/plausibility"
)

// loadChecks reads the visits matching where (alias v), newest first, with
// their flags and review history.
func loadChecks(app core.App, where dbx.Expression, limit int64) ([]checkItem, error) {
	var rows []struct {
		ID           string         `db:"id"`
		Deputy       string         `db:"deputy"`
		DeputyName   string         `db:"deputy_name"`
		Village      string         `db:"village"`
		HeadName     string         `db:"head_name"`
		VisitedAt    types.DateTime `db:"visited_at"`
		ReceivedAt   types.DateTime `db:"received_at"`
		Review       string         `db:"review"`
		ReviewNote   string         `db:"review_note"`
		Callback     string         `db:"callback"`
		Confirmation string         `db:"confirmation"`
		Flags        string         `db:"flags"`
	}
	err := app.DB().Select("v.id", "v.deputy", "COALESCE(d.name, '') AS deputy_name", "COALESCE(vl.name, '') AS village",
		"COALESCE(h.head_name, '') AS head_name", "v.visited_at", "v.received_at", "v.review", "v.review_note", "v.callback",
		"COALESCE(v.confirmation, '') AS confirmation", "COALESCE(v.flags, '') AS flags").
		From("visits v").
		LeftJoin("deputies d", dbx.NewExp("d.id = v.deputy")).
		LeftJoin("households h", dbx.NewExp("h.id = v.household")).
		LeftJoin("villages vl", dbx.NewExp("vl.id = h.village")).
		Where(where).OrderBy("v.visited_at DESC", "v.id").Limit(limit).All(&rows)
	if err != nil {
		return nil, err
	}
	items := make([]checkItem, 0, len(rows))
	index := map[string]int{}
	ids := make([]any, 0, len(rows))
	for i, r := range rows {
		it := checkItem{Visit: r.ID, Deputy: r.Deputy, DeputyName: r.DeputyName, Village: r.Village,
			Household: pii.MaskName(r.HeadName), VisitedAt: r.VisitedAt.String(), ReceivedAt: r.ReceivedAt.String(),
			Review: r.Review, ReviewNote: r.ReviewNote, Callback: r.Callback, Flags: []flagItem{}, History: []reviewItem{}}
		var c struct {
			Name string `json:"name"`
		}
		if r.Confirmation != "" && json.Unmarshal([]byte(r.Confirmation), &c) == nil && c.Name != "" {
			it.Confirmed = pii.MaskName(c.Name)
		}
		var open []visitFlag
		_ = json.Unmarshal([]byte(r.Flags), &open)
		for _, f := range open {
			it.Flags = append(it.Flags, flagItem{Kind: string(f.Kind), Label: f.Kind.Label(), Reason: f.Reason,
				Status: "open", Related: append([]string{}, f.Related...), raisedAt: f.RaisedAt})
		}
		items = append(items, it)
		index[r.ID] = i
		ids = append(ids, r.ID)
	}
	if len(ids) == 0 {
		return items, nil
	}
	// The flags no longer open: a kind open again is shown as open.
	var resolved []struct {
		Visit    string `db:"visit"`
		Kind     string `db:"kind"`
		Reason   string `db:"reason"`
		Related  string `db:"related"`
		RaisedAt string `db:"raised_at"`
	}
	if err := app.DB().Select("visit", "kind", "reason", "related", "raised_at").From("visit_flags").
		Where(dbx.And(dbx.In("visit", ids...), dbx.HashExp{"status": "resolved"})).All(&resolved); err != nil {
		return nil, err
	}
	for _, f := range resolved {
		it := &items[index[f.Visit]]
		if slices.ContainsFunc(it.Flags, func(o flagItem) bool { return o.Kind == f.Kind }) {
			continue
		}
		fi := flagItem{Kind: f.Kind, Label: plausibility.Kind(f.Kind).Label(), Reason: f.Reason, Status: "resolved",
			Related: []string{}, raisedAt: f.RaisedAt}
		_ = json.Unmarshal([]byte(f.Related), &fi.Related)
		it.Flags = append(it.Flags, fi)
	}
	for i := range items {
		slices.SortStableFunc(items[i].Flags, func(a, b flagItem) int {
			return cmp.Or(cmp.Compare(a.raisedAt, b.raisedAt), cmp.Compare(a.Kind, b.Kind))
		})
	}
	var reviews []struct {
		Visit    string         `db:"visit"`
		Decision string         `db:"decision"`
		Note     string         `db:"note"`
		By       string         `db:"by"`
		At       types.DateTime `db:"at"`
	}
	if err := app.DB().Select("visit", "decision", "note", "by", "at").From("visit_reviews").
		Where(dbx.In("visit", ids...)).OrderBy("at", "id").All(&reviews); err != nil {
		return nil, err
	}
	for _, r := range reviews {
		it := &items[index[r.Visit]]
		it.History = append(it.History, reviewItem{Decision: r.Decision, Note: r.Note, By: r.By, At: r.At.String()})
	}
	return items, nil
}
