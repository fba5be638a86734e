package assessment

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/scoring"
)

// ruleFields are the assessment_rules fields that make up a scoring.Rule,
// named as its JSON tags.
var ruleFields = []string{"key", "group", "title", "metric", "kind", "points", "tiers", "thresholds",
	"base", "deductions", "no_cases", "scale_min", "scale_max", "cap", "bonus"}

// settingsFields are the assessment_settings fields that make up the rest
// of scoring.Rules. The households a deputy must visit are not among them:
// that is the ≥12 households rule's setting (visit_years), applied per year
// by the scorer; an empty capped_grade switches the cap off.
var settingsFields = []string{"grades", "bonus_cap", "capped_grade"}

// rulesCache holds the scheme between writes to the rule collections, so
// that the per-write rescore does not reload 15 records each time. Every
// write to assessment_rules or assessment_settings bumps the version (in
// the write, and again after its transaction commits or rolls back); a
// load only fills the cache if no bump happened meanwhile.
type rulesCache struct {
	mu      sync.Mutex
	version uint64
	rules   *scoring.Rules
}

const rulesCacheKey = "assessment.rules"

func rulesCacheOf(app core.App) *rulesCache {
	return app.Store().GetOrSet(rulesCacheKey, func() any { return &rulesCache{} }).(*rulesCache)
}

func (c *rulesCache) invalidate() {
	c.mu.Lock()
	c.version++
	c.rules = nil
	c.mu.Unlock()
}

// loadRules returns the scheme staff edit in assessment_rules and
// assessment_settings, from the cache when it is current.
func loadRules(app core.App) (scoring.Rules, error) {
	c := rulesCacheOf(app)
	c.mu.Lock()
	cached, version := c.rules, c.version
	c.mu.Unlock()
	if cached != nil {
		return *cached, nil
	}
	rules, err := readRules(app)
	if err != nil {
		return rules, err
	}
	c.mu.Lock()
	if c.version == version {
		c.rules = &rules
	}
	c.mu.Unlock()
	return rules, nil
}

// readRules reads the scheme from the database. Without a settings row the
// default scheme's grades and grade cap apply.
func readRules(app core.App) (scoring.Rules, error) {
	rows, err := app.FindRecordsByFilter("assessment_rules", "", "position,key", 0, 0)
	if err != nil {
		return scoring.Rules{}, err
	}
	settings, err := app.FindFirstRecordByFilter("assessment_settings", "")
	if err != nil {
		settings = nil
	}
	return rulesFrom(rows, settings)
}

func rulesFrom(rows []*core.Record, settings *core.Record) (scoring.Rules, error) {
	rules := scoring.DefaultRules()
	rules.Items = make([]scoring.Rule, 0, len(rows))
	if settings != nil {
		if err := decodeFields(settings, settingsFields, &rules); err != nil {
			return scoring.Rules{}, err
		}
	}
	if rules.CappedGrade == "" {
		rules.HouseholdsRequired = 0
	}
	for _, r := range rows {
		var item scoring.Rule
		if err := decodeFields(r, ruleFields, &item); err != nil {
			return scoring.Rules{}, err
		}
		rules.Items = append(rules.Items, item)
	}
	return rules, nil
}

// decodeFields copies the named record fields into dst through their JSON
// names, so the collections and the scoring types cannot drift apart silently.
func decodeFields(r *core.Record, fields []string, dst any) error {
	m := make(map[string]any, len(fields))
	for _, f := range fields {
		m[f] = r.Get(f)
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, dst)
}

func bindAssessmentRules(app core.App) {
	for _, name := range []string{"assessment_rules", "assessment_settings"} {
		invalidate := func(e *core.RecordEvent) error {
			err := e.Next()
			rulesCacheOf(e.App).invalidate()
			return err
		}
		app.OnRecordCreate(name).BindFunc(invalidate)
		app.OnRecordUpdate(name).BindFunc(invalidate)
		app.OnRecordDelete(name).BindFunc(invalidate)
		app.OnRecordAfterCreateSuccess(name).BindFunc(invalidate)
		app.OnRecordAfterUpdateSuccess(name).BindFunc(invalidate)
		app.OnRecordAfterDeleteSuccess(name).BindFunc(invalidate)
		invalidateOnError := func(e *core.RecordErrorEvent) error {
			rulesCacheOf(e.App).invalidate()
			return e.Next()
		}
		app.OnRecordAfterCreateError(name).BindFunc(invalidateOnError)
		app.OnRecordAfterUpdateError(name).BindFunc(invalidateOnError)
		app.OnRecordAfterDeleteError(name).BindFunc(invalidateOnError)
	}

	// A rule row is checked together with the rest of the scheme, so that
	// e.g. a duplicate key or a metric of the wrong type is refused with the
	// field named, and a broken scheme never reaches the scorer.
	app.OnRecordValidate("assessment_rules").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		others, err := e.App.FindRecordsByFilter("assessment_rules", "id != {:id}", "position,key", 0, 0, map[string]any{"id": e.Record.Id})
		if err != nil {
			return err
		}
		settings, _ := e.App.FindFirstRecordByFilter("assessment_settings", "")
		rules, err := rulesFrom(append(others, e.Record), settings)
		if err != nil {
			return validation.Errors{"key": validation.NewError("validation_assessment_rule", err.Error())}
		}
		return ruleErrors(rules.Validate(), len(others))
	})

	app.OnRecordValidate("assessment_settings").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		if e.Record.IsNew() {
			if n, _ := e.App.CountRecords("assessment_settings"); n > 0 {
				return validation.Errors{"grades": validation.NewError("validation_assessment_singleton",
					"考核设置只有一条，请编辑已有的那条")}
			}
		}
		rows, err := e.App.FindRecordsByFilter("assessment_rules", "", "position,key", 0, 0)
		if err != nil {
			return err
		}
		rules, err := rulesFrom(rows, e.Record)
		if err != nil {
			return validation.Errors{"grades": validation.NewError("validation_assessment_settings", err.Error())}
		}
		return settingsErrors(rules.Validate())
	})

	// Scores computed before a rule edit are stale until recomputed; the
	// settings row remembers when the rules last changed.
	touch := func(e *core.RecordEvent) error {
		app := e.App // see rescoreAround
		if err := e.Next(); err != nil {
			return err
		}
		if s, err := app.FindFirstRecordByFilter("assessment_settings", ""); err == nil {
			s.Set("rules_changed_at", types.NowDateTime())
			return app.SaveNoValidate(s)
		}
		return nil
	}
	app.OnRecordCreate("assessment_rules").BindFunc(touch)
	app.OnRecordUpdate("assessment_rules").BindFunc(touch)
	app.OnRecordDelete("assessment_rules").BindFunc(touch)
	app.OnRecordUpdate("assessment_settings").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("rules_changed_at") == e.Record.Original().GetString("rules_changed_at") {
			e.Record.Set("rules_changed_at", types.NowDateTime())
		}
		return e.Next()
	})

	// The last rule cannot go: a scheme needs at least one item.
	app.OnRecordDelete("assessment_rules").BindFunc(func(e *core.RecordEvent) error {
		if n, _ := e.App.CountRecords("assessment_rules"); n <= 1 {
			return errors.New("考核方案至少需要一个考核项")
		}
		return e.Next()
	})
}

// ruleErrors maps scoring's errors about items[index] onto the row's fields:
// "items[3].tiers[0].up_to" becomes the field "tiers" with the path in the
// message. Errors about other rows or the scheme cannot be caused by this
// row alone and are reported on "key".
func ruleErrors(err error, index int) error {
	var verr scoring.ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	prefix := "items[" + strconv.Itoa(index) + "]."
	out := validation.Errors{}
	for _, fe := range verr {
		path, ok := strings.CutPrefix(fe.Field, prefix)
		field := fieldOf(path)
		if !ok {
			field = "key"
			path = fe.Field
		}
		msg := fe.Message
		if path != field {
			msg = path + ": " + msg
		}
		if _, seen := out[field]; !seen {
			out[field] = validation.NewError("validation_assessment_rule", msg)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func settingsErrors(err error) error {
	var verr scoring.ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	out := validation.Errors{}
	for _, fe := range verr {
		if strings.HasPrefix(fe.Field, "items") {
			continue // the rows' own concern; the settings cannot make an item invalid
		}
		field := fieldOf(fe.Field)
		if _, seen := out[field]; !seen {
			out[field] = validation.NewError("validation_assessment_settings", fe.Field+": "+fe.Message)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// fieldOf is the top-level field of a path such as "tiers[0].up_to".
func fieldOf(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}
