package guard_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simeng/internal/testapp"
)

// Issue 12, item 8: PocketBase's default users collection (open sign-up:
// an empty create rule) is gone; nobody gets an account or a token from it.
func TestNoOpenSignUp(t *testing.T) {
	signup := `{"email":"anyone@example.com","password":"qwerty-asdf-2026","passwordConfirm":"qwerty-asdf-2026"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: testapp.RoleGuest, Method: http.MethodPost, URL: "/api/collections/users/records", Body: signup, Status: 404, Contains: testapp.NotFoundBody},
		{Role: testapp.RoleGuest, Method: http.MethodPost, URL: "/api/collections/users/auth-with-password", Body: `{"identity":"anyone@example.com","password":"qwerty-asdf-2026"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: testapp.RoleGuest, Method: http.MethodGet, URL: "/api/collections/users/auth-methods", Status: 404, Contains: testapp.NotFoundBody},
		{Role: testapp.RoleSuperuser, Method: http.MethodGet, URL: "/api/collections/users", Status: 404, Contains: testapp.NotFoundBody},
	})
}

// No auth collection lets just anyone create an account.
func TestNoAuthCollectionHasAnOpenCreateRule(t *testing.T) {
	app := testapp.New(t)
	cols, err := app.FindAllCollections(core.CollectionTypeAuth)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if c.CreateRule != nil && *c.CreateRule == "" {
			t.Errorf("%s: anyone can sign up (empty create rule)", c.Name)
		}
	}
}
