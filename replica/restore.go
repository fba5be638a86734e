package replica

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/benbjohnson/litestream"
)

// ErrDirNotEmpty is returned when a restore would overwrite something.
var ErrDirNotEmpty = errors.New("the data dir is not empty")

// Restored says what one database was brought back to. Litestream v0.5
// numbers every replicated transaction (TXID) and has no generations: the
// position is the TXID and the checksum of the database after it.
type Restored struct {
	Name     string    `json:"name"`
	TXID     uint64    `json:"txid"`
	Checksum string    `json:"checksum"`
	Time     time.Time `json:"time"` // when that transaction was replicated
	Bytes    int64     `json:"bytes"`
	Missing  bool      `json:"missing,omitempty"` // nothing in the replica (auxiliary.db only)
}

// CheckEmptyDir refuses a dir that holds anything; a missing dir is fine.
func CheckEmptyDir(dir string) error {
	f, err := os.Open(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if len(names) > 0 {
		return fmt.Errorf("%w: %s holds %s; restore only into an empty or new dir, so that nothing is overwritten", ErrDirNotEmpty, dir, names[0])
	}
	return nil
}

// RestoreDatabases restores every replicated database into dir (which must
// be empty) as of at, or the latest state when at is zero. data.db must be
// in the replica; auxiliary.db (logs) may be missing.
func RestoreDatabases(ctx context.Context, cfg Config, dir string, at time.Time, logger *slog.Logger) ([]Restored, error) {
	if !cfg.Enabled() {
		return nil, errors.New("no replica given")
	}
	if err := CheckEmptyDir(dir); err != nil {
		return nil, err
	}
	if cfg.Kind == KindS3 {
		ignoreCABundle(logger)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	var out []Restored
	for i, name := range Databases {
		r, err := restoreOne(ctx, cfg, name, filepath.Join(dir, name), at, logger)
		if err != nil && i > 0 && errors.Is(err, errNothingToRestore) {
			out = append(out, Restored{Name: name, Missing: true})
			continue
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

var errNothingToRestore = errors.New("the replica holds nothing to restore")

func restoreOne(ctx context.Context, cfg Config, name, output string, at time.Time, logger *slog.Logger) (Restored, error) {
	client, err := cfg.newClient(name)
	if err != nil {
		return Restored{}, err
	}
	if err := client.Init(ctx); err != nil {
		return Restored{}, err
	}
	plan, err := litestream.CalcRestorePlan(ctx, client, 0, at, logger)
	if err != nil || len(plan) == 0 {
		if err == nil || errors.Is(err, litestream.ErrTxNotAvailable) || errors.Is(err, litestream.ErrNoSnapshots) {
			if at.IsZero() {
				return Restored{}, errNothingToRestore
			}
			return Restored{}, fmt.Errorf("%w before %s", errNothingToRestore, at.Format(time.RFC3339))
		}
		return Restored{}, err
	}
	last := plan[len(plan)-1]

	rep := litestream.NewReplicaWithClient(nil, client)
	opt := litestream.NewRestoreOptions()
	opt.OutputPath = output
	opt.Timestamp = at
	opt.IntegrityCheck = litestream.IntegrityCheckQuick
	if err := rep.Restore(ctx, opt); err != nil {
		return Restored{}, err
	}
	fi, err := os.Stat(output)
	if err != nil {
		return Restored{}, err
	}
	return Restored{
		Name:     name,
		TXID:     uint64(last.MaxTXID),
		Checksum: last.PostApplyChecksum.String(),
		Time:     last.CreatedAt.UTC(),
		Bytes:    fi.Size(),
	}, nil
}
