package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Handling units (承办单位) and office staff in the 急难愁盼 lifecycle and
// the year-end records (issue 13, on top of the staff and units accounts):
//
//   - problems.unit names the unit a problem is forwarded to (a relation to
//     units); the old free-text forwarded_to stays, readable for rows
//     forwarded before units had accounts, and holds the unit's name;
//   - a unit reads the problems forwarded to it and their steps, and
//     records its answer through the records API (the problems hooks let
//     it change only status → answered and the reply);
//   - staff read the steps, the history of closes and reopens, the task
//     progress reports, edit the problem settings and the meeting rhythm.
//
// The rules are frozen literals, as every migration's.
const (
	ruleStaff1765200004 = `@request.auth.collectionName = "staff" && @request.auth.active = true`
	ruleUnit1765200004  = `@request.auth.collectionName = "units" && @request.auth.active = true`

	problemsRead1765200004 = `(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true))` +
		` || (` + ruleStaff1765200004 + `)` +
		` || (` + ruleUnit1765200004 + ` && unit = @request.auth.id)`
	problemsUpdate1765200004 = `(@request.auth.collectionName = "deputies" && @request.auth.active = true && @request.auth.presidium = true && @request.body.source:isset = false && @request.body.source_id:isset = false && @request.body.deputy:isset = false && @request.body.household:isset = false)` +
		` || (` + ruleStaff1765200004 + `)` +
		` || (` + ruleUnit1765200004 + ` && unit = @request.auth.id)`
	problemEventsRead1765200004 = `(` + ruleDeputy + ` && (problem.deputy = @request.auth.id || @request.auth.presidium = true))` +
		` || (` + ruleStaff1765200004 + `)` +
		` || (` + ruleUnit1765200004 + ` && problem.unit = @request.auth.id)`
	deputyOrStaff1765200004    = `(` + ruleDeputy + `) || (` + ruleStaff1765200004 + `)`
	presidiumOrStaff1765200004 = `(` + rulePresidium + `) || (` + ruleStaff1765200004 + `)`
)

func init() {
	m.Register(func(app core.App) error {
		units, err := app.FindCollectionByNameOrId("units")
		if err != nil {
			return err
		}
		problems, err := app.FindCollectionByNameOrId("problems")
		if err != nil {
			return err
		}
		problems.Fields.Add(&core.RelationField{Name: "unit", CollectionId: units.Id, MaxSelect: 1})
		if err := withHelp(problems, map[string]string{
			"unit":         "承办单位：转办给哪个承办单位（其账号可查看并登记答复）",
			"forwarded_to": "转办单位名称（选了承办单位时自动填入其名称；早期转办只有名称）",
		}); err != nil {
			return err
		}
		problems.AddIndex("idx_problems_unit", false, "unit, status", "")
		problems.ListRule = rule(problemsRead1765200004)
		problems.ViewRule = rule(problemsRead1765200004)
		problems.UpdateRule = rule(problemsUpdate1765200004)
		if err := app.Save(problems); err != nil {
			return err
		}
		return setIssue13Rules(app, []issue13Rules{
			{"problem_events", rule(problemEventsRead1765200004), nil, nil, nil},
			{"problem_settings", rule(deputyOrStaff1765200004), nil, rule(ruleStaff1765200004), nil},
			{"year_events", rule(presidiumOrStaff1765200004), nil, nil, nil},
			{"meeting_task_progress", rule(deputyOrStaff1765200004),
				rule(`(` + ruleDeputy + ` && task.owner_deputy = @request.auth.id) || (` + ruleStaff1765200004 + `)`), nil, nil},
			{"meeting_rhythm", rule(deputyOrStaff1765200004), rule(ruleStaff1765200004), rule(ruleStaff1765200004), rule(ruleStaff1765200004)},
		})
	}, func(app core.App) error {
		problems, err := app.FindCollectionByNameOrId("problems")
		if err != nil {
			return err
		}
		problems.Fields.RemoveByName("unit")
		problems.RemoveIndex("idx_problems_unit")
		if err := withHelp(problems, map[string]string{"forwarded_to": "转办单位（名称）"}); err != nil {
			return err
		}
		before := `(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (` + ruleStaff1765200004 + `)`
		problems.ListRule = rule(before)
		problems.ViewRule = rule(before)
		problems.UpdateRule = rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && @request.auth.presidium = true && @request.body.source:isset = false && @request.body.source_id:isset = false && @request.body.deputy:isset = false && @request.body.household:isset = false) || (` + ruleStaff1765200004 + `)`)
		if err := app.Save(problems); err != nil {
			return err
		}
		return setIssue13Rules(app, []issue13Rules{
			{"problem_events", rule(ruleDeputy + ` && (problem.deputy = @request.auth.id || @request.auth.presidium = true)`), nil, nil, nil},
			{"problem_settings", rule(ruleDeputy), nil, nil, nil},
			{"year_events", rule(rulePresidium), nil, nil, nil},
			{"meeting_task_progress", rule(ruleDeputy), rule(ruleDeputy + ` && task.owner_deputy = @request.auth.id`), nil, nil},
			{"meeting_rhythm", rule(ruleDeputy), nil, nil, nil},
		})
	})
}

// issue13Rules is a collection's list/view, create, update and delete rules
// as one migration sets them (nil: superusers only).
type issue13Rules struct {
	collection             string
	read                   *string
	create, update, delete *string
}

func setIssue13Rules(app core.App, changes []issue13Rules) error {
	for _, ch := range changes {
		c, err := app.FindCollectionByNameOrId(ch.collection)
		if err != nil {
			return err
		}
		c.ListRule, c.ViewRule = ch.read, ch.read
		c.CreateRule, c.UpdateRule, c.DeleteRule = ch.create, ch.update, ch.delete
		if err := app.Save(c); err != nil {
			return err
		}
	}
	return nil
}
