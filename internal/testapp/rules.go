package testapp

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
)

// RuleCase is one cell of the role × collection × operation matrix: who
// (Role) sends what, and what must come back.
type RuleCase struct {
	Role     string
	Method   string
	URL      string
	Body     string
	Status   int
	Contains []string                               // substrings the response must contain
	Absent   []string                               // substrings it must not contain; both empty: empty body
	Before   func(t testing.TB, app *tests.TestApp) // setup on the case's app
	After    func(t testing.TB, app *tests.TestApp)
}

// Scenario is c as a PocketBase API scenario on a fresh app.
func (c RuleCase) Scenario(t *testing.T) tests.ApiScenario {
	name := c.Role + " " + c.Method + " " + c.URL
	if c.Body != "" {
		name += " " + c.Body
	}
	s := tests.ApiScenario{
		Name:               name,
		Method:             c.Method,
		URL:                c.URL,
		Headers:            Headers(t, c.Role),
		ExpectedStatus:     c.Status,
		ExpectedContent:    c.Contains,
		NotExpectedContent: c.Absent,
		TestAppFactory:     Factory,
	}
	if c.Body != "" {
		s.Body = strings.NewReader(c.Body)
		s.Headers = withJSON(s.Headers)
	}
	if c.Before != nil {
		s.BeforeTestFunc = func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) { c.Before(t, app) }
	}
	if c.After != nil {
		s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, _ *http.Response) { c.After(t, app) }
	}
	return s
}

func withJSON(h map[string]string) map[string]string {
	out := map[string]string{"Content-Type": "application/json"}
	for k, v := range h {
		out[k] = v
	}
	return out
}

// RunRuleCases runs each case as its own scenario (denied cases first, by
// convention), two at a time: each has a fresh app of its own, and the
// matrices are most of what the capabilities' tests cost. It returns when
// all of them ran.
func RunRuleCases(t *testing.T, cases []RuleCase) {
	t.Helper()
	t.Run("cases", func(t *testing.T) {
		for i, c := range cases {
			s := c.Scenario(t)
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				s.Test(t)
			})
		}
	})
}

// What a denied read or write answers.
var (
	EmptyList    = []string{`"totalItems":0`}
	NotFoundBody = []string{`"status":404`}
	Forbidden    = []string{`"status":403`}
	// DeniedCreate: a create whose rule exists but does not admit the
	// requester (PocketBase answers 400, not 403, once a rule is set).
	DeniedCreate = []string{`"status":400`}
)

// URLQuery escapes a filter for a URL's query.
func URLQuery(s string) string {
	return strings.NewReplacer(" ", "%20", `"`, "%22", "=", "%3D").Replace(s)
}

// JSONHeaders are the headers of role with a JSON content type.
func JSONHeaders(t testing.TB, role string) map[string]string {
	return withJSON(Headers(t, role))
}
