package verification_test

import (
	"testing"

	"simeng/internal/testapp"
)

// markCallbackConfirmed records a confirmed callback on visit directly, as
// the callback route does.
func markCallbackConfirmed(t *testing.T, s *testapp.Server, visit string) {
	t.Helper()
	v, err := s.App.FindRecordById("visits", visit)
	if err != nil {
		t.Fatal(err)
	}
	v.Set("callback", "confirmed")
	if err := s.App.Save(v); err != nil {
		t.Fatal(err)
	}
}
