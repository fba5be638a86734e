package notify_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	. "simeng/hooks/notify"
	"simeng/internal/testapp"
	nt "simeng/notify"
	"simeng/notify/notifytest"
	"simeng/pii"
)

type storedSecrets struct {
	ID      string `db:"id"`
	Secret  string `db:"sms_access_key_secret"`
	Webhook string `db:"wecom_webhook"`
}

func readSecrets(t *testing.T, app core.App) storedSecrets {
	t.Helper()
	var s storedSecrets
	if err := app.DB().NewQuery("SELECT id, sms_access_key_secret, wecom_webhook FROM " + Settings).One(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func opened(t *testing.T, sealed string) string {
	t.Helper()
	v, err := pii.VaultFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	plain, err := v.Open(sealed)
	if err != nil {
		t.Fatalf("%q: %v", sealed, err)
	}
	return plain
}

// The AccessKey Secret and the robot's webhook are sealed at rest, never
// answered in clear (a superuser reads the mask), kept when the mask is
// saved back, resealed when replaced, checked before sealing, and the
// channels keep working with them.
func TestSecretsSealedAndMasked(t *testing.T) {
	p := notifytest.NewProviders()
	t.Cleanup(p.Close)
	s := testapp.NewServer(t)
	configure(t, s.App, p)

	st := readSecrets(t, s.App)
	if !pii.IsSealed(st.Secret) || !pii.IsSealed(st.Webhook) || strings.Contains(st.Secret+st.Webhook, notifytest.StandInSecret) {
		t.Fatalf("stored in clear: %+v", st)
	}
	if opened(t, st.Secret) != notifytest.StandInSecret || opened(t, st.Webhook) != p.RobotURL() {
		t.Fatal("sealed values do not open to what was saved")
	}

	url := "/api/collections/" + Settings + "/records"
	s.Must(403, testapp.RoleStaff, http.MethodGet, url+"/"+st.ID, nil)
	for _, r := range []testapp.Reply{
		s.Must(200, testapp.RoleSuperuser, http.MethodGet, url, nil),
		s.Must(200, testapp.RoleSuperuser, http.MethodGet, url+"/"+st.ID, nil),
	} {
		body := string(r.Body)
		if strings.Contains(body, notifytest.StandInSecret) || strings.Contains(body, p.RobotURL()) || strings.Contains(body, st.Secret) {
			t.Fatalf("a secret answered: %s", body)
		}
		if strings.Count(body, SecretMask) != 2 {
			t.Fatalf("want both secrets masked: %s", body)
		}
	}

	// The admin UI sends the form back whole: the mask keeps the secrets.
	s.Must(200, testapp.RoleSuperuser, http.MethodPatch, url+"/"+st.ID,
		`{"sms_sign_name":"思蒙镇人大","sms_access_key_secret":"`+SecretMask+`","wecom_webhook":"`+SecretMask+`"}`)
	after := readSecrets(t, s.App)
	if opened(t, after.Secret) != notifytest.StandInSecret || opened(t, after.Webhook) != p.RobotURL() {
		t.Fatalf("the mask replaced a secret: %+v", after)
	}
	if !ChannelOn(s.App, nt.SMS) || !ChannelOn(s.App, nt.WeCom) {
		t.Fatal("channels off after saving the masked form")
	}

	// Bad input: named field, Chinese message, nothing stored.
	r := s.Must(400, testapp.RoleSuperuser, http.MethodPatch, url+"/"+st.ID, `{"wecom_webhook":"不是地址"}`)
	if msg := r.FieldError(t, "wecom_webhook"); !strings.Contains(msg, "Webhook") {
		t.Fatalf("webhook error = %q: %s", msg, r.Body)
	}
	r = s.Must(400, testapp.RoleSuperuser, http.MethodPatch, url+"/"+st.ID, `{"sms_templates":{"suggestion_new":"SMS 1"}}`)
	if msg := r.FieldError(t, "sms_templates"); !strings.Contains(msg, "编号") {
		t.Fatalf("templates error = %q: %s", msg, r.Body)
	}
	if got := readSecrets(t, s.App); got != after {
		t.Fatal("a refused save changed the secrets")
	}

	// Replaced: sealed again, the new value used.
	s.Must(200, testapp.RoleSuperuser, http.MethodPatch, url+"/"+st.ID, `{"sms_access_key_secret":"new-secret-value-1234"}`)
	if got := readSecrets(t, s.App); !pii.IsSealed(got.Secret) || opened(t, got.Secret) != "new-secret-value-1234" {
		t.Fatalf("replacement not sealed: %+v", got)
	}
}

// The data migration seals what was stored in clear before sealing on save
// existed, leaves sealed values alone, and its down step opens them.
func TestSecretsMigrationSealsClearValues(t *testing.T) {
	app := testapp.New(t)
	col, err := app.FindCollectionByNameOrId(Settings)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Set("sms_access_key_id", "LTAI5tExample")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	const secret, hook = "clear-secret-before-sealing", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6"
	if _, err := app.DB().NewQuery("UPDATE " + Settings + " SET sms_access_key_secret = {:s}, wecom_webhook = {:w}").
		Bind(dbx.Params{"s": secret, "w": hook}).Execute(); err != nil {
		t.Fatal(err)
	}
	for range 2 { // twice: a sealed value is not sealed again
		if err := ResealSecrets(app, true); err != nil {
			t.Fatal(err)
		}
	}
	st := readSecrets(t, app)
	if !pii.IsSealed(st.Secret) || !pii.IsSealed(st.Webhook) || opened(t, st.Secret) != secret || opened(t, st.Webhook) != hook {
		t.Fatalf("after the migration: %+v", st)
	}
	if err := ResealSecrets(app, false); err != nil {
		t.Fatal(err)
	}
	if st := readSecrets(t, app); st.Secret != secret || st.Webhook != hook {
		t.Fatalf("after down: %+v", st)
	}
}
