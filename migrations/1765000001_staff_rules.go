package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// ruleSet is a collection's API rules; a nil field is left out of the
// comparison and the change (Manage only applies to auth collections).
type ruleSet struct {
	List, View, Create, Update, Delete, Manage *string
}

// staffRuleChange is one collection's rules before and after staff got
// theirs.
type staffRuleChange struct {
	Collection    string
	Before, After ruleSet
}

// Office staff (the `staff` collection) do the office's daily work through
// the records API: they read everything the presidium reads plus the
// registers, and create, update and (where a mistake must be undone)
// delete where the office works. They never write assessment_scores,
// visit_year_results, the sync bookkeeping, suggestion_abuse_events or
// audit_log (those rules stay nil: superusers only), and never delete
// what deputies and residents recorded (suggestions, problems,
// inspections, hazards: their history counts).
//
// Every rule is the literal it becomes, beside the literal it was; the
// migration refuses to run over rules that are not what it expects, so a
// rule another migration changed is never silently dropped.
func init() {
	m.Register(func(app core.App) error {
		return applyStaffRules(app, false)
	}, func(app core.App) error {
		return applyStaffRules(app, true)
	})
}

func applyStaffRules(app core.App, down bool) error {
	for _, ch := range staffRuleChanges {
		from, to := ch.Before, ch.After
		if down {
			from, to = to, from
		}
		c, err := app.FindCollectionByNameOrId(ch.Collection)
		if err != nil {
			return err
		}
		fields := []struct {
			name     string
			cur      **string
			from, to *string
			set      bool
		}{
			{"listRule", &c.ListRule, from.List, to.List, true},
			{"viewRule", &c.ViewRule, from.View, to.View, true},
			{"createRule", &c.CreateRule, from.Create, to.Create, hasOp(ch, "create")},
			{"updateRule", &c.UpdateRule, from.Update, to.Update, hasOp(ch, "update")},
			{"deleteRule", &c.DeleteRule, from.Delete, to.Delete, hasOp(ch, "delete")},
			{"manageRule", &c.ManageRule, from.Manage, to.Manage, hasOp(ch, "manage")},
		}
		for _, f := range fields {
			if !f.set {
				continue
			}
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

// hasOp: the change touches op (its After names a rule for it, or staff
// keep nothing there but the Before says otherwise).
func hasOp(ch staffRuleChange, op string) bool {
	switch op {
	case "create":
		return ch.After.Create != nil
	case "update":
		return ch.After.Update != nil
	case "delete":
		return ch.After.Delete != nil
	case "manage":
		return ch.After.Manage != nil
	}
	return false
}

func sameRule(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func show(s *string) string {
	if s == nil {
		return "nil"
	}
	return fmt.Sprintf("%q", *s)
}

var staffRuleChanges = []staffRuleChange{
	{Collection: "villages",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), Create: nil, Update: nil, Delete: nil},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Delete: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "deputies",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), Create: nil, Update: rule(`id = @request.auth.id && @request.auth.collectionName = "deputies" && @request.auth.active = true && @request.body.name:isset = false && @request.body.phone:isset = false && @request.body.village:isset = false && @request.body.constituency:isset = false && @request.body.level:isset = false && @request.body.presidium:isset = false && @request.body.term:isset = false && @request.body.active:isset = false && @request.body.code:isset = false && @request.body.verified:isset = false && @request.body.email:isset = false && @request.body.gender:isset = false`), Delete: nil, Manage: nil},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`(id = @request.auth.id && @request.auth.collectionName = "deputies" && @request.auth.active = true && @request.body.name:isset = false && @request.body.phone:isset = false && @request.body.village:isset = false && @request.body.constituency:isset = false && @request.body.level:isset = false && @request.body.presidium:isset = false && @request.body.term:isset = false && @request.body.active:isset = false && @request.body.code:isset = false && @request.body.verified:isset = false && @request.body.email:isset = false && @request.body.gender:isset = false) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Delete: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Manage: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "households",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || village = @request.auth.village || deputy = @request.auth.id || visits_via_household.deputy ?= @request.auth.id)`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || village = @request.auth.village || deputy = @request.auth.id || visits_via_household.deputy ?= @request.auth.id)`)},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || village = @request.auth.village || deputy = @request.auth.id || visits_via_household.deputy ?= @request.auth.id)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || village = @request.auth.village || deputy = @request.auth.id || visits_via_household.deputy ?= @request.auth.id)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`)}},
	{Collection: "problems",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`), Create: nil, Update: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && @request.auth.presidium = true && @request.body.source:isset = false && @request.body.source_id:isset = false && @request.body.deputy:isset = false && @request.body.household:isset = false`)},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && @request.auth.presidium = true && @request.body.source:isset = false && @request.body.source_id:isset = false && @request.body.deputy:isset = false && @request.body.household:isset = false) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`)}},
	{Collection: "visits",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`)},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`)}},
	{Collection: "sync_conflicts",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`)},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`)}},
	{Collection: "household_aliases",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`)},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`)}},
	{Collection: "visit_years",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), Create: nil, Update: nil},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "visit_year_results",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`)},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`)}},
	{Collection: "visit_pace_flags",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`)},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`)}},
	{Collection: "calendar_overrides",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), Create: nil, Update: nil, Delete: nil},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Delete: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "suggestions",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && moderation != "spam" && (deputy = @request.auth.id || @request.auth.presidium = true)`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && moderation != "spam" && (deputy = @request.auth.id || @request.auth.presidium = true)`), Create: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && @request.body.deputy = @request.auth.id && @request.body.source = "visit"`), Update: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && moderation != "spam" && (deputy = @request.auth.id || @request.auth.presidium = true)`)},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && moderation != "spam" && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && moderation != "spam" && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && @request.body.deputy = @request.auth.id && @request.body.source = "visit") || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Update: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && moderation != "spam" && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`)}},
	{Collection: "suggestion_abuse_events",
		Before: ruleSet{List: nil, View: nil},
		After:  ruleSet{List: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), View: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "inspection_sites",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), Create: nil, Update: nil, Delete: nil},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Delete: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "inspections",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || deputy = @request.auth.id || participants.id ?= @request.auth.id)`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || deputy = @request.auth.id || participants.id ?= @request.auth.id)`), Create: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), Update: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && deputy = @request.auth.id`)},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || deputy = @request.auth.id || participants.id ?= @request.auth.id)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || deputy = @request.auth.id || participants.id ?= @request.auth.id)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Update: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && deputy = @request.auth.id) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`)}},
	{Collection: "hazards",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || deputy = @request.auth.id || inspection.deputy = @request.auth.id || inspection.participants.id ?= @request.auth.id)`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || deputy = @request.auth.id || inspection.deputy = @request.auth.id || inspection.participants.id ?= @request.auth.id)`), Create: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), Update: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || deputy = @request.auth.id || inspection.deputy = @request.auth.id)`)},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || deputy = @request.auth.id || inspection.deputy = @request.auth.id || inspection.participants.id ?= @request.auth.id)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || deputy = @request.auth.id || inspection.deputy = @request.auth.id || inspection.participants.id ?= @request.auth.id)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Update: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || deputy = @request.auth.id || inspection.deputy = @request.auth.id)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`)}},
	{Collection: "inspection_plan",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), Create: nil, Update: nil, Delete: nil},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Delete: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "meetings",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), Create: nil, Update: nil, Delete: nil},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Delete: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "meeting_attendance",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`), Create: nil, Update: nil, Delete: nil},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Delete: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "meeting_agenda_items",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), Create: nil, Update: nil, Delete: nil},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Delete: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "meeting_resolutions",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), Create: nil, Update: nil, Delete: nil},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Delete: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "meeting_tasks",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), Create: nil, Update: rule(`owner_deputy = @request.auth.id && @request.auth.collectionName = "deputies" && @request.auth.active = true && @request.body.meeting:isset = false && @request.body.resolution:isset = false && @request.body.title:isset = false && @request.body.owner:isset = false && @request.body.owner_deputy:isset = false && @request.body.deadline:isset = false && @request.body.done_at:isset = false`), Delete: nil},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`(owner_deputy = @request.auth.id && @request.auth.collectionName = "deputies" && @request.auth.active = true && @request.body.meeting:isset = false && @request.body.resolution:isset = false && @request.body.title:isset = false && @request.body.owner:isset = false && @request.body.owner_deputy:isset = false && @request.body.deadline:isset = false && @request.body.done_at:isset = false) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Delete: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "deputy_activities",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`), Create: nil, Update: nil, Delete: nil},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Delete: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "assessment_rules",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), Create: nil, Update: nil, Delete: nil},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Delete: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "assessment_settings",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true`), Create: nil, Update: nil},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), Create: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`), Update: rule(`@request.auth.collectionName = "staff" && @request.auth.active = true`)}},
	{Collection: "assessment_scores",
		Before: ruleSet{List: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`), View: rule(`@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)`)},
		After:  ruleSet{List: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`), View: rule(`(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`)}},
}
