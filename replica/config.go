// Package replica is the continuous replication (持续复制) of the server's
// SQLite databases with Litestream, used as a library: where the replica
// lives (a file path or S3-compatible object storage), how its clients are
// built, the replication itself with its status, and the restore of a data
// dir from a replica. It knows nothing of PocketBase; hooks/durability binds
// it to the app.
package replica

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Environment variables read by FromEnv. Credentials for object storage are
// the standard AWS ones (every S3-compatible store accepts them), read from
// the environment and never from the URL, so that the URL can be logged.
const (
	EnvURL       = "SIMENG_REPLICA_URL"
	EnvInterval  = "SIMENG_REPLICA_INTERVAL"
	EnvRetention = "SIMENG_REPLICA_RETENTION"
	EnvAccessKey = "AWS_ACCESS_KEY_ID"
	EnvSecretKey = "AWS_SECRET_ACCESS_KEY"
)

// Defaults. The interval bounds the replication lag: a commit reaches the
// replica within about two intervals plus one upload.
const (
	DefaultInterval  = 250 * time.Millisecond
	DefaultRetention = 7 * 24 * time.Hour
	DefaultRegion    = "us-east-1"
)

// Databases are the files of a PocketBase data dir that are replicated, each
// under its own name below the replica root.
var Databases = []string{"data.db", "auxiliary.db"}

// FilesDir is the folder below the replica root that holds the mirrored
// files, laid out like pb_data/storage.
const FilesDir = "storage"

// Kind of replica.
const (
	KindFile = "file"
	KindS3   = "s3"
)

// Config says where the replica lives. The zero value means replication is
// off.
type Config struct {
	Kind string // KindFile or KindS3

	// KindFile: the replica's root directory (absolute).
	Dir string

	// KindS3: bucket, key prefix (no leading or trailing slash), the
	// endpoint of an S3-compatible store ("" for AWS itself), region and
	// addressing style. Credentials come from the environment.
	Bucket         string
	Prefix         string
	Endpoint       string
	Region         string
	ForcePathStyle bool
	AccessKey      string
	SecretKey      string

	// Interval between WAL polls and between uploads.
	Interval time.Duration
	// Retention of snapshots and their history (point-in-time window).
	Retention time.Duration
}

// Enabled reports whether a replica is configured.
func (c Config) Enabled() bool { return c.Kind != "" }

// String describes the replica for logs and people: never a credential.
func (c Config) String() string {
	switch c.Kind {
	case KindFile:
		return "file://" + c.Dir
	case KindS3:
		s := "s3://" + c.Bucket
		if c.Prefix != "" {
			s += "/" + c.Prefix
		}
		if c.Endpoint != "" {
			s += " (endpoint " + c.Endpoint + ")"
		}
		return s
	}
	return "off"
}

// FromEnv reads the configuration from the environment; getenv is os.Getenv
// in production. With SIMENG_REPLICA_URL unset it returns the zero Config.
func FromEnv(getenv func(string) string) (Config, error) {
	raw := strings.TrimSpace(getenv(EnvURL))
	if raw == "" {
		return Config{}, nil
	}
	c, err := Parse(raw)
	if err != nil {
		return Config{}, err
	}
	if v := strings.TrimSpace(getenv(EnvInterval)); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 50*time.Millisecond || d > time.Minute {
			return Config{}, fmt.Errorf("%s=%q: want a duration between 50ms and 1m, such as 250ms", EnvInterval, v)
		}
		c.Interval = d
	}
	if v := strings.TrimSpace(getenv(EnvRetention)); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Hour {
			return Config{}, fmt.Errorf("%s=%q: want a duration of at least 1h, such as 168h", EnvRetention, v)
		}
		c.Retention = d
	}
	if c.Kind == KindS3 {
		c.AccessKey = getenv(EnvAccessKey)
		c.SecretKey = getenv(EnvSecretKey)
		if c.AccessKey == "" || c.SecretKey == "" {
			return Config{}, fmt.Errorf("%s is an S3 replica: set %s and %s", EnvURL, EnvAccessKey, EnvSecretKey)
		}
	}
	return c, nil
}

// Parse reads a replica URL: file:///srv/replica/simeng (or an absolute
// path), or s3://bucket/prefix?endpoint=https://oss-cn-hangzhou.aliyuncs.com&region=cn-hangzhou
// (force-path-style=true for MinIO and other single-host stores).
// Credentials in the URL are refused: they belong in the environment.
func Parse(raw string) (Config, error) {
	c := Config{Interval: DefaultInterval, Retention: DefaultRetention}
	if strings.HasPrefix(raw, "/") {
		raw = "file://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("replica URL: %w", err)
	}
	if u.User != nil {
		return Config{}, errors.New("replica URL: credentials do not belong in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	switch u.Scheme {
	case KindFile:
		if u.Host != "" && u.Host != "localhost" {
			return Config{}, fmt.Errorf("replica URL: file URLs name a local path (file:///srv/replica), not host %q", u.Host)
		}
		if u.Path == "" || !filepath.IsAbs(u.Path) {
			return Config{}, errors.New("replica URL: a file replica needs an absolute path, such as file:///srv/replica/simeng")
		}
		c.Kind, c.Dir = KindFile, filepath.Clean(u.Path)
		if c.Dir == "/" {
			return Config{}, errors.New("replica URL: the file system root cannot be a replica")
		}
	case KindS3:
		if !validBucket(u.Host) {
			return Config{}, fmt.Errorf("replica URL: %q is not a bucket name (3-63 lower-case letters, digits, dots and hyphens)", u.Host)
		}
		c.Kind, c.Bucket = KindS3, u.Host
		c.Prefix = strings.Trim(path.Clean("/"+u.Path), "/")
		q := u.Query()
		for k := range q {
			switch k {
			case "endpoint", "region", "force-path-style", "forcePathStyle":
			default:
				return Config{}, fmt.Errorf("replica URL: unknown option %q (known: endpoint, region, force-path-style)", k)
			}
		}
		if ep := q.Get("endpoint"); ep != "" {
			e, err := url.Parse(ep)
			if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" || e.User != nil {
				return Config{}, fmt.Errorf("replica URL: endpoint %q must be an http(s) URL such as https://oss-cn-hangzhou.aliyuncs.com", ep)
			}
			c.Endpoint = strings.TrimRight(ep, "/")
		}
		c.Region = q.Get("region")
		if c.Region == "" {
			c.Region = DefaultRegion
		}
		if v := q.Get("force-path-style") + q.Get("forcePathStyle"); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return Config{}, fmt.Errorf("replica URL: force-path-style=%q is not true or false", v)
			}
			c.ForcePathStyle = b
		}
	case "":
		return Config{}, errors.New("replica URL: want file:///path or s3://bucket/prefix")
	default:
		return Config{}, fmt.Errorf("replica URL: scheme %q is not supported (file or s3; OSS, COS and MinIO are s3 with an endpoint)", u.Scheme)
	}
	return c, nil
}

func validBucket(b string) bool {
	if len(b) < 3 || len(b) > 63 {
		return false
	}
	for i, r := range b {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case (r == '-' || r == '.') && i > 0 && i < len(b)-1:
		default:
			return false
		}
	}
	return true
}

// key joins the prefix and the parts into an object key.
func (c Config) key(parts ...string) string {
	return strings.TrimPrefix(path.Join(append([]string{c.Prefix}, parts...)...), "/")
}

// S3Endpoint is the endpoint URL for clients that need one spelled out
// (AWS itself when the URL names none).
func (c Config) S3Endpoint() string {
	if c.Endpoint != "" {
		return c.Endpoint
	}
	return "https://s3." + c.Region + ".amazonaws.com"
}

// FilesDirPath is the directory that holds a file replica's mirrored files.
func (c Config) FilesDirPath() string { return filepath.Join(c.Dir, FilesDir) }

// FilesKeyPrefix is the key prefix of an S3 replica's mirrored files.
func (c Config) FilesKeyPrefix() string { return c.key(FilesDir) + "/" }
