package field

import (
	"os"
	"testing"

	"simeng/e2e/internal/harness"
)

func TestMain(m *testing.M) {
	os.Exit(harness.Main(m))
}
