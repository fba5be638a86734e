package roster_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"simeng/hooks/audit"
	"simeng/hooks/roster"
	"simeng/internal/testapp"
)

// The technician creates office staff from the console: the phone is
// normalised, an initial password is printed and works, the account is
// not a superuser, and the creation is audited.
func TestStaffCreateCommand(t *testing.T) {
	app := testapp.New(t)
	run := func(args ...string) (string, error) {
		cmd := roster.NewStaffCommand(app)
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetErr(&out)
		cmd.SetArgs(args)
		err := cmd.Execute()
		return out.String(), err
	}
	out, err := run("create", "--phone", "+86 137-0000-5555", "--name", "新联络", "--title", "镇人大办工作人员")
	if err != nil {
		t.Fatal(err, out)
	}
	m := regexp.MustCompile(`初始密码：(\S+)（`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no initial password printed:\n%s", out)
	}
	r, err := app.FindFirstRecordByData("staff", "phone", "13700005555")
	if err != nil {
		t.Fatal("staff not created with the normalised phone:", err)
	}
	if !r.ValidatePassword(m[1]) || len(m[1]) < 10 || !r.GetBool("active") || r.GetString("role") != "liaison" || r.IsSuperuser() {
		t.Fatalf("account %v", r)
	}
	entries, err := app.FindRecordsByFilter(audit.Collection, "collection = 'staff'", "seq", 0, 0)
	if err != nil || len(entries) != 1 || entries[0].GetString("actor_kind") != "system" || strings.Contains(entries[0].GetString("changes"), m[1]) {
		t.Fatalf("audit entries %v %v", entries, err)
	}
	for _, bad := range [][]string{
		{"create", "--phone", "13700005555", "--name", "重复"},
		{"create", "--phone", "12345", "--name", "坏号码"},
		{"create", "--phone", "13700006666", "--name", "短密码", "--password", "short"},
		{"create", "--phone", "13700006666", "--name", "弱密码", "--password", "1234567890"},
		{"create", "--phone", "13700006666", "--name", "手机号密码", "--password", "tian13700006666"},
	} {
		if out, err := run(bad...); err == nil {
			t.Errorf("%v accepted:\n%s", bad, out)
		}
	}
}
