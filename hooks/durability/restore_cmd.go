package durability

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/spf13/cobra"

	"simeng/replica"
)

// NewRestoreCommand returns `restore`: it brings a data dir back from the
// replica into an empty dir (the database as of the latest replicated
// transaction or of --timestamp, and the mirrored files), then `serve --dir`
// runs on it. The command runs without bootstrapping app, which would
// otherwise create a fresh database in the very dir to restore into.
func NewRestoreCommand(app core.App) *cobra.Command {
	var replicaURL, dir, at string
	c := &cobra.Command{
		Use:   "restore --replica URL --dir DIR [--timestamp T]",
		Short: "Restores a data dir from the replica (database and files) into an empty dir",
		Long: `Restores the databases (data.db, auxiliary.db) and the mirrored files from the
replica into DIR, which must be empty or missing. --replica defaults to
$SIMENG_REPLICA_URL; S3 credentials come from AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY. --timestamp (RFC 3339, e.g. 2026-03-05T09:30:00+08:00)
restores the state of that moment instead of the latest. Then start
"serve --dir DIR" with the same SIMENG_PII_KEY as before.`,
		Args: cobra.NoArgs,
		// PocketBase ignores a command's error, so the exit code is set here.
		Run: func(cmd *cobra.Command, _ []string) {
			if err := runRestore(cmd, replicaURL, dir, at); err != nil {
				fmt.Fprintln(os.Stderr, "restore:", err)
				os.Exit(1)
			}
		},
	}
	c.Flags().StringVar(&replicaURL, "replica", "", "replica URL (file:///path or s3://bucket/prefix?endpoint=…); default $"+replica.EnvURL)
	c.Flags().StringVar(&dir, "dir", "", "the empty data dir to restore into")
	c.Flags().StringVar(&at, "timestamp", "", "restore the state as of this time (RFC 3339); default the latest")

	// PocketBase bootstraps before running any command; restoring must
	// not, or the target dir would hold a fresh database first.
	app.OnBootstrap().Bind(skipBootstrapFor(c))
	return c
}

func runRestore(cmd *cobra.Command, replicaURL, dir, at string) error {
	if replicaURL == "" {
		replicaURL = os.Getenv(replica.EnvURL)
	}
	if replicaURL == "" || dir == "" {
		return fmt.Errorf("both --replica (or $%s) and --dir are required", replica.EnvURL)
	}
	var t time.Time
	if at != "" {
		var err error
		if t, err = time.Parse(time.RFC3339, at); err != nil {
			return fmt.Errorf("--timestamp %q: want RFC 3339, such as 2026-03-05T09:30:00+08:00", at)
		}
	}
	env := func(k string) string {
		if k == replica.EnvURL {
			return replicaURL
		}
		return os.Getenv(k)
	}
	cfg, err := replica.FromEnv(env)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
	defer stop()
	return restore(ctx, cmd.OutOrStdout(), cfg, abs, t)
}

func restore(ctx context.Context, w io.Writer, cfg replica.Config, dir string, at time.Time) error {
	if err := replica.CheckEmptyDir(dir); err != nil {
		return err
	}
	if err := restoreInto(ctx, w, cfg, dir, at); err != nil {
		return fmt.Errorf("%w\n%s may now hold a partial restore: delete it before trying again", err, dir)
	}
	return nil
}

func restoreInto(ctx context.Context, w io.Writer, cfg replica.Config, dir string, at time.Time) error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	fmt.Fprintf(w, "restoring from %s into %s\n", cfg, dir)
	dbs, err := replica.RestoreDatabases(ctx, cfg, dir, at, logger)
	if err != nil {
		return err
	}
	for _, r := range dbs {
		if r.Missing {
			fmt.Fprintf(w, "  %-13s not in the replica (nothing was ever written to it); serve creates it empty\n", r.Name)
			continue
		}
		fmt.Fprintf(w, "  %-13s position txid %d (checksum %s), replicated at %s, %d bytes\n",
			r.Name, r.TXID, r.Checksum, r.Time.In(chinaTime).Format("2006-01-02 15:04:05.000 MST"), r.Bytes)
	}
	fmt.Fprintln(w, "  (Litestream v0.5 has no generations: the txid is the position)")

	store, err := newFilesStore(cfg)
	if err != nil {
		return err
	}
	n, size, err := restoreFiles(store, filepath.Join(dir, "storage"))
	if err != nil {
		return fmt.Errorf("files from %s: %w", store, err)
	}
	fmt.Fprintf(w, "  files         %d (%d bytes) from %s into %s\n", n, size, store, filepath.Join(dir, "storage"))
	if n == 0 {
		fmt.Fprintln(w, "                (none mirrored: if PocketBase's S3 file storage was on, the files are still in its bucket and the restored settings point to them)")
	}
	fmt.Fprintf(w, "done: start the server with: simeng serve --dir %s\n", dir)
	return nil
}

// restoreFiles copies every mirrored file back to where it was below
// pb_data/storage.
func restoreFiles(store filesStore, storageDir string) (n int, size int64, err error) {
	dst := localFiles{dir: storageDir}
	err = store.Walk(func(key string, r io.Reader) error {
		cr := &countingReader{r: r}
		if err := dst.Put(key, cr); err != nil {
			return err
		}
		n++
		size += cr.n
		return nil
	})
	return n, size, err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

var chinaTime = time.FixedZone("CST", 8*3600)

// skipBootstrapFor stops PocketBase's bootstrap (opening and migrating the
// databases in --dir) when the command about to run is cmd.
func skipBootstrapFor(cmd *cobra.Command) *hook.Handler[*core.BootstrapEvent] {
	return &hook.Handler[*core.BootstrapEvent]{
		Id:       "simeng_restore_skip_bootstrap",
		Priority: -1000, // before every other bootstrap handler
		Func: func(e *core.BootstrapEvent) error {
			if root := cmd.Root(); root != cmd && len(os.Args) > 1 {
				if found, _, err := root.Find(os.Args[1:]); err == nil && found == cmd {
					// Unbootstrapped, the app logs through the default
					// logger that it "is still not bootstrapped": true,
					// and meant.
					slog.SetDefault(slog.New(slog.DiscardHandler))
					return nil
				}
			}
			return e.Next()
		},
	}
}
