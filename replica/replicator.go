package replica

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/benbjohnson/litestream"
	"github.com/benbjohnson/litestream/file"
	"github.com/benbjohnson/litestream/s3"
)

// newClient builds the Litestream client for one database below the
// replica root.
func (c Config) newClient(name string) (litestream.ReplicaClient, error) {
	switch c.Kind {
	case KindFile:
		return file.NewReplicaClient(filepath.Join(c.Dir, name)), nil
	case KindS3:
		s := s3.NewReplicaClient()
		s.Bucket, s.Path = c.Bucket, c.key(name)
		s.Endpoint, s.Region, s.ForcePathStyle = c.Endpoint, c.Region, c.ForcePathStyle
		s.AccessKeyID, s.SecretAccessKey = c.AccessKey, c.SecretKey
		return s, nil
	}
	return nil, errors.New("replication is not configured")
}

// ignoreCABundle unsets AWS_CA_BUNDLE: Litestream's S3 client brings its
// own HTTP client, with which the AWS SDK refuses to start at all when that
// variable is set. Go reads extra CAs from SSL_CERT_FILE instead.
func ignoreCABundle(logger *slog.Logger) {
	if os.Getenv("AWS_CA_BUNDLE") != "" {
		os.Unsetenv("AWS_CA_BUNDLE")
		logger.Warn("AWS_CA_BUNDLE is ignored by the S3 replica client; put a private CA in SSL_CERT_FILE instead")
	}
}

// Replicator streams the WAL of each database of a data dir to the replica.
// It owns checkpointing of those databases while it runs: the app's own
// connections must not checkpoint (see DisableAppCheckpoints).
type Replicator struct {
	cfg     Config
	store   *litestream.Store
	dbs     []*litestream.DB
	started time.Time

	mu             sync.Mutex
	checkpointedAt map[string]uint64 // local TXID after the last checkpoint
}

// New prepares replication of dataDir's databases; Start begins it.
func New(cfg Config, dataDir string, logger *slog.Logger) (*Replicator, error) {
	if !cfg.Enabled() {
		return nil, errors.New("replication is not configured")
	}
	if cfg.Kind == KindS3 {
		ignoreCABundle(logger)
	}
	r := &Replicator{cfg: cfg, checkpointedAt: map[string]uint64{}}
	for _, name := range Databases {
		client, err := cfg.newClient(name)
		if err != nil {
			return nil, err
		}
		db := litestream.NewDB(filepath.Join(dataDir, name))
		db.MonitorInterval = cfg.Interval
		// Litestream commits a row of its own after every checkpoint; done
		// at a moment of its choosing, that commit makes the app's open
		// read-then-write transactions fail with SQLITE_BUSY_SNAPSHOT. So
		// Litestream never checkpoints by itself (only its 500 MB
		// emergency brake remains): the app calls Checkpoint when none of
		// its transactions is open.
		db.MinCheckpointPageN = 1 << 30
		db.CheckpointInterval = 0
		db.Replica = litestream.NewReplicaWithClient(db, client)
		db.Replica.SyncInterval = cfg.Interval
		if fc, ok := client.(*file.ReplicaClient); ok {
			fc.Replica = db.Replica
		}
		r.dbs = append(r.dbs, db)
	}
	r.store = litestream.NewStore(r.dbs, litestream.DefaultCompactionLevels)
	r.store.SnapshotRetention = cfg.Retention
	r.store.Logger = logger
	for _, db := range r.dbs {
		db.SetLogger(logger.With("db", filepath.Base(db.Path())))
	}
	return r, nil
}

// Start opens the replica clients and begins replication.
func (r *Replicator) Start(ctx context.Context) error {
	if err := r.store.Open(ctx); err != nil {
		return fmt.Errorf("start replication to %s: %w", r.cfg, err)
	}
	r.started = time.Now()
	return nil
}

// Close makes a last sync to the replica and stops. Call it only when the
// process is shutting down: Litestream holds a read transaction until then.
func (r *Replicator) Close(ctx context.Context) error {
	return r.store.Close(ctx)
}

// Sync copies everything committed so far to the replica and waits.
func (r *Replicator) Sync(ctx context.Context) error {
	for _, db := range r.dbs {
		if err := db.SyncAndWait(ctx); err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(db.Path()), err)
		}
	}
	return nil
}

// Checkpoint moves the WAL of the named database into the database file
// through Litestream, which copies the frames first, so the replica never
// misses one. It skips a database with nothing new since its last
// checkpoint but Litestream's own bookkeeping row. The caller must hold off
// the app's write transactions on that database while it runs.
func (r *Replicator) Checkpoint(ctx context.Context, name string) error {
	for _, db := range r.dbs {
		if filepath.Base(db.Path()) != name {
			continue
		}
		pos, err := db.Pos()
		if err != nil {
			return err
		}
		r.mu.Lock()
		last, seen := r.checkpointedAt[name]
		r.mu.Unlock()
		if seen && uint64(pos.TXID) <= last+1 {
			return nil
		}
		if err := db.Checkpoint(ctx, litestream.CheckpointModePassive); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		// The checkpoint's bookkeeping write is one more transaction.
		if err := db.Sync(ctx); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if pos, err = db.Pos(); err != nil {
			return err
		}
		r.mu.Lock()
		r.checkpointedAt[name] = uint64(pos.TXID)
		r.mu.Unlock()
		return nil
	}
	return fmt.Errorf("%s is not replicated", name)
}

// Status of replication, safe to show to a monitoring system: positions and
// times, never the replica's address or credentials.
type Status struct {
	Enabled bool   `json:"enabled"`
	Kind    string `json:"kind,omitempty"`
	// State is "off", "ok" (everything committed is in the replica),
	// "catching_up" (uploads pending, replica reachable) or "failing"
	// (no successful upload for StaleAfter).
	State            string     `json:"state"`
	LastReplicatedAt *time.Time `json:"last_replicated_at,omitempty"`
	Databases        []DBStatus `json:"databases,omitempty"`
}

// DBStatus is one database's replication position. TXIDs number Litestream's
// transaction files: the local one is what has been read from the WAL, the
// replica one what has been uploaded.
type DBStatus struct {
	Name             string     `json:"name"`
	LocalTXID        uint64     `json:"local_txid"`
	ReplicaTXID      uint64     `json:"replica_txid"`
	LastReplicatedAt *time.Time `json:"last_replicated_at,omitempty"`
	WALBytes         int64      `json:"wal_bytes"`
}

// StaleAfter is how long without a successful upload makes the state
// "failing". Litestream re-uploads on every interval even when idle, so a
// healthy replica never gets near it.
func (r *Replicator) StaleAfter() time.Duration {
	return max(time.Minute, 20*r.cfg.Interval)
}

// Status reads the current positions; it does no I/O on the replica.
func (r *Replicator) Status() Status {
	s := Status{Enabled: true, Kind: r.cfg.Kind, State: "ok"}
	now := time.Now()
	pending := false
	for _, db := range r.dbs {
		d := DBStatus{Name: filepath.Base(db.Path())}
		if pos, err := db.Pos(); err == nil {
			d.LocalTXID = uint64(pos.TXID)
		}
		d.ReplicaTXID = uint64(db.Replica.Pos().TXID)
		if fi, err := os.Stat(db.WALPath()); err == nil {
			d.WALBytes = fi.Size()
		}
		last := db.LastSuccessfulSyncAt()
		if !last.IsZero() {
			t := last.UTC()
			d.LastReplicatedAt = &t
			if s.LastReplicatedAt == nil || t.Before(*s.LastReplicatedAt) {
				s.LastReplicatedAt = &t
			}
		}
		// A database never written to since start has nothing to upload.
		since := last
		if since.IsZero() {
			since = r.started
		}
		if d.LocalTXID > d.ReplicaTXID {
			pending = true
			if now.Sub(since) > r.StaleAfter() {
				s.State = "failing"
			}
		}
		s.Databases = append(s.Databases, d)
	}
	if pending && s.State == "ok" {
		s.State = "catching_up"
	}
	return s
}
