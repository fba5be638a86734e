package migrations

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The notification settings' secrets (the Alibaba AccessKey Secret and the
// 企业微信 robot's webhook address, whose key is the robot's password) are
// sealed at rest by the PII vault (hooks/notify seals them on save and,
// in migration 1765700003 of that package, seals what is stored in clear).
// Sealed text is longer and is no URL: both become hidden text fields with
// room for it. The webhook keeps its value across the change of type.
func init() {
	m.Register(func(app core.App) error {
		return notifySecretsRoom(app, false)
	}, func(app core.App) error {
		return notifySecretsRoom(app, true)
	})
}

func notifySecretsRoom(app core.App, down bool) error {
	c, err := app.FindCollectionByNameOrId("notify_settings")
	if err != nil {
		return err
	}
	var rows []struct {
		ID      string `db:"id"`
		Webhook string `db:"wecom_webhook"`
	}
	if err := app.DB().NewQuery("SELECT [[id]], [[wecom_webhook]] FROM {{notify_settings}}").All(&rows); err != nil {
		return err
	}
	secretMax := 2000
	webhookHelp := "企业微信群机器人 Webhook 地址（加密保存，不显示；改写即替换）"
	if down {
		secretMax = 200
		webhookHelp = "企业微信群机器人 Webhook 地址（保密）"
	}
	if f, ok := c.Fields.GetByName("sms_access_key_secret").(*core.TextField); ok {
		f.Max = secretMax
		if !down {
			f.Help = "阿里云短信 AccessKey Secret（加密保存，不显示；改写即替换）"
		} else {
			f.Help = "阿里云短信 AccessKey Secret（保密）"
		}
	}
	c.Fields.RemoveByName("wecom_webhook")
	if err := app.Save(c); err != nil {
		return err
	}
	if down {
		c.Fields.Add(&core.URLField{Name: "wecom_webhook", Hidden: true})
	} else {
		c.Fields.Add(&core.TextField{Name: "wecom_webhook", Max: 2000, Hidden: true})
	}
	if err := withHelp(c, map[string]string{"wecom_webhook": webhookHelp}); err != nil {
		return err
	}
	if err := app.Save(c); err != nil {
		return err
	}
	for _, r := range rows {
		_, err := app.DB().NewQuery("UPDATE {{notify_settings}} SET [[wecom_webhook]] = {:v} WHERE [[id]] = {:id}").
			Bind(dbx.Params{"v": r.Webhook, "id": r.ID}).Execute()
		if err != nil {
			return err
		}
	}
	return nil
}
