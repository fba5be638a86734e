package notify

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	nt "simeng/notify"
	"simeng/notify/sms"
	"simeng/notify/wecom"
	"simeng/pii"
)

// channelConfig is what notify_settings holds, read into the providers'
// configurations.
type channelConfig struct {
	SMS   sms.Config
	Codes map[nt.TemplateID]string
	WeCom wecom.Config
}

func loadConfig(app core.App) (channelConfig, error) {
	var c channelConfig
	recs, err := app.FindRecordsByFilter(Settings, "", "-updated", 1, 0)
	if err != nil || len(recs) == 0 {
		return c, err
	}
	r := recs[0]
	secret, err := openSecret(r.GetString("sms_access_key_secret"))
	if err != nil {
		return c, fmt.Errorf("sms_access_key_secret: %w", err)
	}
	webhook, err := openSecret(r.GetString("wecom_webhook"))
	if err != nil {
		return c, fmt.Errorf("wecom_webhook: %w", err)
	}
	c.SMS = sms.Config{
		AccessKeyID:     strings.TrimSpace(r.GetString("sms_access_key_id")),
		AccessKeySecret: secret,
		SignName:        strings.TrimSpace(r.GetString("sms_sign_name")),
		Endpoint:        strings.TrimSpace(r.GetString("sms_endpoint")),
		Scheme:          r.GetString("sms_scheme"),
	}
	if c.Codes, err = nt.ParseTemplateCodes(r.GetString("sms_templates")); err != nil {
		return c, fmt.Errorf("sms_templates: %w", err)
	}
	c.WeCom = wecom.Config{WebhookURL: webhook}
	return c, nil
}

// reconfigure reads the settings and switches the channels' senders.
func (s *service) reconfigure() error {
	cfg, err := loadConfig(s.app)
	enabled := map[nt.Channel]bool{nt.InApp: true}
	var smsSender, robotSender nt.Sender
	if err == nil && cfg.SMS.Enabled() {
		if c, cerr := sms.New(cfg.SMS); cerr == nil {
			smsSender = &sms.Sender{Client: c, Codes: cfg.Codes, Phone: s.phone}
			enabled[nt.SMS] = true
		} else {
			err = cerr
		}
	}
	if err == nil && cfg.WeCom.Enabled() {
		if c, cerr := wecom.New(cfg.WeCom); cerr == nil {
			robotSender = &wecom.Sender{Robots: map[string]*wecom.Client{OfficeRobot: c}}
			enabled[nt.WeCom] = true
		} else {
			err = cerr
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loaded = true
	s.enabled = enabled
	s.smsCodes = cfg.Codes
	if s.worker.Senders[nt.InApp] == nil {
		s.worker.Senders[nt.InApp] = &inAppSender{app: s.app}
		s.worker.Senders[nt.SMS] = &switchSender{}
		s.worker.Senders[nt.WeCom] = &switchSender{}
	}
	s.worker.Senders[nt.SMS].(*switchSender).set(smsSender)
	s.worker.Senders[nt.WeCom].(*switchSender).set(robotSender)
	return err
}

// switchSender is a channel's sender, switched when the settings change
// (the worker's map of senders is never written while it runs).
type switchSender struct {
	mu sync.RWMutex
	s  nt.Sender
}

func (w *switchSender) set(s nt.Sender) {
	w.mu.Lock()
	w.s = s
	w.mu.Unlock()
}

func (w *switchSender) get() nt.Sender {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.s
}

var channelOff = nt.Outcome{Result: nt.Blocked, Code: "off", Detail: "the channel's settings are missing"}

func (w *switchSender) Send(ctx context.Context, d nt.Delivery, m nt.Message) nt.Outcome {
	s := w.get()
	if s == nil {
		return channelOff
	}
	return s.Send(ctx, d, m)
}

func (w *switchSender) Lookup(ctx context.Context, d nt.Delivery, m nt.Message) nt.Outcome {
	s := w.get()
	if s == nil {
		return nt.Outcome{Result: nt.Unknown, Code: "off", Detail: "the channel's settings are missing"}
	}
	if r, ok := s.(nt.Reconciler); ok {
		return r.Lookup(ctx, d, m)
	}
	return nt.Outcome{Result: nt.Unknown, Detail: "the channel cannot look up sent messages"}
}

// ResidentRecipient is the recipient of a message to the resident who left
// a suggestion: their phone stays sealed in the suggestion.
func ResidentRecipient(suggestionID string) string { return "suggestion:" + suggestionID }

// HouseholdRecipient is the recipient of a message to a household a
// deputy visited (hooks/verification's callback notice, queued only where
// the household agreed): its phone stays sealed in the household.
func HouseholdRecipient(householdID string) string { return "household:" + householdID }

// phone resolves a recipient to a mobile number: a deputy's, staff
// member's or unit's own, or a consenting resident's or household's,
// unsealed.
func (s *service) phone(_ context.Context, recipient string) (string, error) {
	app := s.app
	if id, ok := strings.CutPrefix(recipient, "household:"); ok {
		h, err := app.FindRecordById("households", id)
		if err != nil {
			if isNotFound(err) {
				return "", sms.ErrNoPhone
			}
			return "", err
		}
		phone := h.GetString("phone")
		if pii.IsSealed(phone) {
			v, err := pii.VaultFromEnv()
			if err != nil {
				return "", err
			}
			if phone, err = v.Open(phone); err != nil {
				return "", sms.ErrNoPhone
			}
		}
		if !pii.ValidMobile(phone) {
			return "", sms.ErrNoPhone
		}
		return phone, nil
	}
	if id, ok := strings.CutPrefix(recipient, "suggestion:"); ok {
		sg, err := app.FindRecordById("suggestions", id)
		if err != nil {
			if isNotFound(err) {
				return "", sms.ErrNoPhone
			}
			return "", err
		}
		sealed := sg.GetString("resident_phone")
		if !sg.GetBool("consent") || sealed == "" {
			return "", sms.ErrNoPhone
		}
		v, err := pii.VaultFromEnv()
		if err != nil {
			return "", err
		}
		phone, err := v.Open(sealed)
		if err != nil || !pii.ValidMobile(phone) {
			return "", sms.ErrNoPhone
		}
		return phone, nil
	}
	for _, col := range []string{"deputies", "staff", "units"} {
		r, err := app.FindRecordById(col, recipient)
		if err != nil {
			continue
		}
		if !r.GetBool("active") {
			return "", sms.ErrNoPhone
		}
		if p := r.GetString("phone"); pii.ValidMobile(p) {
			return p, nil
		}
		return "", sms.ErrNoPhone
	}
	return "", sms.ErrNoPhone
}

// inAppSender writes the notice a deputy pulls with the sync (or staff
// read in the workbench). The notice is keyed by the delivery's key, so a
// second try after a crash finds it: exactly once.
type inAppSender struct{ app core.App }

func (n *inAppSender) Send(_ context.Context, d nt.Delivery, m nt.Message) nt.Outcome {
	app := n.app
	if r, err := app.FindFirstRecordByData(Notices, "key", d.Key); err == nil {
		return nt.Outcome{Result: nt.Delivered, Ref: r.Id}
	}
	tpl, ok := nt.Lookup(m.Template)
	if !ok {
		return nt.Outcome{Result: nt.Reject, Code: "template", Detail: "unknown template"}
	}
	title, body, err := tpl.Notice(m.Params)
	if err != nil {
		return nt.Outcome{Result: nt.Reject, Code: "template", Detail: "parameters missing"}
	}
	field := ""
	for _, c := range []struct{ col, field string }{{"deputies", "deputy"}, {"staff", "staff"}, {"units", "unit"}} {
		if _, err := app.FindRecordById(c.col, m.Recipient); err == nil {
			field = c.field
			break
		}
	}
	if field == "" {
		return nt.Outcome{Result: nt.Reject, Code: "no inbox", Detail: "the recipient has no notice list"}
	}
	col, err := app.FindCachedCollectionByNameOrId(Notices)
	if err != nil {
		return nt.Outcome{Result: nt.Retry, Code: "store", Detail: "notices collection missing"}
	}
	r := core.NewRecord(col)
	r.Set("key", d.Key)
	r.Set(field, m.Recipient)
	r.Set("template", string(m.Template))
	r.Set("title", cut(title, 100))
	r.Set("body", cut(body, 500))
	r.Set("link", cut(m.Params["link"], 200))
	if err := app.Save(r); err != nil {
		if found, ferr := app.FindFirstRecordByData(Notices, "key", d.Key); ferr == nil {
			return nt.Outcome{Result: nt.Delivered, Ref: found.Id}
		}
		return nt.Outcome{Result: nt.Retry, Code: "store", Detail: "could not write the notice"}
	}
	return nt.Outcome{Result: nt.Delivered, Ref: r.Id}
}

// blocked tells the office once an hour per channel that a channel is
// blocked: a notice to every active staff member and, unless the robot is
// the blocked one, the office group.
func (s *service) blocked(ch nt.Channel, o nt.Outcome) {
	app := s.app
	label := map[nt.Channel]string{nt.SMS: "短信", nt.WeCom: "企业微信", nt.InApp: "站内通知"}[ch]
	var waiting int
	app.DB().NewQuery("SELECT count(*) FROM " + Outbox + " WHERE [[channel]] = {:ch} AND [[state]] IN ('pending','failed','sending')").
		Bind(map[string]any{"ch": string(ch)}).Row(&waiting)
	hour := time.Now().UTC().Format("2006-01-02T15")
	params := map[string]string{"channel": label, "reason": cut(o.Code, 35), "count": fmt.Sprint(waiting), "link": "#/staff/outbox"}
	if params["reason"] == "" {
		params["reason"] = "服务商拒绝"
	}
	var msgs []nt.Message
	staff, _ := app.FindRecordsByFilter("staff", "active = true", "", 0, 0)
	for _, st := range staff {
		msgs = append(msgs, nt.Message{EventKey: nt.EventKey(nt.TplDeliveryProblem, string(ch), hour), Recipient: st.Id,
			Channel: nt.InApp, Template: nt.TplDeliveryProblem, Params: params, Urgent: true})
	}
	if ch != nt.WeCom {
		msgs = append(msgs, nt.Message{EventKey: nt.EventKey(nt.TplDeliveryProblem, string(ch), hour), Recipient: OfficeRobot,
			Channel: nt.WeCom, Template: nt.TplDeliveryProblem, Params: params, Urgent: true})
	}
	if err := Enqueue(app, msgs...); err != nil {
		app.Logger().Error("notify: delivery problem", "error", err)
	}
}
