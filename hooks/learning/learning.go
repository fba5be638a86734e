// Package learning is the learning board (学习园地, R16): articles staff
// publish for deputies — 政策解读, 履职案例, training materials, the rule
// documents such as the 「两规则四办法」 and 《怀化市县乡人大工作36法》 —
// pulled to the phones with the sync pull so they can be read offline; the
// read receipts (阅读记录) the phones send through the offline outbox; the
// materials of the training meetings (季度集训); and who has read what,
// for staff and the presidium.
package learning

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/syncengine"
)

// Collections.
const (
	articlesCollection = "articles"
	readsCollection    = "article_reads"
)

// Register wires articles (pulled, read-only, by every deputy), read
// receipts (pushed) and the reading overview.
func Register(app core.App) {
	syncengine.AddCollection(app, syncengine.Collection{
		Name:     articlesCollection,
		ReadOnly: true,
		Fields:   []string{"title", "category", "summary", "body", "document", "source", "meetings", "published"},
		Export:   exportArticle,
	})
	syncengine.AddCollection(app, syncengine.Collection{
		Name:       readsCollection,
		OwnerField: "deputy",
		Fields:     []string{"article"},
		ExtraKeys:  []string{"read_at"},
		Apply:      applyRead,
	})

	app.OnRecordValidate(articlesCollection).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetBool("published") && e.Record.GetDateTime("published_at").IsZero() {
			e.Record.Set("published_at", types.NowDateTime())
		}
		return e.Next()
	})
	app.OnRecordCreate(readsCollection).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetDateTime("read_at").IsZero() {
			e.Record.Set("read_at", types.NowDateTime())
		}
		return e.Next()
	})
	bindReadingRoutes(app)
}

// exportArticle is what a phone pulls of an article: all of it while it is
// published, with the address of its document (a protected file: the phone
// adds a file token); of one taken down, only that it was, so the phone
// drops its copy.
func exportArticle(_, rec *core.Record, data map[string]any) {
	if !rec.GetBool("published") {
		for k := range data {
			if k != "id" {
				delete(data, k)
			}
		}
		data["published"] = false
		return
	}
	if f := rec.GetString("document"); f != "" {
		data["document_url"] = "/api/files/" + url.PathEscape(rec.Collection().Id) + "/" + url.PathEscape(rec.Id) + "/" + url.PathEscape(f)
	}
}

// ReadID is the id of deputy's read receipt of article. Every phone of the
// deputy makes the same id for it, so a receipt sent from two phones, or
// twice, is one record (the push answers already_have).
func ReadID(deputy, article string) string {
	sum := sha256.Sum256([]byte("article_read:" + deputy + ":" + article))
	return hex.EncodeToString(sum[:])[:15]
}

// applyRead checks a read receipt a phone pushed: its id is the one for
// this deputy and article, the article is published, and the time the
// deputy opened it is a sane device time (the earliest is kept).
func applyRead(c *syncengine.ApplyContext) error {
	rec := c.Record
	errs := validation.Errors{}
	article := rec.GetString("article")
	if rec.Id != ReadID(c.Auth.Id, article) {
		errs["id"] = validation.NewError("invalid_id", "阅读记录的编号应由代表和文章算出。")
	}
	if a, err := c.App.FindRecordById(articlesCollection, article); err != nil || !a.GetBool("published") {
		errs["article"] = validation.NewError("not_found", "文章不存在或已撤下。")
	}
	if c.Data.Has("read_at") {
		t, err := time.Parse(time.RFC3339, c.Data.String("read_at"))
		switch {
		case err != nil:
			errs["read_at"] = validation.NewError("invalid_date", "阅读时间格式应为 2026-03-05T09:30:00+08:00。")
		case c.CheckDeviceTime(t, time.Now()) != syncengine.TimeOK:
			errs["read_at"] = validation.NewError("invalid_date", "阅读时间不对，请检查手机时间。")
		default:
			if old := rec.GetDateTime("read_at"); old.IsZero() || t.Before(old.Time()) {
				rec.Set("read_at", t.UTC())
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
