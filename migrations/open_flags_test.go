package migrations

import (
	"encoding/json"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Moving open flags onto the visits (1766000000): an open row's related
// visits and raising time join the visit's flag of its kind and the row
// goes; a resolved row stays; an open row the visit does not carry is kept
// as resolved. Down writes the visit's open flags back as open rows.
func TestOpenFlagsMoveOntoVisits(t *testing.T) {
	app := freshApp(t)
	if err := app.RunAllMigrations(); err != nil {
		t.Fatal(err)
	}
	runner := core.NewMigrationsRunner(app, core.AppMigrations)
	// down through it, the migrations after it first
	downThrough := func() {
		t.Helper()
		for {
			reverted, err := runner.Down(1)
			if err != nil || len(reverted) != 1 {
				t.Fatalf("down: %v %v", reverted, err)
			}
			if reverted[0] == "1766000000_open_flags_on_visits.go" {
				return
			}
		}
	}
	downThrough()
	exec := func(q string, params dbx.Params) {
		t.Helper()
		if _, err := app.DB().NewQuery(q).Bind(params).Execute(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO visits (id, deputy, household, flags, received_at) VALUES
		('visitaaaaaaaaaa', 'deputyaaaaaaaaa', 'househldaaaaaaa', {:flags}, '2026-03-01 08:00:00.000Z'),
		('visitbbbbbbbbbb', 'deputyaaaaaaaaa', 'househldaaaaaaa', '[]', '2026-03-01 08:00:00.000Z')`,
		dbx.Params{"flags": `[{"kind":"one_sitting","label":"集中补录","reason":"6户"},{"kind":"late_upload","label":"补传","reason":"9天后"}]`})
	exec(`INSERT INTO visit_flags (id, visit, deputy, kind, reason, related, status, raised_at, resolved_at) VALUES
		('flag11111111111', 'visitaaaaaaaaaa', 'deputyaaaaaaaaa', 'one_sitting', '6户', '["visitccccccccc"]', 'open', '2026-03-02 08:00:00.000Z', ''),
		('flag22222222222', 'visitaaaaaaaaaa', 'deputyaaaaaaaaa', 'late_upload', '9天后', '[]', 'open', '2026-03-02 08:00:01.000Z', ''),
		('flag33333333333', 'visitaaaaaaaaaa', 'deputyaaaaaaaaa', 'callback_denied', '否认', '[]', 'resolved', '2026-03-01 09:00:00.000Z', '2026-03-03 09:00:00.000Z'),
		('flag44444444444', 'visitbbbbbbbbbb', 'deputyaaaaaaaaa', 'no_fix', '未定位', '[]', 'open', '2026-03-02 08:00:00.000Z', '')`, nil)

	if _, err := runner.Up(); err != nil {
		t.Fatal(err)
	}
	var flags string
	if err := app.DB().NewQuery("SELECT flags FROM visits WHERE id = 'visitaaaaaaaaaa'").Row(&flags); err != nil {
		t.Fatal(err)
	}
	var open []struct {
		Kind     string   `json:"kind"`
		Label    string   `json:"label"`
		Reason   string   `json:"reason"`
		Related  []string `json:"related"`
		RaisedAt string   `json:"raised_at"`
	}
	if err := json.Unmarshal([]byte(flags), &open); err != nil {
		t.Fatalf("flags %s: %v", flags, err)
	}
	if len(open) != 2 || open[0].Kind != "one_sitting" || open[0].Label != "集中补录" || len(open[0].Related) != 1 ||
		open[0].Related[0] != "visitccccccccc" || open[0].RaisedAt != "2026-03-02 08:00:00.000Z" ||
		open[1].Kind != "late_upload" || open[1].RaisedAt != "2026-03-02 08:00:01.000Z" {
		t.Errorf("the visit's flags after up: %s", flags)
	}
	rows := func() map[string]string {
		var got []struct {
			ID     string `db:"id"`
			Status string `db:"status"`
		}
		if err := app.DB().Select("id", "status").From("visit_flags").All(&got); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, r := range got {
			out[r.ID] = r.Status
		}
		return out
	}
	if got := rows(); len(got) != 2 || got["flag33333333333"] != "resolved" || got["flag44444444444"] != "resolved" {
		t.Errorf("visit_flags after up: %v, want the resolved row and the orphan open row kept as resolved", got)
	}
	visits, err := app.FindCollectionByNameOrId("visits")
	if err != nil {
		t.Fatal(err)
	}
	if visits.GetIndex("idx_visits_flagged") == "" {
		t.Errorf("no partial index of flagged visits")
	}

	downThrough()
	var n int
	if err := app.DB().NewQuery(`SELECT COUNT(*) FROM visit_flags WHERE visit = 'visitaaaaaaaaaa' AND status = 'open'
		AND ((kind = 'one_sitting' AND related = '["visitccccccccc"]') OR kind = 'late_upload')`).Row(&n); err != nil || n != 2 {
		t.Errorf("down wrote %d open rows back (%v), want 2", n, err)
	}
}
