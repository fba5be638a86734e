package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	nt "simeng/notify"
	"simeng/pii"
)

// store is the notify_outbox collection as a notify.Store. Claims are a
// compare-and-set UPDATE committed before the provider is called.
type store struct{ app core.App }

const deliveryColumns = "[[key]], [[channel]], [[recipient]], [[urgent]], [[not_after]], [[state]], [[attempts]], " +
	"[[reconciles]], [[next_at]], [[attempted_at]], [[lease_until]], [[sent_at]], [[ref]], [[last_error]]"

type deliveryRow struct {
	Key         string  `db:"key"`
	Channel     string  `db:"channel"`
	Recipient   string  `db:"recipient"`
	Urgent      bool    `db:"urgent"`
	NotAfter    string  `db:"not_after"`
	State       string  `db:"state"`
	Attempts    float64 `db:"attempts"`
	Reconciles  float64 `db:"reconciles"`
	NextAt      string  `db:"next_at"`
	AttemptedAt string  `db:"attempted_at"`
	LeaseUntil  string  `db:"lease_until"`
	SentAt      string  `db:"sent_at"`
	Ref         string  `db:"ref"`
	LastError   string  `db:"last_error"`
}

func (r deliveryRow) delivery() nt.Delivery {
	return nt.Delivery{
		Key: r.Key, Channel: nt.Channel(r.Channel), Recipient: r.Recipient, Urgent: r.Urgent,
		NotAfter: parseTime(r.NotAfter), State: nt.State(r.State),
		Attempts: int(r.Attempts), Reconciles: int(r.Reconciles),
		NextAt: parseTime(r.NextAt), AttemptedAt: parseTime(r.AttemptedAt), LeaseUntil: parseTime(r.LeaseUntil),
		SentAt: parseTime(r.SentAt), Ref: r.Ref, LastError: r.LastError,
	}
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	dt, err := types.ParseDateTime(s)
	if err != nil {
		return time.Time{}
	}
	return dt.Time()
}

// stamp is t as PocketBase stores dates; "" for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	dt, err := types.ParseDateTime(t.UTC())
	if err != nil {
		return ""
	}
	return dt.String()
}

func (s *store) Snapshot(_ context.Context, since time.Time) ([]nt.Delivery, []nt.Attempt, error) {
	var rows []deliveryRow
	err := s.app.DB().NewQuery("SELECT " + deliveryColumns + " FROM " + Outbox +
		" WHERE [[state]] IN ('pending','sending','failed')").All(&rows)
	if err != nil {
		return nil, nil, err
	}
	open := make([]nt.Delivery, 0, len(rows))
	for _, r := range rows {
		open = append(open, r.delivery())
	}
	var recentRows []deliveryRow
	// By channel, so that the (channel, attempted_at) index serves it: a
	// filter on attempted_at alone read the whole outbox at every tick, and
	// a market day's burst of suggestions ticked once each.
	params := dbx.Params{"since": stamp(since)}
	marks := make([]string, len(nt.Channels))
	for i, ch := range nt.Channels {
		marks[i] = fmt.Sprintf("{:ch%d}", i)
		params[fmt.Sprintf("ch%d", i)] = string(ch)
	}
	err = s.app.DB().NewQuery("SELECT " + deliveryColumns + " FROM " + Outbox +
		" WHERE [[channel]] IN (" + strings.Join(marks, ", ") + ") AND [[attempted_at]] >= {:since}").
		Bind(params).All(&recentRows)
	if err != nil {
		return nil, nil, err
	}
	recent := make([]nt.Attempt, 0, len(recentRows))
	for _, r := range recentRows {
		recent = append(recent, nt.Attempt{Channel: nt.Channel(r.Channel), Recipient: r.Recipient, At: parseTime(r.AttemptedAt)})
	}
	return open, recent, nil
}

func stateParams(d nt.Delivery) dbx.Params {
	return dbx.Params{
		"state": string(d.State), "attempts": d.Attempts, "reconciles": d.Reconciles,
		"next_at": stamp(d.NextAt), "attempted_at": stamp(d.AttemptedAt), "lease_until": stamp(d.LeaseUntil),
		"sent_at": stamp(d.SentAt), "ref": cut(d.Ref, 100), "last_error": cut(d.LastError, 500),
		"not_after": stamp(d.NotAfter), "updated": types.NowDateTime().String(),
	}
}

const setState = "[[state]] = {:state}, [[attempts]] = {:attempts}, [[reconciles]] = {:reconciles}, " +
	"[[next_at]] = {:next_at}, [[attempted_at]] = {:attempted_at}, [[lease_until]] = {:lease_until}, " +
	"[[sent_at]] = {:sent_at}, [[ref]] = {:ref}, [[last_error]] = {:last_error}, [[not_after]] = {:not_after}, [[updated]] = {:updated}"

func (s *store) Claim(_ context.Context, prev, next nt.Delivery) (bool, error) {
	p := stateParams(next)
	p["key"], p["prev_state"], p["prev_attempts"], p["prev_reconciles"] = prev.Key, string(prev.State), prev.Attempts, prev.Reconciles
	res, err := s.app.NonconcurrentDB().NewQuery("UPDATE " + Outbox + " SET " + setState +
		" WHERE [[key]] = {:key} AND [[state]] = {:prev_state} AND [[attempts]] = {:prev_attempts} AND [[reconciles]] = {:prev_reconciles}").
		Bind(p).Execute()
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (s *store) Save(_ context.Context, d nt.Delivery) error {
	p := stateParams(d)
	p["key"] = d.Key
	q := "UPDATE " + Outbox + " SET " + setState
	if d.Final() {
		// A login code is worth nothing once sent or given up: forget it.
		q += ", [[params]] = CASE WHEN [[template]] = '" + string(nt.TplLoginCode) + "' THEN 'null' ELSE [[params]] END"
	}
	_, err := s.app.NonconcurrentDB().NewQuery(q + " WHERE [[key]] = {:key}").Bind(p).Execute()
	return err
}

type messageRow struct {
	EventKey  string `db:"event_key"`
	Recipient string `db:"recipient"`
	Channel   string `db:"channel"`
	Template  string `db:"template"`
	Params    string `db:"params"`
	Urgent    bool   `db:"urgent"`
	NotBefore string `db:"not_before"`
	NotAfter  string `db:"not_after"`
}

func (s *store) Message(_ context.Context, key string) (nt.Message, error) {
	var r messageRow
	err := s.app.DB().NewQuery("SELECT [[event_key]], [[recipient]], [[channel]], [[template]], [[params]], [[urgent]], [[not_before]], [[not_after]] FROM " +
		Outbox + " WHERE [[key]] = {:key}").Bind(dbx.Params{"key": key}).One(&r)
	if err != nil {
		return nt.Message{}, err
	}
	params, err := openParams(nt.TemplateID(r.Template), r.Params)
	if err != nil {
		return nt.Message{}, err
	}
	return nt.Message{
		EventKey: r.EventKey, Recipient: r.Recipient, Channel: nt.Channel(r.Channel), Template: nt.TemplateID(r.Template),
		Params: params, Urgent: r.Urgent, NotBefore: parseTime(r.NotBefore), NotAfter: parseTime(r.NotAfter),
	}, nil
}

// enqueue inserts m's row unless its key is there, and reports whether it
// did. app may be a transaction.
func (s *store) enqueue(app core.App, m nt.Message, now time.Time, pol nt.Policy) (bool, error) {
	key := m.DedupeKey()
	if exists(app, key) {
		return false, nil
	}
	col, err := app.FindCachedCollectionByNameOrId(Outbox)
	if err != nil {
		return false, err
	}
	params, err := sealParams(m.Template, m.Params)
	if err != nil {
		return false, err
	}
	d := nt.NewDelivery(m, now, pol)
	r := core.NewRecord(col)
	r.Set("key", key)
	r.Set("event_key", m.EventKey)
	r.Set("recipient", m.Recipient)
	r.Set("channel", string(m.Channel))
	r.Set("template", string(m.Template))
	r.Set("params", params)
	r.Set("urgent", m.Urgent)
	r.Set("not_before", stamp(m.NotBefore))
	r.Set("not_after", stamp(m.NotAfter))
	r.Set("state", string(d.State))
	r.Set("attempts", 0)
	r.Set("reconciles", 0)
	r.Set("next_at", stamp(d.NextAt))
	if err := app.SaveNoValidate(r); err != nil {
		if exists(app, key) {
			return false, nil // queued meanwhile by someone else
		}
		return false, err
	}
	return true, nil
}

func exists(app core.App, key string) bool {
	var n int
	err := app.DB().NewQuery("SELECT count(*) FROM " + Outbox + " WHERE [[key]] = {:key}").Bind(dbx.Params{"key": key}).Row(&n)
	return err == nil && n > 0
}

// sealParams is the stored form of a message's parameters: JSON, with a
// login code sealed by the PII vault.
func sealParams(t nt.TemplateID, params map[string]string) (string, error) {
	raw, err := json.Marshal(params)
	if err != nil {
		return "", err
	}
	if t != nt.TplLoginCode {
		return string(raw), nil
	}
	v, err := pii.VaultFromEnv()
	if err != nil {
		return "", err
	}
	sealed, err := v.Seal(string(raw))
	if err != nil {
		return "", err
	}
	out, err := json.Marshal(sealed)
	return string(out), err
}

func openParams(t nt.TemplateID, stored string) (map[string]string, error) {
	if stored == "" || stored == "null" {
		return map[string]string{}, nil
	}
	if t == nt.TplLoginCode {
		var sealed string
		if err := json.Unmarshal([]byte(stored), &sealed); err != nil {
			return nil, err
		}
		v, err := pii.VaultFromEnv()
		if err != nil {
			return nil, err
		}
		plain, err := v.Open(sealed)
		if err != nil {
			return nil, err
		}
		stored = plain
	}
	var params map[string]string
	if err := json.Unmarshal([]byte(stored), &params); err != nil {
		return nil, fmt.Errorf("notify: params of a %s message: %w", t, err)
	}
	return params, nil
}

func cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

func isNotFound(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// delivery reads one delivery by key.
func (s *store) delivery(key string) (nt.Delivery, error) {
	var r deliveryRow
	err := s.app.DB().NewQuery("SELECT " + deliveryColumns + " FROM " + Outbox + " WHERE [[key]] = {:key}").
		Bind(dbx.Params{"key": key}).One(&r)
	return r.delivery(), err
}
