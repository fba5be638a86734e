package roster_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/archive"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"simeng/internal/testapp"
)

// TestBackupRestoresIntoAFreshDataDir restores a backup the way README.md
// says (unzip into an empty data dir) and finds every record and file.
func TestBackupRestoresIntoAFreshDataDir(t *testing.T) {
	app := testapp.New(t)
	f := testapp.F(t)

	deputy, err := app.FindRecordById("deputies", f.Deputy)
	if err != nil {
		t.Fatal(err)
	}
	photo, err := filesystem.NewFileFromBytes(testapp.PNG(t, 4, 4, 200), "avatar.png")
	if err != nil {
		t.Fatal(err)
	}
	deputy.Set("avatar", photo)
	if err := app.Save(deputy); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, c := range []string{"deputies", "villages", core.CollectionNameSuperusers} {
		n, err := app.CountRecords(c)
		if err != nil {
			t.Fatal(err)
		}
		want[c] = int(n)
	}

	if err := app.CreateBackup(context.Background(), "test_backup.zip"); err != nil {
		t.Fatal(err)
	}
	restored := t.TempDir()
	if err := archive.Extract(filepath.Join(app.DataDir(), core.LocalBackupsDirName, "test_backup.zip"), restored); err != nil {
		t.Fatal(err)
	}

	fresh, err := tests.NewTestApp(restored)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Cleanup()
	for c, n := range want {
		got, err := fresh.CountRecords(c)
		if err != nil {
			t.Fatal(err)
		}
		if int(got) != n {
			t.Errorf("%s: %d records after restore, want %d", c, got, n)
		}
	}
	r, err := fresh.FindRecordById("deputies", f.Deputy)
	if err != nil {
		t.Fatal(err)
	}
	if r.GetString("phone") != f.DeputyPhone {
		t.Errorf("phone after restore = %q", r.GetString("phone"))
	}
	name := r.GetString("avatar")
	if name == "" {
		t.Fatal("avatar lost in the backup")
	}
	stored := filepath.Join(fresh.DataDir(), "storage", r.BaseFilesPath(), name)
	got, err := os.ReadFile(stored)
	if err != nil {
		t.Fatalf("avatar file not restored: %v", err)
	}
	if !bytes.Equal(got, testapp.PNG(t, 4, 4, 200)) {
		t.Error("avatar bytes differ after restore")
	}
}
