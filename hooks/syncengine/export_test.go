package syncengine

import "github.com/pocketbase/pocketbase/core"

// StoredIDsSQL is storedIDsSQL for the query-plan tests.
var StoredIDsSQL = storedIDsSQL

// SyncedNames are the names of app's synced collections, for the tests.
func SyncedNames(app core.App) []string {
	var names []string
	for _, s := range registryOf(app).all() {
		names = append(names, s.Name)
	}
	return names
}
