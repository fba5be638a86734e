package migrations

import (
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Office staff do the office's part of 云端议事, 微调研, 调研报告 and the
// learning board through the records API: they read what the presidium
// reads, draft and run topics and surveys as the presidium does (under the
// same field limits), moderate comments, and keep the learning board's
// articles (create, update, take down). Reports stay the deputies' to
// write; staff review them through the research routes.
func init() {
	const staff = `@request.auth.collectionName = "staff" && @request.auth.active = true`
	type grant struct {
		collection string
		ops        []string // the rules extended to staff
	}
	grants := []grant{
		{"topics", []string{"list", "view", "create", "update", "delete"}},
		{"topic_comments", []string{"list", "view", "update"}},
		{"surveys", []string{"list", "view", "create", "update", "delete"}},
		{"research_reports", []string{"list", "view"}},
		{"articles", []string{"list", "view", "create", "update", "delete"}},
		{"article_reads", []string{"list", "view"}},
	}
	// forStaff is the staff's half of a rule: a presidium rule's own
	// conditions apply to staff too; any other rule is opened to staff
	// whole (staff see every row a deputy may see part of).
	forStaff := func(before string) string {
		if strings.HasPrefix(before, rulePresidium) {
			return staff + before[len(rulePresidium):]
		}
		return staff
	}
	apply := func(app core.App, down bool) error {
		for _, g := range grants {
			c, err := app.FindCollectionByNameOrId(g.collection)
			if err != nil {
				return err
			}
			rules := map[string]**string{"list": &c.ListRule, "view": &c.ViewRule, "create": &c.CreateRule, "update": &c.UpdateRule, "delete": &c.DeleteRule}
			for _, op := range g.ops {
				r := rules[op]
				switch {
				case down && *r != nil && strings.HasPrefix(**r, staff):
					*r = nil
				case down && *r != nil:
					cur := **r
					i := strings.LastIndex(cur, ") || (")
					if !strings.HasPrefix(cur, "(") || i < 0 {
						return fmt.Errorf("%s.%s is not a rule this migration made: %s", c.Name, op, show(*r))
					}
					*r = rule(cur[1:i])
				case down:
					return fmt.Errorf("%s.%s is empty; this migration made it", c.Name, op)
				case *r == nil:
					*r = rule(staff)
				case strings.Contains(**r, `"staff"`):
					return fmt.Errorf("%s.%s already names staff: %s", c.Name, op, show(*r))
				default:
					*r = rule("(" + **r + ") || (" + forStaff(**r) + ")")
				}
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}
	m.Register(func(app core.App) error { return apply(app, false) }, func(app core.App) error { return apply(app, true) })
}
