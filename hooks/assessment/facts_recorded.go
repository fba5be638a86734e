package assessment

import (
	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/fielderr"
)

// Old and new, never twice (issue 14). Before the platform kept proposals
// and the livelihood projects' loop, staff typed counts into
// deputy_activities (kinds proposal, golden_idea, project_tracking,
// project_evaluation). Those rows stay and still count for a year in which
// the platform has no records of their kind (years before it, or a year
// whose work was done on paper). From the year's first record of a kind on,
// the records decide: the typed rows of that kind and year are listed in
// the 履职档案 as replaced and not counted, and no new typed row of that
// kind and year is accepted.

// recordedKind is where the records of a typed kind live for a year.
type recordedKind struct {
	collection string
	where      string // with {:y} the year
	what       string // Chinese, for the refusal
}

var recordedKinds = map[string]recordedKind{
	"proposal":           {"proposals", "year = {:y} AND status != 'inviting'", "议案建议"},
	"golden_idea":        {"proposals", "year = {:y} AND status != 'inviting'", "议案建议（金点子由主席团评选）"},
	"project_evaluation": {"evaluations", "year = {:y} AND status != 'draft'", "年终评议"},
	"project_tracking":   {"projects", "year = {:y} AND status IN ('chosen','in_progress','done')", "民生实事项目（专题视察关联项目）"},
}

// replacedKinds are the typed kinds that the platform's records replace
// in year.
func replacedKinds(app core.App, year int) (map[string]bool, error) {
	out := map[string]bool{}
	seen := map[string]bool{}
	for kind, rk := range recordedKinds {
		key := rk.collection + rk.where
		has, ok := seen[key]
		if !ok {
			n, err := app.CountRecords(rk.collection, dbx.NewExp(rk.where, dbx.Params{"y": year}))
			if err != nil {
				return nil, err
			}
			has = n > 0
			seen[key] = has
		}
		out[kind] = has
	}
	return out, nil
}

// typedHoldersIfFirst: when a record of collection is the only one of its
// year (the first, or the last one deleted), the typed rows of kinds for
// that year change from counted to replaced or back: their deputies are
// rescored.
func typedHoldersIfFirst(app core.App, collection, where string, year int, kinds ...string) ([]deputyYear, error) {
	if year == 0 {
		return nil, nil
	}
	n, err := app.CountRecords(collection, dbx.NewExp(where, dbx.Params{"y": year}))
	if err != nil || n > 1 {
		return nil, err
	}
	span := spanOf(year)
	var deputies []string
	vals := make([]any, len(kinds))
	for i, k := range kinds {
		vals[i] = k
	}
	err = app.DB().Select("DISTINCT deputy").From("deputy_activities").
		Where(dbx.NewExp("occurred_on >= {:from} AND occurred_on < {:to}", dbx.Params{"from": span.from, "to": span.to})).
		AndWhere(dbx.In("kind", vals...)).Column(&deputies)
	out := make([]deputyYear, len(deputies))
	for i, d := range deputies {
		out[i] = deputyYear{d, year}
	}
	return out, err
}

// bindRecordedActivities refuses a typed row of a kind whose records the
// platform keeps for that year.
func bindRecordedActivities(app core.App) {
	app.OnRecordValidate("deputy_activities").BindFunc(func(e *core.RecordEvent) error {
		kind := e.Record.GetString("kind")
		rk, ok := recordedKinds[kind]
		at := e.Record.GetDateTime("occurred_on")
		if !ok || at.IsZero() || (!e.Record.IsNew() && kind == e.Record.Original().GetString("kind") &&
			at.Equal(e.Record.Original().GetDateTime("occurred_on"))) {
			return e.Next()
		}
		n, err := e.App.CountRecords(rk.collection, dbx.NewExp(rk.where, dbx.Params{"y": yearOf(at)}))
		if err != nil {
			return err
		}
		if n > 0 {
			return fielderr.Merge(e.Next(), validation.Errors{"kind": validation.NewError("validation_recorded",
				"本年度的"+rk.what+"已在平台上办理，由平台记录自动计分，不能再手工登记")})
		}
		return e.Next()
	})
}
