package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Office staff do the office's part of the analysis and the reports
// through the records API, not only superusers: they keep the township
// dictionary (analysis_words), read and switch off the departments' keys
// (analysis_dept_keys; a key is still made only by its route, which shows
// the token once, its hash never changes, and it is never deleted), read the access log of the sharing
// (analysis_access_log; nobody writes it through the API), read and edit
// the annual report draft as the presidium does, read every deputy's 述职
// draft (only the deputy edits it) and record the 述职评议 results.
//
// Every rule is the literal it becomes beside the literal it was; the
// migration refuses to run over a rule that is not what it expects.
func init() {
	const staff = `@request.auth.collectionName = "staff" && @request.auth.active = true`
	const annualBody = ` && @request.body.year:isset = false && @request.body.figures:isset = false` +
		` && @request.body.generated_at:isset = false`
	or := func(before string) *string { return rule("(" + before + ") || (" + staff + ")") }
	annualUpdate := rulePresidium + annualBody
	changes := []staffRuleChange{
		{"analysis_words",
			ruleSet{List: rule(rulePresidium), View: rule(rulePresidium), Create: nil, Update: nil, Delete: nil},
			ruleSet{List: or(rulePresidium), View: or(rulePresidium), Create: rule(staff), Update: rule(staff), Delete: rule(staff)}},
		{"analysis_dept_keys",
			ruleSet{List: nil, View: nil, Update: nil},
			ruleSet{List: rule(staff), View: rule(staff), Update: rule(staff)}},
		{"analysis_access_log",
			ruleSet{List: nil, View: nil},
			ruleSet{List: rule(staff), View: rule(staff)}},
		{"annual_reports",
			ruleSet{List: rule(rulePresidium), View: rule(rulePresidium), Update: rule(annualUpdate)},
			ruleSet{List: or(rulePresidium), View: or(rulePresidium), Update: rule("(" + annualUpdate + ") || (" + staff + annualBody + ")")}},
		{"duty_reports",
			ruleSet{List: rule(ruleOwnOrPresidium), View: rule(ruleOwnOrPresidium)},
			ruleSet{List: or(ruleOwnOrPresidium), View: or(ruleOwnOrPresidium)}},
		{"duty_reviews",
			ruleSet{List: rule(ruleOwnOrPresidium), View: rule(ruleOwnOrPresidium), Create: rule(rulePresidium), Update: rule(rulePresidium), Delete: rule(rulePresidium)},
			ruleSet{List: or(ruleOwnOrPresidium), View: or(ruleOwnOrPresidium), Create: or(rulePresidium), Update: or(rulePresidium), Delete: or(rulePresidium)}},
	}
	writes := map[string][]string{
		"analysis_words":     {"create", "update", "delete"},
		"analysis_dept_keys": {"update"},
		"annual_reports":     {"update"},
		"duty_reviews":       {"create", "update", "delete"},
	}
	apply := func(app core.App, down bool) error {
		for _, ch := range changes {
			from, to := ch.Before, ch.After
			if down {
				from, to = to, from
			}
			c, err := app.FindCollectionByNameOrId(ch.Collection)
			if err != nil {
				return err
			}
			type change struct {
				name     string
				cur      **string
				from, to *string
			}
			all := []change{{"listRule", &c.ListRule, from.List, to.List}, {"viewRule", &c.ViewRule, from.View, to.View}}
			for _, op := range writes[ch.Collection] {
				switch op {
				case "create":
					all = append(all, change{"createRule", &c.CreateRule, from.Create, to.Create})
				case "update":
					all = append(all, change{"updateRule", &c.UpdateRule, from.Update, to.Update})
				case "delete":
					all = append(all, change{"deleteRule", &c.DeleteRule, from.Delete, to.Delete})
				}
			}
			for _, f := range all {
				if !sameRule(*f.cur, f.from) {
					return fmt.Errorf("%s.%s is not the rule this migration expects: %s", c.Name, f.name, show(*f.cur))
				}
				*f.cur = f.to
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}
	m.Register(func(app core.App) error { return apply(app, false) }, func(app core.App) error { return apply(app, true) })
}
