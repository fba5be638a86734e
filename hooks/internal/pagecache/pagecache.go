// Package pagecache keeps the platform's public pages rendered: a resident
// scanning a deputy's code (/d/{code}) and, later, the liaison station's,
// the projects', the topics' and the surveys' pages are the same for
// everyone but one value (the form token), so each is rendered once per
// key (a code, a station, a year) and served spliced (Page), until a
// record it was made from changes or the China-time day ends.
//
// A capability makes one Cache per kind of page, naming the collections
// whose writes change it:
//
//	pages := pagecache.New(app, "deputies", "villages")
//	page, err := pages.Get(code, func() (*pagecache.Page, error) { … render … })
//	return page.Write(e.Response, e.Request, http.StatusOK, token)
//
// Any committed create, update or delete of a record of those collections,
// by any door (the API, the admin UI, a hook), drops every page of the
// Cache (Forget drops one); so does a change of the app settings, which
// hold the app's name. A page rendered while such a write committed is
// not kept. Pages expire at the next midnight China time, for what
// depends on the date (the next market days), or earlier at the moment a
// page says it changes by itself (Page.Until: a topic's or a survey's
// deadline).
package pagecache

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
)

// maxPages bounds a cache's memory: past it every page is dropped and
// rendered again when next asked for.
const maxPages = 10_000

// Cache keeps rendered pages by key.
type Cache struct {
	mu    sync.Mutex
	pages map[string]kept
	gen   uint64 // bumped by every forget: a render begun before is not kept
}

type kept struct {
	page    *Page
	expires time.Time
}

// New returns an empty cache whose pages are forgotten whenever a record
// of one of collections changes (and when the settings do).
func New(app core.App, collections ...string) *Cache {
	c := &Cache{pages: map[string]kept{}}
	c.Watch(app, collections...)
	app.OnSettingsReload().BindFunc(func(e *core.SettingsReloadEvent) error {
		c.ForgetAll()
		return e.Next()
	})
	return c
}

// Watch adds collections whose committed writes forget every page: for a
// part of the pages another capability fills in, which registers later
// (the liaison station's receptions on a deputy's page).
func (c *Cache) Watch(app core.App, collections ...string) {
	if len(collections) == 0 {
		return
	}
	forget := func(e *core.RecordEvent) error {
		c.ForgetAll()
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(collections...).BindFunc(forget)
	app.OnRecordAfterUpdateSuccess(collections...).BindFunc(forget)
	app.OnRecordAfterDeleteSuccess(collections...).BindFunc(forget)
}

// Get returns the page of key, rendering it with render when none is
// kept (or the kept one has expired). An error from render is returned
// and nothing is kept.
func (c *Cache) Get(key string, render func() (*Page, error)) (*Page, error) {
	now := time.Now()
	c.mu.Lock()
	k, ok := c.pages[key]
	gen := c.gen
	c.mu.Unlock()
	if ok && now.Before(k.expires) {
		return k.page, nil
	}
	page, err := render()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		if len(c.pages) >= maxPages {
			clear(c.pages)
		}
		expires := nextMidnight(now)
		if !page.until.IsZero() && page.until.Before(expires) {
			expires = page.until
		}
		c.pages[key] = kept{page: page, expires: expires}
	}
	return page, nil
}

// Forget drops the page of key.
func (c *Cache) Forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pages, key)
	c.gen++
}

// ForgetAll drops every page.
func (c *Cache) ForgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.pages)
	c.gen++
}

// nextMidnight is the first moment of the China-time day after now's.
func nextMidnight(now time.Time) time.Time {
	d := chinatime.In(now)
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, chinatime.Location())
}
