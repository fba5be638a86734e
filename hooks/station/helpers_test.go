package station_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/chinatime"
	"simeng/dutyroster"
	"simeng/hooks/station"
	"simeng/internal/testapp"
)

// env is a fresh township with a station of its own ("ceshi"), its
// clock fixed at a China time the test chooses.
type env struct {
	t       testing.TB
	app     *tests.TestApp
	f       testapp.Fixture
	station string // id of the test's own station
	code    string
}

func newEnv(t testing.TB, clock time.Time, deputies ...string) *env {
	t.Helper()
	e := &env{t: t, app: testapp.New(t), f: testapp.F(t), code: "ceshi"}
	e.setClock(clock)
	if deputies == nil {
		deputies = []string{e.f.Deputy, e.f.Deputy2, e.f.Presidium}
	}
	e.station = e.save("stations", map[string]any{"name": "测试联络站", "code": e.code, "address": "测试村村部",
		"deputies": deputies, "active": true}).Id
	return e
}

func (e *env) setClock(at time.Time) { station.SetClock(e.app, func() time.Time { return at }) }

func (e *env) save(collection string, fields map[string]any) *core.Record {
	e.t.Helper()
	col, err := e.app.FindCollectionByNameOrId(collection)
	if err != nil {
		e.t.Fatal(err)
	}
	r := core.NewRecord(col)
	for k, v := range fields {
		r.Set(k, v)
	}
	if err := e.app.Save(r); err != nil {
		e.t.Fatalf("save %s: %v", collection, err)
	}
	return r
}

var phoneSeq atomic.Int64

// addDeputy adds an active deputy and returns their id and token.
func (e *env) addDeputy(name string) (string, string) {
	e.t.Helper()
	r := e.save("deputies", map[string]any{"name": name, "phone": fmt.Sprintf("137%08d", phoneSeq.Add(1)),
		"password": testapp.Password, "passwordConfirm": testapp.Password, "village": e.f.VillageA, "level": "township", "active": true, "term": "第十九届"})
	tok, err := r.NewAuthToken()
	if err != nil {
		e.t.Fatal(err)
	}
	return r.Id, tok
}

// roster saves a roster of the test station with duties: date → deputies.
func (e *env) roster(status, from, to string, duties map[string][]string) string {
	e.t.Helper()
	r := e.save("station_rosters", map[string]any{"station": e.station, "first_day": from, "last_day": to, "status": status, "per_day": 2})
	for date, ids := range duties {
		for _, id := range ids {
			e.save("station_duties", map[string]any{"roster": r.Id, "date": date, "deputy": id, "source": "generated"})
		}
	}
	return r.Id
}

// do sends a JSON request with token ("" for none, or a role name).
func (e *env) do(who, method, url string, body any) (int, map[string]any) {
	e.t.Helper()
	raw := ""
	switch b := body.(type) {
	case nil:
	case string:
		raw = b
	default:
		j, _ := json.Marshal(b)
		raw = string(j)
	}
	req := httptest.NewRequest(method, url, strings.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if tok := tokenOf(e.t, who); tok != "" {
		req.Header.Set("Authorization", tok)
	}
	rec := httptest.NewRecorder()
	testapp.Handler(e.t, e.app).ServeHTTP(rec, req)
	var out map[string]any
	json.Unmarshal(rec.Body.Bytes(), &out)
	if out == nil {
		out = map[string]any{"_raw": rec.Body.String()}
	}
	return rec.Code, out
}

// must is do failing the test unless the status is want.
func (e *env) must(want int, who, method, url string, body any) map[string]any {
	e.t.Helper()
	code, out := e.do(who, method, url, body)
	if code != want {
		e.t.Fatalf("%s %s as %s: %d, want %d: %v", method, url, who, code, want, out)
	}
	return out
}

// tokenOf is a role's token, or who itself when it is a token.
func tokenOf(t testing.TB, who string) string {
	switch who {
	case guest, deputy, deputy2, presidium, inactive, superuser, staff, formerStaff, unit:
		return testapp.Token(t, who)
	}
	return who
}

// fieldMessage is the message a 400 answer gives for field.
func fieldMessage(out map[string]any, field string) string {
	data, _ := out["data"].(map[string]any)
	f, _ := data[field].(map[string]any)
	msg, _ := f["message"].(string)
	return msg
}

// china is a China wall-clock time.
func china(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, chinatime.Location())
}

// marketDays lists the market days of [from, to].
func marketDays(t testing.TB, from, to string) []string {
	t.Helper()
	days, err := dutyroster.MarketDays(nil, dutyroster.HolidayKeep, from, to)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = d.Date
	}
	return out
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// dbxHash is a dbx.HashExp of key, value pairs.
func dbxHash(kv ...string) dbx.HashExp {
	h := dbx.HashExp{}
	for i := 0; i+1 < len(kv); i += 2 {
		h[kv[i]] = kv[i+1]
	}
	return h
}
