package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TemplateID names a message template. Staff map each id that has SMS text
// to the code of the Alibaba template approved for it (a setting).
type TemplateID string

// Templates, one per event of the notification plan.
const (
	TplSuggestionNew    TemplateID = "suggestion_new"    // a resident's suggestion for a deputy
	TplBookingNew       TemplateID = "booking_new"       // a reception booked with a deputy (预约接待)
	TplAckReminder      TemplateID = "ack_reminder"      // not yet acknowledged, ~20 h after receipt
	TplFeedbackReminder TemplateID = "feedback_reminder" // feedback due the next working day
	TplEscalation       TemplateID = "escalation"        // overdue, to the 包联 presidium member
	TplDeadlineSoon     TemplateID = "deadline_soon"     // problem, proposal, hazard or task due soon
	TplDeadlinePassed   TemplateID = "deadline_passed"   // … past its deadline
	TplMeetingNotice    TemplateID = "meeting_notice"    // 会议通知
	TplMeetingReminder  TemplateID = "meeting_reminder"  // the day before the meeting
	TplMarketDuty       TemplateID = "market_duty"       // market-day duty at the station, the day before
	TplPaceReminder     TemplateID = "pace_reminder"     // monthly: behind the 12 households pace
	TplResidentReceipt  TemplateID = "resident_receipt"  // to a consenting resident: received, tracking code
	TplResidentAnswered TemplateID = "resident_answered" // to a consenting resident: answered
	TplLoginCode        TemplateID = "login_code"        // 验证码 for SMS login and password reset
	TplDeliveryProblem  TemplateID = "delivery_problem"  // to the office: a channel is blocked
	TplVisitNotice      TemplateID = "visit_notice"      // to a household that agreed: a visit was recorded (回访 by SMS)

	// Handling units (承办单位) and sponsors of proposals.
	TplAssigned        TemplateID = "assigned"         // a proposal, problem or hazard assigned to a unit
	TplRedo            TemplateID = "proposal_redo"    // 不满意 → 重新办理, to the units
	TplProposalReplied TemplateID = "proposal_replied" // the unit replied, to the sponsor
	TplCosponsorInvite TemplateID = "cosponsor_invite" // invited to co-sponsor (附议) a proposal
	TplReturnRequested TemplateID = "return_requested" // a unit asks to return (退办) an item, to the office
	TplReturnDecided   TemplateID = "return_decided"   // the office reassigned or insisted, to the unit
)

// SMSKind is the Alibaba template type to apply for.
type SMSKind string

const (
	SMSNotice SMSKind = "短信通知"
	SMSCode   SMSKind = "验证码"
)

// VarKind is the kind of a template variable. Alibaba requires a 变量属性
// for every variable of a notification template; AlibabaAttr names the one
// to choose when applying (as labelled in the console at the time of
// writing; check when applying).
type VarKind string

const (
	VarText   VarKind = "text"   // a name, place, title or word
	VarTime   VarKind = "time"   // "2025-06-01 09:30" or "2025-06-01"
	VarNumber VarKind = "number" // digits
	VarCode   VarKind = "code"   // a tracking code: letters and digits
	VarOTP    VarKind = "otp"    // a 6-digit login code
)

// AlibabaAttr is the 变量属性 to choose for a variable of this kind.
func (k VarKind) AlibabaAttr() string {
	switch k {
	case VarTime:
		return "时间"
	case VarNumber:
		return "其他号码（仅数字）"
	case VarCode:
		return "其他号码"
	case VarOTP:
		return "仅数字"
	}
	return "其他"
}

// Var is one ${name} parameter of a template.
type Var struct {
	Name  string
	Kind  VarKind
	Label string // what it holds, in Chinese, for staff applying for the template
	// Max is the longest value in characters; longer values are cut with
	// "…". Alibaba allows at most 35 per variable.
	Max int
}

// MaxSMSVar is Alibaba's limit on one variable's value (1–35 characters).
const MaxSMSVar = 35

// SitePlaceholder in SMS text stands for the platform's public address. A
// link must be fixed text in an Alibaba template, so it is filled in once,
// when applying (Template.ApprovalText), never sent as a variable.
const SitePlaceholder = "{site}"

// Template is the text of one event's messages on every channel. Texts use
// ${name} for parameters. SMS text follows Alibaba's rules: each variable
// once, never two side by side, no 【】, no link in a variable, and no
// personal data of anyone but the recipient.
type Template struct {
	ID       TemplateID
	Name     string    // 模板名称 for the Alibaba application
	Audience string    // who receives it
	Channels []Channel // the channels this event uses
	Urgent   bool      // always urgent (login codes)

	SMSKind SMSKind
	SMS     string // "" if the event sends no SMS
	Title   string // in-app notice title
	Body    string // in-app notice body and 企业微信 text
	Vars    []Var
}

var varRef = regexp.MustCompile(`\$\{([A-Za-z][A-Za-z0-9_]*)\}`)

// Has reports whether t's event uses channel c.
func (t Template) Has(c Channel) bool { return slices.Contains(t.Channels, c) }

// Var returns the variable named name.
func (t Template) Var(name string) (Var, bool) {
	for _, v := range t.Vars {
		if v.Name == name {
			return v, true
		}
	}
	return Var{}, false
}

// ErrParams is returned (wrapped) for missing or unusable parameters.
var ErrParams = errors.New("notify: template parameters")

// Check reports whether params fill every variable the channel's text uses
// with a usable value, and whether the template sends on channel c.
func (t Template) Check(c Channel, params map[string]string) error {
	if !t.Has(c) {
		return fmt.Errorf("%w: %s sends nothing on %s", ErrParams, t.ID, c)
	}
	for _, name := range t.uses(c) {
		v, _ := t.Var(name)
		if clean(params[name], v.Max) == "" {
			return fmt.Errorf("%w: %s needs %q", ErrParams, t.ID, name)
		}
		if v.Kind == VarOTP && !allDigits(params[name]) {
			return fmt.Errorf("%w: %s: %q must be digits", ErrParams, t.ID, name)
		}
	}
	return nil
}

// uses lists the variables the text for channel c refers to.
func (t Template) uses(c Channel) []string {
	texts := []string{t.Title, t.Body}
	if c == SMS {
		texts = []string{t.SMS}
	}
	var names []string
	for _, s := range texts {
		for _, m := range varRef.FindAllStringSubmatch(s, -1) {
			if !slices.Contains(names, m[1]) {
				names = append(names, m[1])
			}
		}
	}
	return names
}

// render fills text's variables with cleaned params.
func (t Template) render(text string, params map[string]string) string {
	return varRef.ReplaceAllStringFunc(text, func(ref string) string {
		name := ref[2 : len(ref)-1]
		v, _ := t.Var(name)
		return clean(params[name], v.Max)
	})
}

// Notice is the in-app notice: a title and a body.
func (t Template) Notice(params map[string]string) (title, body string, err error) {
	if err := t.Check(InApp, params); err != nil {
		return "", "", err
	}
	return t.render(t.Title, params), t.render(t.Body, params), nil
}

// WeComText is the office robot's text: the title on its own line, then
// the body.
func (t Template) WeComText(params map[string]string) (string, error) {
	if err := t.Check(WeCom, params); err != nil {
		return "", err
	}
	return t.render(t.Title, params) + "\n" + t.render(t.Body, params), nil
}

// SMSParams is Alibaba's TemplateParam: a JSON object of string values for
// exactly the variables the SMS text uses, cleaned and cut to fit.
func (t Template) SMSParams(params map[string]string) (string, error) {
	if err := t.Check(SMS, params); err != nil {
		return "", err
	}
	vals := map[string]string{}
	for _, name := range t.uses(SMS) {
		v, _ := t.Var(name)
		vals[name] = clean(params[name], v.Max)
	}
	b, err := json.Marshal(vals)
	return string(b), err
}

// SMSPreview is the SMS as the recipient would read it, without signature
// and with the site placeholder filled, for tests and the workbench.
func (t Template) SMSPreview(site string, params map[string]string) (string, error) {
	if err := t.Check(SMS, params); err != nil {
		return "", err
	}
	return t.render(t.ApprovalText(site), params), nil
}

// ApprovalText is the SMS text to submit to Alibaba for approval, with the
// public address (e.g. "rd.simeng.gov.cn", no scheme) as fixed text.
func (t Template) ApprovalText(site string) string {
	return strings.ReplaceAll(t.SMS, SitePlaceholder, site)
}

// clean makes a parameter safe for any channel: one line, no control
// characters, no 【】 (which would pose as a signature), and at most max
// characters (MaxSMSVar if max is 0), cut with "…".
func clean(s string, max int) string {
	if max <= 0 || max > MaxSMSVar {
		max = MaxSMSVar
	}
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '【':
			return '（'
		case r == '】':
			return '）'
		case unicode.IsControl(r), unicode.IsSpace(r), unicode.Is(unicode.Cf, r):
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:max-1])) + "…"
	}
	return s
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Lookup returns the template with id.
func Lookup(id TemplateID) (Template, bool) {
	i := slices.IndexFunc(catalog, func(t Template) bool { return t.ID == id })
	if i < 0 {
		return Template{}, false
	}
	return catalog[i], true
}

// All returns every template, in the order of the catalog.
func All() []Template { return slices.Clone(catalog) }
