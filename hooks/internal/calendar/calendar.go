// Package calendar is the working-day calendar the capabilities share:
// lunar-go's official holiday schedules (package workdays) plus the
// corrections staff keep in calendar_overrides. It is built once and
// rebuilt on the first use after an override changes, so every deadline a
// resident, a deputy or a handling unit sees ends on the same days.
package calendar

import (
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"simeng/workdays"
)

const storeKey = "simeng.calendar"

type cache struct {
	mu  sync.Mutex
	cal *workdays.Calendar
	// changed are called after an override changed, once the cache is reset.
	changed []func(app core.App) error
}

func cacheOf(app core.App) *cache {
	return app.Store().GetOrSet(storeKey, func() any { return &cache{} }).(*cache)
}

// Of is app's calendar.
func Of(app core.App) (*workdays.Calendar, error) {
	c := cacheOf(app)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cal != nil {
		return c.cal, nil
	}
	records, err := app.FindAllRecords("calendar_overrides")
	if err != nil {
		return nil, err
	}
	overrides := make([]workdays.Override, 0, len(records))
	for _, r := range records {
		overrides = append(overrides, workdays.Override{Date: r.GetString("date"), Workday: r.GetBool("workday"), Name: r.GetString("name")})
	}
	c.cal = workdays.New(overrides...)
	return c.cal, nil
}

// OnChange calls fn after each change of an override (the cache already
// reset), e.g. to recompute the deadlines still running. The first call
// binds the hooks that watch calendar_overrides.
func OnChange(app core.App, fn func(app core.App) error) {
	c := cacheOf(app)
	c.mu.Lock()
	first := len(c.changed) == 0
	c.changed = append(c.changed, fn)
	c.mu.Unlock()
	if !first {
		return
	}
	changed := func(e *core.RecordEvent) error {
		c.mu.Lock()
		c.cal = nil
		fns := append([]func(core.App) error(nil), c.changed...)
		c.mu.Unlock()
		for _, f := range fns {
			if err := f(e.App); err != nil {
				e.App.Logger().Error("calendar change", "error", err)
			}
		}
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess("calendar_overrides").BindFunc(changed)
	app.OnRecordAfterUpdateSuccess("calendar_overrides").BindFunc(changed)
	app.OnRecordAfterDeleteSuccess("calendar_overrides").BindFunc(changed)
}
