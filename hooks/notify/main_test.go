package notify_test

import (
	"testing"

	"simeng/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }
