package deliberation_test

import (
	"bytes"
	"compress/gzip"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"simeng/hooks/deliberation"
	"simeng/internal/testapp"
)

// quickApp is a fresh app whose comment form accepts an instant
// submission (the minimum fill time has a test of its own).
func quickApp(t testing.TB) *tests.TestApp {
	app := testapp.New(t)
	l := formLimits()
	l.MinFill = 0
	deliberation.SetFormLimits(app, l)
	return app
}

var scriptRe = regexp.MustCompile(`(?i)<script|\bon[a-z]+\s*=|javascript:`)

// checkPublic fails unless page is a public page: no script, a strict CSP,
// no mobile number, within 30 KB gzipped.
func checkPublic(t testing.TB, what string, p testapp.Page) {
	t.Helper()
	if scriptRe.MatchString(p.Body) {
		t.Errorf("%s holds script: %s", what, scriptRe.FindString(p.Body))
	}
	csp := p.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("%s CSP %q", what, csp)
	}
	if regexp.MustCompile(`1[3-9][0-9]{9}`).MatchString(p.Body) {
		t.Errorf("%s shows a mobile number", what)
	}
	if n := gzipSize(p.Body); n > 30<<10 {
		t.Errorf("%s is %d bytes gzipped, over 30 KB", what, n)
	}
	if p.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("%s Cache-Control %q", what, p.Header.Get("Cache-Control"))
	}
}

func gzipSize(s string) int {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
	w.Write([]byte(s))
	w.Close()
	return b.Len()
}

// A resident opens a topic from its QR code, reads the background and the
// approved comments, and comments; the comment is public only once the
// presidium approved it, with any phone number in it masked.
func TestResidentsCommentAndPresidiumApproves(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	srv := testapp.Serve(t, app, nil)
	r := testapp.NewResident(t, srv.URL)
	path := "/topic/" + f.IDs["topic_open_code"]

	p := r.Get(path)
	if p.Status != 200 {
		t.Fatalf("GET %s = %d", path, p.Status)
	}
	checkPublic(t, path, p)
	for _, want := range []string{"思蒙湾村集镇停车场选址", "赶集日集镇车辆乱停", "希望停车场旁边设公共厕所", "思蒙湾村群众",
		"人大代表 张三", "原粮站空地", "<form", "征求意见截止"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(p.Body, "停车场不要收费太高") {
		t.Error("a comment waiting for moderation is public")
	}

	form := r.Form(path, url.Values{"body": {"停车场晚上要有路灯，有事打我电话 139 1234 5678。"}, "village": {f.VillageB}})
	res := r.Post(path, form)
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != path+"?sent=1" {
		t.Fatalf("POST: %d %s %s", res.Status, res.Header.Get("Location"), res.Body)
	}
	after := r.Get(path + "?sent=1")
	if !strings.Contains(after.Body, "已收到您的意见") || strings.Contains(after.Body, "停车场晚上要有路灯") {
		t.Fatalf("after posting: thanks %v, public %v", strings.Contains(after.Body, "已收到您的意见"), strings.Contains(after.Body, "停车场晚上要有路灯"))
	}
	c, err := app.FindFirstRecordByFilter("topic_comments", "body ~ '停车场晚上要有路灯'")
	if err != nil {
		t.Fatal(err)
	}
	if c.GetString("moderation") != "pending" || c.GetString("author") != "resident" || c.GetString("deputy") != "" ||
		c.GetString("village") != f.VillageB || c.GetString("ip_hash") == "" {
		t.Fatalf("stored comment %v", c.FieldsData())
	}
	// Deputies do not see it either until it is approved.
	status, list := srv.Do(deputy, http.MethodGet, "/api/collections/topic_comments/records/"+c.Id, nil)
	if status != http.StatusNotFound {
		t.Fatalf("a deputy reads a pending comment: %d %v", status, list)
	}
	if status, out := srv.Do(presidium, http.MethodPatch, "/api/collections/topic_comments/records/"+c.Id, map[string]any{"moderation": "approved"}); status != 200 {
		t.Fatalf("approve: %d %v", status, out)
	}
	shown := r.Get(path)
	checkPublic(t, path+" after approval", shown)
	if !strings.Contains(shown.Body, "停车场晚上要有路灯") || !strings.Contains(shown.Body, "139****5678") || !strings.Contains(shown.Body, "桥头村群众") {
		t.Fatalf("the approved comment is not shown masked:\n%s", shown.Body)
	}
}

// Only topics put to residents, and past their draft, have a public page;
// a closed one shows its conclusion and takes no more comments.
func TestTopicPagesOpenOnlyForResidents(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	srv := testapp.Serve(t, app, nil)
	r := testapp.NewResident(t, srv.URL)
	for _, code := range []string{f.IDs["topic_deputies_code"], f.IDs["topic_draft_code"], "nosuchcode0", "../../etc", strings.Repeat("a", 40)} {
		p := r.Get("/topic/" + url.PathEscape(code))
		if p.Status != http.StatusNotFound {
			t.Errorf("/topic/%s = %d", code, p.Status)
		}
		checkPublic(t, "not found page", p)
	}
	closed := "/topic/" + f.IDs["topic_closed_code"]
	p := r.Get(closed)
	checkPublic(t, closed, p)
	if p.Status != 200 || !strings.Contains(p.Body, "由村委会牵头成立管水小组") || strings.Contains(p.Body, "<form") {
		t.Fatalf("closed topic page: %d, conclusion %v", p.Status, strings.Contains(p.Body, "管水小组"))
	}
	res := r.Post(closed, url.Values{"body": {"结束以后再提意见。"}, "t": {"x"}})
	if res.Status == http.StatusSeeOther {
		t.Fatal("a comment on a closed topic was taken")
	}
	if n := testapp.CountWhere(t, app, "topic_comments", "body = '结束以后再提意见。'"); n != 0 {
		t.Fatal("a comment on a closed topic was stored")
	}
}

// The page stays within 30 KB gzipped with the longest background and
// conclusion and more comments than it lists, each as long as allowed.
func TestTopicPageSizeBudget(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	rng := rand.New(rand.NewPCG(1, 2))
	// Common characters, as real text has them (a few hundred carry most
	// of any Chinese text).
	pool := []rune("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严")
	text := func(n int) string {
		b := make([]rune, n)
		for i := range b {
			b[i] = pool[rng.IntN(len(pool))]
		}
		return string(b)
	}
	topic, err := app.FindRecordById("topics", f.IDs["topic_closed"])
	if err != nil {
		t.Fatal(err)
	}
	// The conclusion of a closed topic cannot change: write the longest
	// one on a new topic instead.
	col := topic.Collection()
	long := core.NewRecord(col)
	long.Set("title", text(100))
	long.Set("background", text(3000))
	long.Set("audience", "both")
	long.Set("status", "open")
	long.Set("deadline", time.Now().Add(time.Hour))
	if err := app.Save(long); err != nil {
		t.Fatal(err)
	}
	comments, _ := app.FindCollectionByNameOrId("topic_comments")
	for range 20 {
		c := core.NewRecord(comments)
		c.Set("topic", long.Id)
		c.Set("body", text(1000))
		c.Set("moderation", "approved")
		c.Set("village", f.VillageA)
		if err := app.Save(c); err != nil {
			t.Fatal(err)
		}
	}
	long.Set("status", "closed")
	long.Set("conclusion", text(2000))
	if err := app.Save(long); err != nil {
		t.Fatal(err)
	}
	r := testapp.NewResident(t, testapp.Serve(t, app, nil).URL)
	p := r.Get("/topic/" + long.GetString("code"))
	if p.Status != 200 {
		t.Fatalf("status %d", p.Status)
	}
	checkPublic(t, "the longest topic page", p)
	t.Logf("longest topic page: %d bytes, %d gzipped", len(p.Body), gzipSize(p.Body))
}

// The QR code leads to the page at the configured address; attachments are
// served to residents only for topics put to them.
func TestTopicQRAndAttachments(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	s := app.Settings()
	s.Meta.AppURL = "https://rd.simeng.example/"
	if err := app.Save(s); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"topic_open", "topic_deputies"} {
		rec, _ := app.FindRecordById("topics", f.IDs[key])
		file, err := filesystem.NewFileFromBytes([]byte("%PDF-1.4\n%测试方案\n"), "停车场方案.pdf")
		if err != nil {
			t.Fatal(err)
		}
		rec.Set("attachments", []*filesystem.File{file})
		if err := app.Save(rec); err != nil {
			t.Fatal(err)
		}
	}
	r := testapp.NewResident(t, testapp.Serve(t, app, nil).URL)
	code := f.IDs["topic_open_code"]
	qr := r.Get("/topic/" + code + "/qr.png?size=256")
	if qr.Status != 200 || qr.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("qr.png: %d %s", qr.Status, qr.Header.Get("Content-Type"))
	}
	if got := testapp.QRText(t, []byte(qr.Body)); got != "https://rd.simeng.example/topic/"+code {
		t.Fatalf("QR says %q", got)
	}
	if svg := r.Get("/topic/" + code + "/qr.svg"); svg.Status != 200 || !strings.HasPrefix(svg.Body, "<svg") {
		t.Fatalf("qr.svg: %d", svg.Status)
	}
	for _, bad := range []string{"/topic/" + f.IDs["topic_deputies_code"] + "/qr.png", "/topic/" + code + "/qr.png?size=7"} {
		if p := r.Get(bad); p.Status == 200 {
			t.Errorf("%s = 200", bad)
		}
	}

	page := r.Get("/topic/" + code)
	m := regexp.MustCompile(`href="(/topic/` + code + `/files/[^"]+)">附件1（PDF）<`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no attachment link on the page:\n%s", page.Body)
	}
	file := r.Get(m[1])
	if file.Status != 200 || !strings.HasPrefix(file.Body, "%PDF") || !strings.Contains(file.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("attachment: %d %q", file.Status, file.Header.Get("Content-Security-Policy"))
	}
	dep, _ := app.FindRecordById("topics", f.IDs["topic_deputies"])
	name := dep.GetStringSlice("attachments")[0]
	if p := r.Get("/topic/" + f.IDs["topic_deputies_code"] + "/files/" + name); p.Status != http.StatusNotFound {
		t.Errorf("a deputies-only attachment is served to residents: %d", p.Status)
	}
	if p := r.Get("/topic/" + code + "/files/" + name); p.Status != http.StatusNotFound {
		t.Errorf("another topic's attachment is served under this one: %d", p.Status)
	}
}
