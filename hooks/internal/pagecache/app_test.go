package pagecache_test

import (
	"errors"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/pagecache"
	"simeng/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// A committed write to a watched collection, by any door, and a change of
// the settings drop the pages; a rolled-back write and a write elsewhere
// do not.
func TestWritesForgetThePages(t *testing.T) {
	app := testapp.New(t)
	c := pagecache.New(app, "villages")
	renders := 0
	get := func() {
		t.Helper()
		_, err := c.Get("a", func() (*pagecache.Page, error) {
			renders++
			return pagecache.NewPage([]byte("<p>HOLE</p>"), "HOLE", 1)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	want := func(n int, after string) {
		t.Helper()
		get()
		if renders != n {
			t.Fatalf("after %s: %d renders, want %d", after, renders, n)
		}
	}
	want(1, "the first request")
	want(1, "a second request")

	village, err := app.FindRecordById("villages", testapp.F(t).VillageA)
	if err != nil {
		t.Fatal(err)
	}
	village.Set("name", "思蒙湾村（新）")
	if err := app.Save(village); err != nil {
		t.Fatal(err)
	}
	want(2, "a village renamed")

	village.Set("name", "回滚的名字")
	_ = app.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(village); err != nil {
			return err
		}
		return errRollback
	})
	want(2, "a rolled-back rename")

	h, err := app.FindRecordById("households", testapp.F(t).IDs["household_a"])
	if err != nil {
		t.Fatal(err)
	}
	h.Set("address", "9组9号")
	if err := app.Save(h); err != nil {
		t.Fatal(err)
	}
	want(2, "a write to a collection not watched")

	s := app.Settings()
	s.Meta.AppName = "思蒙镇人大（测试）"
	if err := app.Save(s); err != nil {
		t.Fatal(err)
	}
	want(3, "the settings changed")
}

var errRollback = errors.New("rollback")
