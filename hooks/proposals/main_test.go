package proposals_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simeng/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// The fixture's logins (internal/testapp), by role.
const (
	guest, deputy, deputy2         = testapp.RoleGuest, testapp.RoleDeputy, testapp.RoleDeputy2
	presidium, inactive, superuser = testapp.RolePresidium, testapp.RoleInactive, testapp.RoleSuperuser
	staff, formerStaff, unit       = testapp.RoleStaff, testapp.RoleFormerStaff, testapp.RoleUnit
	unit2                          = testapp.RoleUnit2
)

// newDeputy adds an active deputy of village A and returns its id and token.
func newDeputy(t *testing.T, app core.App, name, phone string) (string, string) {
	t.Helper()
	f := testapp.F(t)
	col, err := app.FindCollectionByNameOrId("deputies")
	if err != nil {
		t.Fatal(err)
	}
	d := core.NewRecord(col)
	d.Load(map[string]any{"name": name, "phone": phone, "village": f.VillageA, "level": "township", "active": true, "term": "第十九届", "gender": "男"})
	d.SetPassword(testapp.Password)
	if err := app.Save(d); err != nil {
		t.Fatal(err)
	}
	tok, err := d.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return d.Id, tok
}

// sendTok sends a JSON body with a raw token; it returns the status and the
// decoded answer.
func sendTok(t *testing.T, s *testapp.Server, tok, method, url string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.URL+url, rd)
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", tok)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := map[string]any{}
	_ = json.Unmarshal(raw, &out)
	if len(out) == 0 {
		out["raw"] = string(raw)
	}
	return res.StatusCode, out
}

// send sends a JSON body as a fixture role.
func send(t *testing.T, s *testapp.Server, role, method, url string, body any) (int, map[string]any) {
	t.Helper()
	return sendTok(t, s, testapp.Token(t, role), method, url, body)
}

// fieldMsg is the message a 400 answer gives for field.
func fieldMsg(m map[string]any, field string) string {
	data, _ := m["data"].(map[string]any)
	e, _ := data[field].(map[string]any)
	msg, _ := e["message"].(string)
	return msg
}
