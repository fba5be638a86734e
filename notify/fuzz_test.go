package notify_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"simeng/notify"
)

// FuzzTemplateParams feeds outside text (meeting titles, places and hazard
// names staff type, village names) into every template on every channel:
// nothing panics, SMS parameters stay valid JSON within Alibaba's limits and
// never pose as a signature, and no text gains a control character.
func FuzzTemplateParams(f *testing.F) {
	for _, s := range []string{"", " ", "校门口护栏缺失", "【阿里云】", "a\nb\tc", "\xff\xfe", strings.Repeat("长", 100), "${due}", "\u200b\u202e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tpl := range notify.All() {
			params := map[string]string{}
			for _, v := range tpl.Vars {
				params[v.Name] = s
			}
			for _, ch := range tpl.Channels {
				if err := tpl.Check(ch, params); err != nil {
					continue
				}
				switch ch {
				case notify.SMS:
					js, err := tpl.SMSParams(params)
					if err != nil {
						t.Fatal(err)
					}
					var vals map[string]string
					if err := json.Unmarshal([]byte(js), &vals); err != nil {
						t.Fatalf("SMS params not JSON: %s", js)
					}
					for name, v := range vals {
						if n := utf8.RuneCountInString(v); n == 0 || n > notify.MaxSMSVar {
							t.Fatalf("%s.%s has %d characters", tpl.ID, name, n)
						}
						if strings.ContainsAny(v, "【】") || hasControl(v) {
							t.Fatalf("%s.%s = %q", tpl.ID, name, v)
						}
					}
				case notify.InApp:
					title, body, err := tpl.Notice(params)
					if err != nil || hasControl(title) || hasControl(body) || !utf8.ValidString(title+body) {
						t.Fatalf("Notice = %q, %q, %v", title, body, err)
					}
				case notify.WeCom:
					text, err := tpl.WeComText(params)
					if err != nil || strings.Count(text, "\n") != 1 || hasControl(strings.Replace(text, "\n", " ", 1)) {
						t.Fatalf("WeComText = %q, %v", text, err)
					}
				}
			}
		}
	})
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0
}

// FuzzDeliveryLifecycle drives one delivery per channel through arbitrary
// sequences of clock steps, plans, claims, outcomes, give-ups and revivals,
// and checks the invariants the outbox relies on after every step.
func FuzzDeliveryLifecycle(f *testing.F) {
	f.Add(int64(0), []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add(int64(40000), []byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	f.Add(int64(80000), []byte{1, 4, 9, 4, 9, 4, 9, 4, 9, 4, 9, 4, 9, 4, 9, 4, 9, 4, 9, 4, 9, 4, 9, 4, 9, 4})
	f.Fuzz(func(t *testing.T, start int64, ops []byte) {
		if len(ops) > 400 {
			ops = ops[:400]
		}
		base := time.Date(2025, 6, 1, 0, 0, 0, 0, notify.ChinaTime)
		now := base.Add(time.Duration(start%(7*24*3600)) * time.Second)
		for _, ch := range notify.Channels {
			p := pol[ch]
			m := notify.Message{EventKey: "e/1", Recipient: "r", Channel: ch, Urgent: len(ops) > 0 && ops[0]&0x80 != 0}
			if len(ops) > 1 && ops[1]&0x80 != 0 {
				m.NotAfter = now.Add(time.Duration(ops[1]) * time.Hour)
			}
			d := notify.NewDelivery(m, now, p)
			check(t, d, p)
			delivered := false
			for _, op := range ops {
				switch op % 10 {
				case 0: // time passes
					now = now.Add(time.Duration(op) * 7 * time.Minute)
				case 1, 2, 3: // the worker plans and does what is due, with an outcome chosen by op
					plan := notify.Due(notify.Snapshot{Now: now, Open: []notify.Delivery{d}}, pol)
					for _, task := range plan.Tasks {
						if task.Kind == notify.Send && p.Quiet != nil && !d.Urgent && p.Quiet.Contains(now) && d.State != notify.Sending {
							t.Fatalf("a non-urgent %s planned in quiet hours at %s", ch, now)
						}
						if task.Kind == notify.Send && d.State == notify.Sending && p.Guarantee == notify.AtMostOnce {
							t.Fatal("an AtMostOnce try with an unknown outcome planned to be sent again")
						}
						switch task.Kind {
						case notify.GiveUp:
							d = d.GiveUp(task.Reason)
						case notify.Send:
							c, err := d.Claim(now, p)
							if err != nil {
								t.Fatalf("planned but not claimable: %+v at %s", d, now)
							}
							d = c
							fallthrough
						case notify.Reconcile:
							o := notify.Outcome{Result: notify.Result(1 + int(op/10)%5), Code: "c"}
							if o.Result == notify.Delivered {
								if delivered {
									t.Fatal("delivered twice")
								}
								delivered = true
							}
							next, err := d.Record(now, o, p, float64(op%7)/7)
							if err != nil {
								t.Fatal(err)
							}
							d = next
						}
					}
					if len(plan.Tasks) == 0 && !plan.Wake.IsZero() && !plan.Wake.After(now) {
						t.Fatalf("wake %s is not after now %s", plan.Wake, now)
					}
				case 4: // jump to the plan's wake time
					plan := notify.Due(notify.Snapshot{Now: now, Open: []notify.Delivery{d}}, pol)
					if !plan.Wake.IsZero() {
						now = plan.Wake
					}
				case 5:
					if d.State == notify.Dead {
						d = d.Revive(now, p)
						delivered = false
					}
				default:
					now = now.Add(time.Duration(op) * time.Second)
				}
				check(t, d, p)
			}
		}
	})
}

func check(t *testing.T, d notify.Delivery, p notify.Policy) {
	t.Helper()
	if d.Attempts < 0 || d.Attempts > p.MaxAttempts {
		t.Fatalf("%d attempts of %d", d.Attempts, p.MaxAttempts)
	}
	if d.Reconciles < 0 || d.Reconciles > p.MaxReconciles {
		t.Fatalf("%d reconciles of %d", d.Reconciles, p.MaxReconciles)
	}
	switch d.State {
	case notify.Pending, notify.Failed:
		if p.Quiet != nil && !d.Urgent && p.Quiet.Contains(d.NextAt) {
			t.Fatalf("non-urgent next try in quiet hours: %s", d.NextAt)
		}
	case notify.Sending:
		if !d.LeaseUntil.After(d.AttemptedAt) {
			t.Fatalf("sending without a lease: %+v", d)
		}
	case notify.Dead:
		if d.LastError == "" {
			t.Fatal("dead without a reason")
		}
	case notify.Sent:
	default:
		t.Fatalf("state %q", d.State)
	}
}

// FuzzParseTemplateCodes feeds the sms_templates setting as typed: it never
// panics, and what it accepts names only SMS templates with clean codes.
func FuzzParseTemplateCodes(f *testing.F) {
	for _, s := range []string{"", "null", `{"suggestion_new":"SMS_1"}`, `{"login_code":" SMS_2 "}`, `{"x":1}`, `[1]`, `{"suggestion_new":"短信"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		codes, err := notify.ParseTemplateCodes(raw)
		if err != nil {
			if codes != nil {
				t.Fatalf("codes %v with error %v", codes, err)
			}
			return
		}
		for id, code := range codes {
			tpl, ok := notify.Lookup(id)
			if !ok || !tpl.Has(notify.SMS) {
				t.Fatalf("accepted %q", id)
			}
			if code == "" || len(code) > notify.MaxTemplateCode || strings.TrimSpace(code) != code || strings.ContainsAny(code, " \"{}") {
				t.Fatalf("accepted code %q", code)
			}
		}
	})
}
