// Package durability binds continuous replication (package replica) to the
// app: Litestream streams data.db and auxiliary.db to the replica while
// `serve` runs, files are copied there as they are saved, a status route
// tells monitoring how replication is doing, and `simeng restore` brings a
// data dir back from the replica.
//
// Configuration is by environment only (SIMENG_REPLICA_URL and friends, see
// package replica): PocketBase opens its databases before the serve
// command's flags are parsed, and automatic checkpoints must be off on its
// connections from the first one.
package durability

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/replica"
)

// StatusPath is the monitoring route; it never shows the replica's address
// or credentials.
const StatusPath = "/api/durability/status"

// pbOptimizeJob is PocketBase's nightly "PRAGMA wal_checkpoint(TRUNCATE)";
// while replicating, Litestream checkpoints instead.
const pbOptimizeJob = "__pbDBOptimize__"

// litestreamMetaSuffix names Litestream's working dir beside a database
// (litestream.MetaDirSuffix).
const litestreamMetaSuffix = "-litestream"

// Register wires replication into app. With SIMENG_REPLICA_URL unset it
// only adds the status route (state "off") and says once, at serve, that
// replication is off.
func Register(app core.App) {
	cfg, cfgErr := replica.FromEnv(os.Getenv)
	if cfgErr == nil && cfg.Enabled() {
		// Before bootstrap opens the databases: Litestream owns checkpoints.
		replica.DisableAppCheckpoints()
		store, err := newFilesStore(cfg)
		if err != nil {
			cfgErr = err
		} else {
			bindMirror(app, store)
		}
	}

	bindStatistics(app)
	d := &durable{app: app, cfg: cfg}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if cfgErr != nil {
			return fmt.Errorf("%s: %w", replica.EnvURL, cfgErr)
		}
		// Route tables built by tests have no server: nothing to replicate.
		if se.Server != nil {
			if err := d.start(); err != nil {
				return err
			}
		}
		se.Router.GET(StatusPath, d.handleStatus)
		return se.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		d.stop()
		return e.Next()
	})
	// Litestream's working files beside the databases are no part of a
	// backup zip: a restored zip starts a fresh replication position.
	app.OnBackupCreate().BindFunc(func(e *core.BackupEvent) error {
		for _, name := range replica.Databases {
			e.Exclude = append(e.Exclude, "."+name+litestreamMetaSuffix)
		}
		return e.Next()
	})
}

type durable struct {
	app core.App
	cfg replica.Config

	mu  sync.Mutex
	rep *replica.Replicator
}

func (d *durable) start() error {
	if !d.cfg.Enabled() {
		announce(d.app, "replication off: %s is not set; only the daily backup (03:00) protects the data, see README \"Backups and restore\"", replica.EnvURL)
		return nil
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})).With("system", "litestream")
	rep, err := replica.New(d.cfg, d.app.DataDir(), logger)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := rep.Start(ctx); err != nil {
		return err
	}
	d.mu.Lock()
	d.rep = rep
	d.mu.Unlock()

	// PocketBase's nightly job truncates the WAL under Litestream; its
	// PRAGMA optimize is done every hour (statistics.go).
	d.app.Cron().Remove(pbOptimizeJob)
	go d.checkpointLoop(rep)

	files := "mirrored to " + d.cfg.String() + " under " + replica.FilesDir + "/"
	if d.app.Settings().S3.Enabled {
		files = "in PocketBase's S3 file storage (bucket " + d.app.Settings().S3.Bucket + ")"
	}
	announce(d.app, "replication on: %s and %s to %s every %s; files %s",
		replica.Databases[0], replica.Databases[1], d.cfg, d.cfg.Interval, files)
	return nil
}

// checkpointEvery is how often the WAL is moved into the database files.
const checkpointEvery = 15 * time.Second

// checkpointLoop checkpoints each database while holding its one write
// connection (PocketBase sends every write through a pool of one): no app
// transaction is open, so Litestream's bookkeeping commit cannot make one
// fail, and writers wait only for the checkpoint itself.
func (d *durable) checkpointLoop(rep *replica.Replicator) {
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for range t.C {
		d.mu.Lock()
		running := d.rep == rep
		d.mu.Unlock()
		if !running {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := d.app.RunInTransaction(func(core.App) error { return rep.Checkpoint(ctx, replica.Databases[0]) })
		if err == nil {
			err = d.app.AuxRunInTransaction(func(core.App) error { return rep.Checkpoint(ctx, replica.Databases[1]) })
		}
		cancel()
		if err != nil {
			d.app.Logger().Warn("checkpoint through litestream", "error", err.Error())
		}
	}
}

// stop makes a last upload and stops: only at process exit, because
// Litestream holds a read transaction on the databases until then.
func (d *durable) stop() {
	d.mu.Lock()
	rep := d.rep
	d.rep = nil
	d.mu.Unlock()
	if rep == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := rep.Close(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "replication: last upload before exit failed:", err)
	}
}

func (d *durable) status() statusBody {
	d.mu.Lock()
	rep := d.rep
	d.mu.Unlock()
	replicating := rep != nil
	b := statusBody{Status: replica.Status{State: "off"}, Files: filesMode(d.app, replicating)}
	if replicating {
		b.Status = rep.Status()
	}
	return b
}

type statusBody struct {
	replica.Status
	// Files: "mirrored" (copied to the replica on save), "pocketbase_s3"
	// (PocketBase's S3 file storage) or "local" (only on this disk).
	Files string `json:"files"`
}

// handleStatus answers 200 unless replication is configured and failing
// (503), so a monitoring system can alert on the status code alone.
func (d *durable) handleStatus(e *core.RequestEvent) error {
	b := d.status()
	code := http.StatusOK
	if b.State == "failing" {
		code = http.StatusServiceUnavailable
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(code, b)
}

func announce(app core.App, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintln(os.Stderr, msg)
	app.Logger().Info(msg)
}
