package notify_test

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"simeng/notify"
)

// samples fills every template, values at their longest plausible length.
var samples = map[notify.TemplateID]map[string]string{
	notify.TplSuggestionNew:    {"category": "道路交通", "due": "2025-06-02 09:12", "source": "扫码"},
	notify.TplBookingNew:       {"when": "2025-06-03 09:30", "place": "思蒙镇人大代表联络站"},
	notify.TplAckReminder:      {"due": "2025-06-02 09:12", "category": "道路交通"},
	notify.TplFeedbackReminder: {"due": "2025-06-09", "category": "道路交通"},
	notify.TplEscalation:       {"village": "思蒙湾村", "stage": "回应", "deputy": "欧阳秀英", "category": "道路交通"},
	notify.TplDeadlineSoon:     {"kind": "隐患", "due": "2025-06-10", "title": "思蒙镇中心小学校门口护栏缺失需整改"},
	notify.TplDeadlinePassed:   {"kind": "督办任务", "due": "2025-06-10", "title": "桥思公路三标段进度滞后情况核查"},
	notify.TplMeetingNotice:    {"start": "2025-06-12 09:00", "place": "镇政府三楼会议室", "meeting": "第二季度主席团会议"},
	notify.TplMeetingReminder:  {"meeting": "第二季度主席团会议", "start": "2025-06-12 09:00", "place": "镇政府三楼会议室"},
	notify.TplMarketDuty:       {"date": "2025-06-04", "lunar": "五月初九"},
	notify.TplPaceReminder:     {"done": "3", "expected": "5"},
	notify.TplResidentReceipt:  {"tracking": "k3j2m9x7qa"},
	notify.TplResidentAnswered: {"tracking": "k3j2m9x7qa"},
	notify.TplLoginCode:        {"code": "482913"},
	notify.TplDeliveryProblem:  {"channel": "短信", "reason": "isv.AMOUNT_NOT_ENOUGH", "count": "12"},
	notify.TplAssigned:         {"kind": "急难愁盼问题", "title": "桥头村三组至集镇道路破损严重亟待修复", "due": "2025-06-10"},
	notify.TplRedo:             {"title": "关于加快思蒙湾村饮水管网改造的建议", "due": "2025-07-08"},
	notify.TplProposalReplied:  {"title": "关于加快思蒙湾村饮水管网改造的建议"},
	notify.TplCosponsorInvite:  {"deputy": "龙秀英", "title": "关于加快思蒙湾村饮水管网改造的建议"},
	notify.TplReturnRequested:  {"unit": "镇农业综合服务中心", "kind": "急难愁盼问题", "title": "桥头村三组至集镇道路破损严重亟待修复"},
	notify.TplReturnDecided:    {"kind": "议案建议", "title": "关于加快思蒙湾村饮水管网改造的建议", "decision": "维持交办，请继续办理"},
	notify.TplVisitNotice:      {"date": "2025-06-01", "office": "0838-6512345"},
}

var (
	refRE      = regexp.MustCompile(`\$\{([^}]*)\}`)
	varNameRE  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,24}$`)
	reserved   = []string{"email", "mobile", "id", "nick", "site"}
	forbidden  = "【】「」『』〖〗★※→①•"
	residentOK = []string{"tracking"}
)

// TestTemplatesFollowAlibabaRules checks the SMS texts against the rules
// Alibaba's review applies, so that none is refused for its form.
func TestTemplatesFollowAlibabaRules(t *testing.T) {
	seen := map[notify.TemplateID]bool{}
	for _, tpl := range notify.All() {
		t.Run(string(tpl.ID), func(t *testing.T) {
			if seen[tpl.ID] {
				t.Fatal("duplicate id")
			}
			seen[tpl.ID] = true
			if tpl.Name == "" || utf8.RuneCountInString(tpl.Name) > 30 || tpl.Audience == "" || len(tpl.Channels) == 0 {
				t.Error("name (≤ 30), audience and channels are required")
			}
			if _, ok := samples[tpl.ID]; !ok {
				t.Fatal("no sample parameters")
			}
			if tpl.Has(notify.SMS) != (tpl.SMS != "") || (tpl.SMS != "") != (tpl.SMSKind != "") {
				t.Error("SMS text and kind exactly when the template sends SMS")
			}
			if (tpl.Has(notify.InApp) || tpl.Has(notify.WeCom)) != (tpl.Title != "" && tpl.Body != "") {
				t.Error("title and body exactly when the template sends in-app or WeCom")
			}

			declared := map[string]bool{}
			for _, v := range tpl.Vars {
				if !varNameRE.MatchString(v.Name) || slices.Contains(reserved, strings.ToLower(v.Name)) {
					t.Errorf("variable name %q not allowed by Alibaba", v.Name)
				}
				if v.Max < 1 || v.Max > notify.MaxSMSVar || v.Label == "" || v.Kind == "" {
					t.Errorf("variable %q: max 1–35, a label and a kind", v.Name)
				}
				declared[v.Name] = true
			}
			used := map[string]bool{}
			for _, text := range []string{tpl.SMS, tpl.Title, tpl.Body} {
				for _, m := range refRE.FindAllStringSubmatch(text, -1) {
					if !declared[m[1]] {
						t.Errorf("${%s} is not declared", m[1])
					}
					used[m[1]] = true
				}
			}
			for name := range declared {
				if !used[name] {
					t.Errorf("variable %q is declared but unused", name)
				}
			}
			if tpl.SMS == "" {
				return
			}

			text := tpl.ApprovalText("rd.example.cn")
			if strings.ContainsAny(text, forbidden) {
				t.Errorf("SMS text has a character Alibaba refuses: %s", text)
			}
			if n := utf8.RuneCountInString(text); n > 500 {
				t.Errorf("SMS text of %d characters, at most 500", n)
			}
			refs := refRE.FindAllStringSubmatchIndex(text, -1)
			names := map[string]int{}
			for i, r := range refs {
				names[text[r[2]:r[3]]]++
				if i > 0 && !hasWords(text[refs[i-1][1]:r[0]]) {
					t.Errorf("variables side by side: %s", text[refs[i-1][0]:r[1]])
				}
			}
			for name, n := range names {
				if n > 1 {
					t.Errorf("${%s} appears %d times; Alibaba allows once", name, n)
				}
			}
			if refs[0][0] == 0 {
				t.Error("SMS text starts with a variable")
			}
			if tpl.SMSKind == notify.SMSCode && !strings.Contains(text, "验证码") {
				t.Error("a 验证码 template must say 验证码")
			}
			if strings.Contains(tpl.Audience, "群众") {
				for name := range names {
					if !slices.Contains(residentOK, name) {
						t.Errorf("a resident's SMS carries ${%s}: only their own tracking code is allowed", name)
					}
				}
			} else if strings.Contains(tpl.SMS, notify.SitePlaceholder) {
				t.Error("only residents' texts carry the public link")
			}

			// With the signature, at most two 67-character segments.
			preview, err := tpl.SMSPreview("rd.example.cn", samples[tpl.ID])
			if err != nil {
				t.Fatal(err)
			}
			if n := utf8.RuneCountInString("【思蒙镇人大】" + preview); n > 134 {
				t.Errorf("%d characters with the signature, over two segments: %s", n, preview)
			}
		})
	}
}

// hasWords reports whether s has a letter or a Han character, so that two
// variables around it are not "adjacent" to Alibaba.
func hasWords(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.Is(unicode.Han, r) }) >= 0
}

func TestTemplateCheck(t *testing.T) {
	ack, _ := notify.Lookup(notify.TplAckReminder)
	code, _ := notify.Lookup(notify.TplLoginCode)
	receipt, _ := notify.Lookup(notify.TplResidentReceipt)
	tests := []struct {
		name   string
		tpl    notify.Template
		ch     notify.Channel
		params map[string]string
	}{
		{name: "missing parameter", tpl: ack, ch: notify.SMS, params: map[string]string{"category": "x"}},
		{name: "blank parameter", tpl: ack, ch: notify.SMS, params: map[string]string{"due": " \n\t"}},
		{name: "in-app needs the body's parameters too", tpl: ack, ch: notify.InApp, params: map[string]string{"due": "2025-06-02"}},
		{name: "a login code must be digits", tpl: code, ch: notify.SMS, params: map[string]string{"code": "12a456"}},
		{name: "a resident gets no in-app notice", tpl: receipt, ch: notify.InApp, params: samples[notify.TplResidentReceipt]},
		{name: "no robot message for a deputy's reminder", tpl: ack, ch: notify.WeCom, params: samples[notify.TplAckReminder]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.tpl.Check(tt.ch, tt.params); !errors.Is(err, notify.ErrParams) {
				t.Errorf("Check = %v, want ErrParams", err)
			}
		})
	}
	if err := ack.Check(notify.SMS, map[string]string{"due": "2025-06-02 09:00"}); err != nil {
		t.Errorf("SMS needs only what its text uses: %v", err)
	}
}

func TestTemplateRendering(t *testing.T) {
	esc, _ := notify.Lookup(notify.TplEscalation)
	params := map[string]string{"village": "思蒙湾村", "stage": "回应", "deputy": "张【测试】三", "category": "道路\n交通"}

	js, err := esc.SMSParams(params)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"village": "思蒙湾村", "stage": "回应", "deputy": "张（测试）三"}
	if len(got) != len(want) {
		t.Errorf("SMS params %v: only the variables the SMS uses", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}

	title, body, err := esc.Notice(params)
	if err != nil || title != "建议逾期督办" || body != "思蒙湾村一条道路 交通方面的群众建议超过回应期限，承办代表张（测试）三，请督促办理。" {
		t.Errorf("Notice = %q, %q, %v", title, body, err)
	}
	text, err := esc.WeComText(params)
	if err != nil || text != title+"\n"+body {
		t.Errorf("WeComText = %q, %v", text, err)
	}

	soon, _ := notify.Lookup(notify.TplDeadlineSoon)
	long := map[string]string{"kind": "隐患", "due": "2025-06-10", "title": strings.Repeat("很长的事项名称", 10)}
	js, _ = soon.SMSParams(long)
	json.Unmarshal([]byte(js), &got)
	if n := utf8.RuneCountInString(got["title"]); n != 30 || !strings.HasSuffix(got["title"], "…") {
		t.Errorf("a long title is cut to its Max with …: %q (%d)", got["title"], n)
	}

	receipt, _ := notify.Lookup(notify.TplResidentReceipt)
	if p, _ := receipt.SMSPreview("rd.example.cn", samples[notify.TplResidentReceipt]); !strings.HasSuffix(p, "rd.example.cn/t/k3j2m9x7qa") {
		t.Errorf("the receipt links to the status page: %s", p)
	}
}

func TestMessageValidate(t *testing.T) {
	ok := deputyMsg(1, notify.SMS)
	tests := []struct {
		name   string
		mutate func(*notify.Message)
		want   error
	}{
		{name: "no event key", mutate: func(m *notify.Message) { m.EventKey = "" }, want: notify.ErrEventKey},
		{name: "event key with a control character", mutate: func(m *notify.Message) { m.EventKey = "a\x00b" }, want: notify.ErrEventKey},
		{name: "event key too long", mutate: func(m *notify.Message) { m.EventKey = strings.Repeat("a", notify.MaxEventKey+1) }, want: notify.ErrEventKey},
		{name: "no recipient", mutate: func(m *notify.Message) { m.Recipient = "" }, want: notify.ErrRecipient},
		{name: "unknown channel", mutate: func(m *notify.Message) { m.Channel = "fax" }, want: notify.ErrChannel},
		{name: "unknown template", mutate: func(m *notify.Message) { m.Template = "nope" }, want: notify.ErrTemplate},
		{name: "window inverted", mutate: func(m *notify.Message) {
			m.NotBefore = cst(t, "2025-06-02 10:00")
			m.NotAfter = cst(t, "2025-06-01 10:00")
		}, want: notify.ErrWindow},
		{name: "missing parameter", mutate: func(m *notify.Message) { m.Params = nil }, want: notify.ErrParams},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			tt.mutate(&m)
			if err := m.Validate(); !errors.Is(err, tt.want) {
				t.Errorf("Validate = %v, want %v", err, tt.want)
			}
		})
	}
	if err := ok.Validate(); err != nil {
		t.Errorf("a good message: %v", err)
	}
}

func TestDedupeKey(t *testing.T) {
	a := deputyMsg(1, notify.SMS)
	b := a
	b.Params = map[string]string{"due": "another day"}
	b.Urgent = true
	if a.DedupeKey() != b.DedupeKey() {
		t.Error("the key depends on event, recipient and channel only")
	}
	for _, other := range []notify.Message{deputyMsg(2, notify.SMS), deputyMsg(1, notify.InApp), func() notify.Message { m := a; m.Recipient = "dep2"; return m }()} {
		if other.DedupeKey() == a.DedupeKey() {
			t.Errorf("%+v shares a's key", other)
		}
	}
	// Parts cannot run into each other.
	x := notify.Message{EventKey: "e/a", Recipient: "b", Channel: notify.SMS}
	y := notify.Message{EventKey: "e", Recipient: "a/b", Channel: notify.SMS}
	if x.DedupeKey() == y.DedupeKey() {
		t.Error("event and recipient are separated")
	}
	if got := notify.EventKey(notify.TplDeadlineSoon, "hz1", "", "a/b"); got != "deadline_soon/hz1/-/a_b" {
		t.Errorf("EventKey = %q", got)
	}
	if id := notify.OutID(a.DedupeKey()); len(id) != 32 || !strings.HasPrefix(a.DedupeKey(), id) {
		t.Errorf("OutID = %q", id)
	}
}
