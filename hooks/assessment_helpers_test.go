package hooks_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

// requireCollection skips a test of a fact source whose collection is not
// in this build (the assessment wires only the sources that exist).
func requireCollection(t *testing.T, app core.App, name string) {
	t.Helper()
	if _, err := app.FindCachedCollectionByNameOrId(name); err != nil {
		t.Skipf("%s is not in this build", name)
	}
}
