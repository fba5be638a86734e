package migrations

import (
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

// withoutDown are the migrations that cannot go down, and why.
var withoutDown = map[string]string{
	// App settings (name, batch API, rate limits, logs, backups): staff
	// edit them in the admin UI; going down would overwrite their edits
	// with PocketBase's defaults, so a revert leaves them as they are.
	"1764100001_settings.go": "settings, not schema",
}

func freshApp(t *testing.T) *core.BaseApp {
	t.Helper()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir()})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.ResetBootstrapState() })
	return app
}

// Every migration runs up on a fresh data dir, then every one goes down
// again, newest first, leaving none of the platform's collections; then
// they all run up again.
func TestEveryMigrationRunsUpAndDown(t *testing.T) {
	app := freshApp(t)
	if err := app.RunAllMigrations(); err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, m := range core.AppMigrations.Items() {
		files = append(files, m.File)
		if m.Down == nil && withoutDown[m.File] == "" {
			t.Errorf("%s has no down migration and does not say why (withoutDown)", m.File)
		}
	}
	system, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	if len(system) < 15 {
		t.Fatalf("only %d collections after the migrations", len(system))
	}

	reverted, err := core.NewMigrationsRunner(app, core.AppMigrations).Down(len(files))
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(files)
	slices.Reverse(want)
	if !slices.Equal(reverted, want) {
		t.Fatalf("reverted %v, want every migration newest first %v", reverted, want)
	}
	left, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range left {
		if !c.System && c.Name != "users" {
			t.Errorf("collection %s is still there after every migration went down", c.Name)
		}
	}

	if err := app.RunAppMigrations(); err != nil {
		t.Fatalf("up again after down: %v", err)
	}
	if again, _ := app.FindAllCollections(); len(again) != len(system) {
		t.Fatalf("%d collections after up, down, up; %d the first time", len(again), len(system))
	}
}

// The settings migration schedules daily backups, keeping a week of them.
func TestBackupsAreScheduled(t *testing.T) {
	app := freshApp(t)
	if err := app.RunAllMigrations(); err != nil {
		t.Fatal(err)
	}
	b := app.Settings().Backups
	if b.Cron == "" || b.CronMaxKeep < 3 {
		t.Fatalf("backups = %+v, want a daily cron keeping a few", b)
	}
}
