package wecom_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"simeng/notify"
	"simeng/notify/wecom"
)

// FuzzClassify feeds arbitrary robot answers: a valid outcome, delivered
// only on HTTP 200 with errcode 0, and a short one-line detail that never
// carries the hint and caller address.
func FuzzClassify(f *testing.F) {
	f.Add(200, []byte(`{"errcode":0,"errmsg":"ok"}`))
	f.Add(200, []byte(`{"errcode":93000,"errmsg":"invalid webhook url, hint: [1], from ip: 1.2.3.4"}`))
	f.Add(200, []byte(`{"errcode":"0"}`))
	f.Add(200, []byte(`{"errmsg":"ok"}`))
	f.Add(500, []byte(``))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		o := wecom.Classify(status, body)
		if o.Result < notify.Delivered || o.Result > notify.Blocked {
			t.Fatalf("invalid %+v", o)
		}
		if o.Result == notify.Delivered && (status != 200 || o.Code != "errcode 0") {
			t.Fatalf("delivered on %d %q", status, body)
		}
		if len(o.Detail) > 60 || strings.Contains(o.Detail, ",") || !utf8.ValidString(o.Detail) {
			t.Fatalf("detail %q", o.Detail)
		}
	})
}
