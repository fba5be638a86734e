package replica

import (
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	bad := []struct{ url, want string }{
		{"s3://KEY:SECRET@bucket/p", "credentials"},
		{"ftp://host/x", "not supported"},
		{"file://relative/x", "local path"},
		{"file:///", "root"},
		{"s3://Bad_Bucket/p", "bucket"},
		{"s3://bucket/p?endpoint=oss-cn-hangzhou.aliyuncs.com", "endpoint"},
		{"s3://bucket/p?force-path-style=maybe", "force-path-style"},
		{"s3://bucket/p?sse-customer-key=x", "unknown option"},
		{"bucket/p", "want file"},
	}
	for _, tc := range bad {
		if _, err := Parse(tc.url); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want an error about %q", tc.url, err, tc.want)
		}
	}

	good := []struct {
		url  string
		want Config
		str  string
	}{
		{"/srv/replica/simeng/", Config{Kind: KindFile, Dir: "/srv/replica/simeng"}, "file:///srv/replica/simeng"},
		{"file:///mnt/nfs/simeng", Config{Kind: KindFile, Dir: "/mnt/nfs/simeng"}, "file:///mnt/nfs/simeng"},
		{"s3://rd-backup/xupu/simeng?endpoint=https://oss-cn-hangzhou.aliyuncs.com&region=cn-hangzhou",
			Config{Kind: KindS3, Bucket: "rd-backup", Prefix: "xupu/simeng", Endpoint: "https://oss-cn-hangzhou.aliyuncs.com", Region: "cn-hangzhou"},
			"s3://rd-backup/xupu/simeng (endpoint https://oss-cn-hangzhou.aliyuncs.com)"},
		{"s3://minio-bkt/?endpoint=http://10.0.0.5:9000/&force-path-style=true",
			Config{Kind: KindS3, Bucket: "minio-bkt", Endpoint: "http://10.0.0.5:9000", Region: DefaultRegion, ForcePathStyle: true},
			"s3://minio-bkt (endpoint http://10.0.0.5:9000)"},
	}
	for _, tc := range good {
		got, err := Parse(tc.url)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.url, err)
			continue
		}
		tc.want.Interval, tc.want.Retention = DefaultInterval, DefaultRetention
		if got != tc.want {
			t.Errorf("Parse(%q) = %+v, want %+v", tc.url, got, tc.want)
		}
		if got.String() != tc.str {
			t.Errorf("String() = %q, want %q", got.String(), tc.str)
		}
	}
}

func TestFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	c, err := FromEnv(env(nil))
	if err != nil || c.Enabled() || c.String() != "off" {
		t.Fatalf("unset: %+v %v, want off", c, err)
	}

	if _, err := FromEnv(env(map[string]string{EnvURL: "s3://bkt/p"})); err == nil || !strings.Contains(err.Error(), EnvAccessKey) {
		t.Errorf("s3 without credentials: %v, want an error naming %s", err, EnvAccessKey)
	}
	for _, v := range []string{"10ms", "2m", "soon"} {
		if _, err := FromEnv(env(map[string]string{EnvURL: "/srv/r", EnvInterval: v})); err == nil {
			t.Errorf("interval %q accepted", v)
		}
	}
	if _, err := FromEnv(env(map[string]string{EnvURL: "/srv/r", EnvRetention: "30m"})); err == nil {
		t.Error("retention 30m accepted")
	}

	c, err = FromEnv(env(map[string]string{
		EnvURL: "s3://bkt/p?endpoint=http://127.0.0.1:9000", EnvAccessKey: "AKID", EnvSecretKey: "s3cr3t-value",
		EnvInterval: "100ms", EnvRetention: "48h",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessKey != "AKID" || c.SecretKey != "s3cr3t-value" || c.Interval != 100*time.Millisecond || c.Retention != 48*time.Hour {
		t.Errorf("FromEnv = %+v", c)
	}
	if strings.Contains(c.String(), "s3cr3t") || strings.Contains(c.String(), "AKID") {
		t.Errorf("String() shows a credential: %q", c.String())
	}
	if c.FilesKeyPrefix() != "p/storage/" {
		t.Errorf("FilesKeyPrefix() = %q", c.FilesKeyPrefix())
	}
}

// FuzzParse: any URL either fails or yields a replica whose description
// never carries what was in the URL's userinfo.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"/srv/r", "file:///a/b", "s3://bkt/p?endpoint=https://x.example", "s3://u:p@bkt/x", "s3://bkt/../../x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			return
		}
		if !c.Enabled() {
			t.Fatalf("Parse(%q) succeeded without a kind", s)
		}
		if c.Kind == KindS3 && (strings.HasPrefix(c.Prefix, "/") || strings.Contains(c.Prefix, "..")) {
			t.Fatalf("Parse(%q) prefix %q escapes the bucket", s, c.Prefix)
		}
		if c.Kind == KindFile && c.Dir == "/" {
			t.Fatalf("Parse(%q) replicates to the root", s)
		}
	})
}
