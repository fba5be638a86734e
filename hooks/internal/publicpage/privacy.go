package publicpage

import (
	"regexp"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/text/unicode/norm"

	"simeng/pii"
)

// phoneInText and idInText find mainland mobile numbers and resident ID
// numbers (身份证号) typed into free text, so that a public page shows them
// masked even when a resident wrote theirs into a comment.
var (
	phoneInText = regexp.MustCompile(`1[3-9]\d[\s.\-]?\d{4}[\s.\-]?\d{4}`)
	idInText    = regexp.MustCompile(`\d{17}[\dXx]`)
)

// MaskPersonalNumbers masks the phone and ID numbers in s.
func MaskPersonalNumbers(s string) string {
	// Full-width digits, spaces, dots and dashes (a Chinese IME in
	// full-width mode) are folded first, or a number typed that way would
	// show in clear. Only those: full-width punctuation stays as written.
	s = strings.Map(foldNumberish, s)
	s = idInText.ReplaceAllStringFunc(s, func(id string) string { return id[:3] + strings.Repeat("*", 13) + id[16:] })
	return phoneInText.ReplaceAllStringFunc(s, pii.MaskPhone)
}

func foldNumberish(r rune) rune {
	switch {
	case r >= '０' && r <= '９', r == 'Ｘ', r == 'ｘ', r == '－', r == '．':
		return []rune(norm.NFKC.String(string(r)))[0]
	case r == '\u3000':
		return ' '
	}
	return r
}

// IPHash identifies an address for moderation without storing it (PIPL).
func IPHash(ip string) string {
	v, err := pii.VaultFromEnv()
	if err != nil {
		return ""
	}
	return v.Hash("ip:" + ip)[:16]
}

// Forms of the public_form_events tally.
const (
	FormTopicComment = "topic_comment"
	FormSurvey       = "survey"
)

// Event is one thing the abuse guard turned away or asked about.
type Event struct {
	Form, Key, Kind string
	IPHash          string // "" where keeping it could link an answer to a person (surveys)
	Window, Detail  string
}

// RecordEvent adds one to the staff-visible tally of ev's kind for its form,
// key, address and window (collection public_form_events). A failure is
// logged, never shown to the resident.
func RecordEvent(app core.App, ev Event) {
	err := app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindFirstRecordByFilter("public_form_events",
			"form = {:form} && key = {:key} && kind = {:kind} && ip_hash = {:ip} && window = {:window}",
			dbx.Params{"form": ev.Form, "key": ev.Key, "kind": ev.Kind, "ip": ev.IPHash, "window": ev.Window})
		if err != nil {
			col, err := tx.FindCachedCollectionByNameOrId("public_form_events")
			if err != nil {
				return err
			}
			r = core.NewRecord(col)
			r.Set("form", ev.Form)
			r.Set("key", ev.Key)
			r.Set("kind", ev.Kind)
			r.Set("ip_hash", ev.IPHash)
			r.Set("window", ev.Window)
		}
		r.Set("count", r.GetInt("count")+1)
		r.Set("detail", ev.Detail)
		return tx.Save(r)
	})
	if err != nil {
		app.Logger().Error("record public form event", "form", ev.Form, "kind", ev.Kind, "error", err)
	}
}
