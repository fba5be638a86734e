package durability_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestServeSaysWhetherReplicationIsOn: unset, serve runs as before, says in
// one line that replication is off, and the status route says "off"; a bad
// replica URL stops serve with the reason instead of running unprotected.
func TestServeSaysWhetherReplicationIsOn(t *testing.T) {
	bin := buildBinary(t)

	dir := filepath.Join(t.TempDir(), "pb_data")
	// serve returns (PocketBase exits 0 after any serve error) instead of
	// serving; the line names the variable, not the secret.
	out, _ := run(t, bin, []string{"SIMENG_PII_KEY=" + piiKey, "SIMENG_REPLICA_URL=s3://AKIDX:hunter2secret@bucket/p"},
		"serve", "--http", freeAddr(t), "--dir", dir)
	if !strings.Contains(out, "Error: SIMENG_REPLICA_URL") || strings.Contains(out, "hunter2secret") || strings.Contains(out, "Server started") {
		t.Fatalf("serve with a bad replica URL:\n%s", out)
	}

	s := startServer(t, bin, filepath.Join(t.TempDir(), "pb_data"), []string{"SIMENG_REPLICA_URL="})
	if n := strings.Count(s.logs.String(), "replication off:"); n != 1 {
		t.Errorf("serve said %d times that replication is off:\n%s", n, s.logs)
	}
	if st := s.status(t); st.Enabled || st.State != "off" || st.Files != "local" || len(st.Databases) != 0 {
		t.Errorf("status with replication unset = %+v", st)
	}
}
