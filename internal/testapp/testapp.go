// Package testapp builds a data dir holding the schema and a small known
// township (the template), then gives every scenario a fresh clone of it
// with the production wiring (hooks.Register) bound: a fresh app per
// scenario, as PocketBase's tests.ApiScenario expects.
//
// The template is built once per test binary, or taken from the cache that
// the test binaries of one `go test ./...` share (template.go): each
// capability's package is a binary of its own.
package testapp

import (
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/hooks"
	"simeng/hooks/assessment"
	"simeng/hooks/durability"
	"simeng/hooks/notify"
	_ "simeng/migrations"
	"simeng/pii"
)

// Password of every fixture account.
const Password = "test-pass-123"

// Fixture names the records of the template township.
type Fixture struct {
	VillageA, VillageB string // village ids: 思蒙湾村, 桥头村
	Deputy             string // ordinary deputy in village A
	Deputy2            string // ordinary deputy in village B
	Presidium          string // presidium member, paired (包联) with village A
	Inactive           string // deputy whose term ended (active = false)
	DeputyPhone        string
	DeputyCode         string // public QR code of Deputy
	Staff              string // office staff account (联络员 刘联络), active
	FormerStaff        string // staff account no longer active
	Unit               string // handling unit 镇应急办 (镇直部门), active
	StaffPhone         string
	UnitPhone          string

	// IDs holds the ids of records that later seeders add, by a name each
	// seeder chooses (e.g. "household_a").
	IDs map[string]string

	tokens map[string]string
}

// Seeder adds a capability's fixtures to the template township. Each lives
// in a file of its own (internal/testapp/<capability>.go), so capabilities
// do not edit each other's fixtures.
type Seeder func(app core.App, f *Fixture) error

// seeders run in this order after the base seed (roster: villages,
// deputies, superuser, staff, units). Add a capability's seeder here.
var seeders = []Seeder{seedAssessment, seedInspections, seedSuggestions, seedVisits, seedStation, seedDeliberation, seedSurveys, seedResearch, seedLearning, seedSupervision}

// variant and extra are a package's own additions to the template (Use).
var (
	variant string
	extra   []Seeder
)

// Use adds seeders of a package's own to the template township of this
// test binary, after the shared ones: fixtures only its tests read (many
// records dated in another year, say) stay out of every other package's
// counts. Call it from TestMain before the tests run; name keys the cached
// template (packages calling Use with the same name and seeders share it).
func Use(name string, seeders ...Seeder) {
	variant, extra = name, seeders
}

// Roles usable with Token.
const (
	RoleGuest     = "guest"
	RoleDeputy    = "deputy"
	RoleDeputy2   = "deputy2"
	RolePresidium = "presidium"
	RoleInactive  = "inactive"
	RoleSuperuser = "superuser"
	// RoleStaff is an office account (the staff collection), not a superuser.
	RoleStaff = "staff"
	// RoleFormerStaff is a staff account that was deactivated after its
	// token was issued.
	RoleFormerStaff = "former_staff"
	// RoleUnit is a handling unit (承办单位).
	RoleUnit = "unit"
)

// AccountPassword is the password of the staff and unit fixtures (their
// collections want at least 10 characters).
const AccountPassword = "test-pass-12345"

var (
	once     sync.Once
	dir      string // the template data dir
	owned    bool   // dir is this binary's own, not the shared cache's
	fixture  Fixture
	buildErr error
)

// F returns the fixture of the template township.
func F(t testing.TB) Fixture {
	t.Helper()
	ensure(t)
	return fixture
}

// Token returns an auth token for role ("" for RoleGuest).
func Token(t testing.TB, role string) string {
	t.Helper()
	ensure(t)
	if role == RoleGuest {
		return ""
	}
	tok, ok := fixture.tokens[role]
	if !ok {
		t.Fatalf("testapp: no role %q", role)
	}
	return tok
}

// Headers returns the request headers of role, for tests.ApiScenario.
func Headers(t testing.TB, role string) map[string]string {
	tok := Token(t, role)
	if tok == "" {
		return nil
	}
	return map[string]string{"Authorization": tok}
}

// New returns a fresh clone of the template app with every hook bound. It is
// cleaned up when the test ends.
func New(t testing.TB) *tests.TestApp {
	t.Helper()
	app := Factory(t)
	t.Cleanup(app.Cleanup)
	return app
}

// Factory is New in the shape tests.ApiScenario.TestAppFactory wants. The
// scenario runner cleans the app up itself.
func Factory(t testing.TB) *tests.TestApp {
	t.Helper()
	ensure(t)
	app, err := newTestApp(dir)
	if err != nil {
		t.Fatal(err)
	}
	hooks.Register(app)
	// A scenario's writes queue rescores that the assessment's worker runs
	// in the background 200 ms later, and PocketBase's ApiScenario copies
	// the app's event counts right after the response without a lock: a
	// rescore saving then crashed the test binary ("concurrent map clone
	// and map write"). So every request of a scenario ends with the
	// rescores it left done. The same for the notification outbox: a
	// request that queues a message wakes the outbox's worker, which saves
	// the notice and the sent row in the background (a Flush waits for a
	// tick under way, and leaves the next one nothing to write); a request
	// that queued nothing costs nothing (notify.Settle).
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.BindFunc(func(re *core.RequestEvent) error {
			err := re.Next()
			assessment.Flush(re.App)
			if ferr := notify.Settle(re.App); ferr != nil {
				re.App.Logger().Error("testapp: notify flush", "error", ferr)
			}
			return err
		})
		return se.Next()
	})
	return app
}

// Remove deletes the template data dir, unless it is the shared cache's;
// call it from TestMain after m.Run.
func Remove() {
	if dir != "" && owned {
		os.RemoveAll(dir)
		derived.Range(func(name, _ any) bool {
			os.RemoveAll(derivedPath(name.(string)))
			return true
		})
	}
}

func ensure(t testing.TB) {
	t.Helper()
	once.Do(func() {
		pii.UseDevKeyIfUnset()
		dir, fixture, buildErr = cachedTemplate()
		if buildErr != nil || dir == "" {
			owned = true
			dir, buildErr = os.MkdirTemp("", "simeng-template-")
			if buildErr == nil {
				buildErr = build(dir)
			}
		}
	})
	if buildErr != nil {
		t.Fatalf("testapp: %v", buildErr)
	}
}

// build writes the template township into dir, and its ids and tokens
// into fixture.
func build(dir string) error {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir, EncryptionEnv: "pb_test_env"})
	if err := app.Bootstrap(); err != nil {
		return err
	}
	defer app.ResetBootstrapState()
	// The seed goes through the same hooks as production (codes, phones).
	hooks.Register(app)
	if err := app.RunAllMigrations(); err != nil {
		return err
	}
	if err := seed(app); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	for i, s := range append(append([]Seeder(nil), seeders...), extra...) {
		if err := s(app, &fixture); err != nil {
			return fmt.Errorf("seeder %d: %w", i, err)
		}
	}
	// The template is copied file by file: the scores of what the seeders
	// wrote must be in it, not in the background queue of this app.
	assessment.Flush(app)
	// Last, after a package's own seeders too (Use): a message they queued
	// (a seeded suggestion notifies its deputy) was delivered by the worker
	// every app of the template starts on serve, in the background of the
	// scenario's request, where notify.Settle does not wait (it knows only
	// what that app queued), and a notice saved while ApiScenario copied
	// the event counts crashed the test binary.
	if err := emptyOutbox(app); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// Main runs a test package's tests (call it from TestMain), removes the
// template data dir and runs cleanup, then exits with the tests' code.
func Main(m *testing.M, cleanup ...func()) {
	code := m.Run()
	Remove()
	for _, c := range cleanup {
		c()
	}
	os.Exit(code)
}

// newTestApp is a copy of the data dir served as main serves it: its
// transactions begin IMMEDIATE (durability.DBConnect).
func newTestApp(dir string) (*tests.TestApp, error) {
	return tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: dir, EncryptionEnv: "pb_test_env", DBConnect: durability.DBConnect})
}
