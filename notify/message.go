package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// Channel is a way to reach a person or the office.
type Channel string

const (
	InApp Channel = "inapp" // the notice list and badge in the PWA, pulled with the sync
	SMS   Channel = "sms"   // Alibaba Cloud SMS (阿里云短信)
	WeCom Channel = "wecom" // 企业微信 group robot of the office
)

// Channels lists every channel in a stable order.
var Channels = []Channel{InApp, SMS, WeCom}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	return c == InApp || c == SMS || c == WeCom
}

// Limits of a message's identifying fields, so that keys fit an indexed
// text column.
const (
	MaxEventKey  = 200
	MaxRecipient = 100
)

// Message is one notification to one recipient on one channel.
type Message struct {
	// EventKey names the event, e.g. "suggestion_ack/k3j2…" or
	// "hazard_due/p9x…/2025-06-01" (see EventKey). One event, one message per
	// recipient and channel.
	EventKey string
	// Recipient is who receives it: a deputy's or staff member's record id, a
	// resident's suggestion id (the phone stays sealed in that record), or the
	// name of a robot for WeCom. Never a phone number or a name.
	Recipient string
	Channel   Channel
	Template  TemplateID
	Params    map[string]string
	// Urgent messages skip SMS quiet hours. Staff mark them; login codes
	// are always urgent.
	Urgent bool
	// NotBefore is the earliest time to send (zero: at once).
	NotBefore time.Time
	// NotAfter is when the message stops being worth sending, e.g. the start
	// of the meeting it announces or the expiry of a login code (zero: never).
	NotAfter time.Time
}

// Errors from Message.Validate.
var (
	ErrEventKey  = errors.New("notify: event key missing, too long or not printable")
	ErrRecipient = errors.New("notify: recipient missing, too long or not printable")
	ErrChannel   = errors.New("notify: unknown channel")
	ErrTemplate  = errors.New("notify: unknown template")
	ErrWindow    = errors.New("notify: NotAfter is before NotBefore")
)

// Validate checks the message's identity, channel and template parameters.
func (m Message) Validate() error {
	if !printable(m.EventKey, MaxEventKey) {
		return ErrEventKey
	}
	if !printable(m.Recipient, MaxRecipient) {
		return ErrRecipient
	}
	if !m.Channel.Valid() {
		return ErrChannel
	}
	t, ok := Lookup(m.Template)
	if !ok {
		return ErrTemplate
	}
	if !m.NotAfter.IsZero() && m.NotAfter.Before(m.NotBefore) {
		return ErrWindow
	}
	return t.Check(m.Channel, m.Params)
}

// printable: non-empty, at most max bytes, valid UTF-8 without control
// characters or the separator used in DedupeKey.
func printable(s string, max int) bool {
	if s == "" || len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// DedupeKey identifies the message in the outbox: the same event, recipient
// and channel always give the same 64-character key, distinct inputs
// distinct keys. Store it in a column with a unique index.
func (m Message) DedupeKey() string {
	sum := sha256.Sum256([]byte(m.EventKey + "\x00" + m.Recipient + "\x00" + string(m.Channel)))
	return hex.EncodeToString(sum[:])
}

// OutID is the reference sent to the provider with every attempt of the
// message (Alibaba's OutId), so that an attempt whose answer was lost can be
// found again. It is derived from the dedupe key and carries no personal data.
func OutID(dedupeKey string) string {
	if len(dedupeKey) > 32 {
		return dedupeKey[:32]
	}
	return dedupeKey
}

// EventKey builds an event key from a template and the ids that make the
// event unique, e.g. EventKey(TplAckReminder, suggestionID) or
// EventKey(TplDeadlineSoon, hazardID, "2025-06-01") so that an extended
// deadline is a new event. A "/" inside a part becomes "_" and an empty part
// "-", so that parts never run into each other.
func EventKey(t TemplateID, parts ...string) string {
	all := []string{string(t)}
	for _, p := range parts {
		if p == "" {
			p = "-"
		}
		all = append(all, strings.ReplaceAll(p, "/", "_"))
	}
	return strings.Join(all, "/")
}
