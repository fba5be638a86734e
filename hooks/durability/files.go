package durability

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/pocketbase/pocketbase/tools/filesystem"

	"simeng/replica"
)

// filesStore is the replica's copy of pb_data/storage: keys are paths
// relative to storage ("{collectionId}/{recordId}/{file}").
type filesStore interface {
	// Put stores a file durably: when it returns nil the copy survives a
	// crash of this server and of the replica's host.
	Put(key string, r io.Reader) error
	// Walk calls fn for every stored file.
	Walk(fn func(key string, r io.Reader) error) error
	String() string
}

func newFilesStore(cfg replica.Config) (filesStore, error) {
	switch cfg.Kind {
	case replica.KindFile:
		return localFiles{dir: cfg.FilesDirPath()}, nil
	case replica.KindS3:
		return &s3Files{cfg: cfg}, nil
	}
	return nil, errors.New("replication is not configured")
}

// localFiles keeps the copies in a directory (a second disk or an NFS
// mount), each written to a temp file, fsynced and renamed into place.
type localFiles struct{ dir string }

func (l localFiles) String() string { return "file://" + l.dir }

func (l localFiles) path(key string) (string, error) {
	clean := path.Clean("/" + key)
	if clean == "/" || strings.Contains(key, "\\") {
		return "", fmt.Errorf("bad file key %q", key)
	}
	return filepath.Join(l.dir, filepath.FromSlash(clean)), nil
}

func (l localFiles) Put(key string, r io.Reader) error {
	dst, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".mirror-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, r)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dst))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func (l localFiles) Walk(fn func(key string, r io.Reader) error) error {
	err := filepath.WalkDir(l.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".mirror-") {
			return err
		}
		rel, err := filepath.Rel(l.dir, p)
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		return fn(filepath.ToSlash(rel), f)
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil // nothing mirrored yet
	}
	return err
}

// s3Files keeps the copies under {prefix}/storage/ in the replica's bucket,
// through PocketBase's own S3 client (one for the process, so uploads reuse
// its connections).
type s3Files struct {
	cfg  replica.Config
	once sync.Once
	fsys *filesystem.System
	err  error
}

func (s *s3Files) String() string {
	return "s3://" + s.cfg.Bucket + "/" + s.cfg.FilesKeyPrefix()
}

func (s *s3Files) open() (*filesystem.System, error) {
	s.once.Do(func() {
		c := s.cfg
		s.fsys, s.err = filesystem.NewS3(c.Bucket, c.Region, c.S3Endpoint(), c.AccessKey, c.SecretKey, c.ForcePathStyle)
	})
	return s.fsys, s.err
}

func (s *s3Files) Put(key string, r io.Reader) error {
	fsys, err := s.open()
	if err != nil {
		return err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return fsys.Upload(b, s.cfg.FilesKeyPrefix()+key)
}

func (s *s3Files) Walk(fn func(key string, r io.Reader) error) error {
	fsys, err := s.open()
	if err != nil {
		return err
	}
	prefix := s.cfg.FilesKeyPrefix()
	objs, err := fsys.List(prefix)
	if err != nil {
		return err
	}
	for _, o := range objs {
		if err := func() error {
			rd, err := fsys.GetReader(o.Key)
			if err != nil {
				return err
			}
			defer rd.Close()
			return fn(strings.TrimPrefix(o.Key, prefix), rd)
		}(); err != nil {
			return fmt.Errorf("%s: %w", o.Key, err)
		}
	}
	return nil
}
