package hooks_test

import (
	"os"
	"testing"

	"simeng/internal/testapp"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testapp.Remove()
	removeServerBinary()
	os.Exit(code)
}
