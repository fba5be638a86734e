package guard

import (
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// MemoryLimitEnv sets the Go runtime's soft memory limit in MiB (the
// garbage collector works harder rather than let the heap grow past it);
// GOMEMLIMIT, if set, wins.
const MemoryLimitEnv = "SIMENG_MEMORY_LIMIT"

// DefaultMemoryLimitMiB is the soft memory limit without MemoryLimitEnv.
const DefaultMemoryLimitMiB = 512

// PrivateProcess is called by main before anything is created: every file
// and directory the server makes from then on (data.db and its -wal and
// -shm, auxiliary.db, uploads, thumbnails, backups, the secrets' files)
// is readable by the server's user alone (umask 077), and the heap has a
// soft limit.
func PrivateProcess() {
	privateUmask()
	if os.Getenv("GOMEMLIMIT") == "" {
		mib, err := strconv.Atoi(strings.TrimSpace(os.Getenv(MemoryLimitEnv)))
		if err != nil || mib <= 0 {
			mib = DefaultMemoryLimitMiB
		}
		debug.SetMemoryLimit(int64(mib) << 20)
	}
}

// bindPrivateFiles tightens a data dir made before (an existing install):
// directories 0700, files 0600, once the app has bootstrapped.
func bindPrivateFiles(app core.App) {
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		if n, err := tightenDir(e.App.DataDir()); err != nil {
			e.App.Logger().Warn("could not make the data dir private", slog.String("error", err.Error()))
		} else if n > 0 {
			e.App.Logger().Info("data dir made private (dirs 0700, files 0600)", slog.Int("changed", n))
		}
		return nil
	})
}

// tightenDir makes every directory under dir 0700 and every regular file
// 0600, and says how many it changed.
func tightenDir(dir string) (changed int, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil // removed while walking (a -shm file, a temp file)
			}
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			if err := os.Chmod(p, want); err != nil && !os.IsNotExist(err) {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, err
}
