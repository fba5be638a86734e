package notify

import (
	"net/url"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"simeng/hooks/internal/fielderr"
	nt "simeng/notify"
	"simeng/pii"
)

// SecretFields are the settings sealed at rest by the PII vault: the
// Alibaba AccessKey Secret and the 企业微信 robot's webhook address (its
// key= is the robot's password). No API returns them: a superuser reading
// the settings sees SecretMask, and saving SecretMask back keeps the
// stored value.
var SecretFields = []string{"sms_access_key_secret", "wecom_webhook"}

// SecretMask stands for a stored secret in every API answer.
const SecretMask = "●●●●●●（已加密保存）"

// bindSecrets seals the secrets on every save of the settings (the admin
// UI, the API, Go), checks them in clear first, and masks them on read.
func bindSecrets(app core.App) {
	seal := func(e *core.RecordEvent) error {
		if err := sealSecrets(e.Record); err != nil {
			return err
		}
		return e.Next()
	}
	app.OnRecordCreate(Settings).BindFunc(seal)
	app.OnRecordUpdate(Settings).BindFunc(seal)
	app.OnRecordEnrich(Settings).BindFunc(func(e *core.RecordEnrichEvent) error {
		for _, f := range SecretFields {
			if e.Record.GetString(f) != "" {
				e.Record.Set(f, SecretMask)
			}
		}
		return e.Next()
	})
	// The settings are also validated as a whole: a template code list
	// that cannot be used is refused with the field named.
	app.OnRecordValidate(Settings).BindFunc(func(e *core.RecordEvent) error {
		if _, err := nt.ParseTemplateCodes(e.Record.GetString("sms_templates")); err != nil {
			msg := strings.TrimPrefix(err.Error(), nt.ErrTemplateCodes.Error()+": ")
			return fielderr.New("sms_templates", "validation_template_codes", msg)
		}
		return e.Next()
	})
}

// sealSecrets seals r's secrets typed in clear; the mask (or an unchanged
// sealed value) keeps what is stored.
func sealSecrets(r *core.Record) error {
	for _, f := range SecretFields {
		v := strings.TrimSpace(r.GetString(f))
		switch {
		case v == SecretMask:
			r.Set(f, r.Original().GetString(f))
			continue
		case v == "" || v == r.Original().GetString(f) && pii.IsSealed(v):
			r.Set(f, v)
			continue
		}
		vault, err := pii.VaultFromEnv()
		if err != nil {
			return err
		}
		if _, err := vault.Open(v); err == nil {
			r.Set(f, v) // sealed already (a copy of this township's settings)
			continue
		}
		if f == "wecom_webhook" {
			if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return fielderr.New(f, "validation_invalid_url", "请填写企业微信群机器人的 Webhook 地址（https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…）。")
			}
		}
		sealed, err := vault.Seal(v)
		if err != nil {
			return err
		}
		r.Set(f, sealed)
	}
	return nil
}

// openSecret is a stored secret in clear: sealed values are opened, a value
// stored in clear before sealing existed is used as it is.
func openSecret(stored string) (string, error) {
	stored = strings.TrimSpace(stored)
	if stored == "" || !pii.IsSealed(stored) {
		return stored, nil
	}
	vault, err := pii.VaultFromEnv()
	if err != nil {
		return "", err
	}
	return vault.Open(stored)
}

// The data migration that seals the secrets stored in clear before they
// were sealed on save (the schema's room for them is migration
// 1765700002). It lives here, not in package migrations, because sealing
// needs the PII vault, which migrations may not import. Down opens them.
func init() {
	m.Register(func(app core.App) error {
		return resealSecrets(app, true)
	}, func(app core.App) error {
		return resealSecrets(app, false)
	}, "1765700003_notify_secrets_sealed.go")
}

func resealSecrets(app core.App, seal bool) error {
	var rows []struct {
		ID      string `db:"id"`
		Secret  string `db:"sms_access_key_secret"`
		Webhook string `db:"wecom_webhook"`
	}
	if err := app.DB().NewQuery("SELECT [[id]], [[sms_access_key_secret]], [[wecom_webhook]] FROM {{" + Settings + "}}").All(&rows); err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	vault, err := pii.VaultFromEnv()
	if err != nil {
		return err
	}
	convert := func(v string) (string, error) {
		v = strings.TrimSpace(v)
		switch {
		case v == "":
			return v, nil
		case seal && !pii.IsSealed(v):
			return vault.Seal(v)
		case !seal && pii.IsSealed(v):
			return vault.Open(v)
		}
		return v, nil
	}
	for _, r := range rows {
		secret, err := convert(r.Secret)
		if err != nil {
			return err
		}
		webhook, err := convert(r.Webhook)
		if err != nil {
			return err
		}
		_, err = app.DB().NewQuery("UPDATE {{" + Settings + "}} SET [[sms_access_key_secret]] = {:s}, [[wecom_webhook]] = {:w} WHERE [[id]] = {:id}").
			Bind(dbx.Params{"s": secret, "w": webhook, "id": r.ID}).Execute()
		if err != nil {
			return err
		}
	}
	return nil
}
