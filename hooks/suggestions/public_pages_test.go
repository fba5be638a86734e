package suggestions_test

import (
	"bytes"
	"compress/gzip"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"simeng/hooks/suggestions"
	"simeng/internal/testapp"
	"simeng/pii"
)

func TestResidentPageWorksWithoutScriptAndShowsNoPersonalData(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	dep, _ := app.FindRecordById("deputies", f.Deputy)
	dep.Set("intro", `<img src=x onerror=alert(1)>负责一组到三组`)
	if err := app.Save(dep); err != nil {
		t.Fatal(err)
	}
	r := newResident(t, testapp.Serve(t, app, nil).URL)

	res, body := r.get("/d/" + f.DeputyCode)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{"张三", "思蒙湾村", "镇人大代表", "&lt;img src=x", "负责一组到三组", "农历初四", `name="content"`, `enctype="multipart/form-data"`, "我同意留下姓名和手机号"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, never := range []string{"<script", "<img src=x", f.DeputyPhone, pii.MaskPhone(f.DeputyPhone), "13800000003", `style="`} {
		if strings.Contains(body, never) {
			t.Errorf("page contains %q", never)
		}
	}
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") || !strings.Contains(csp, "'sha256-") {
		t.Errorf("CSP = %q", csp)
	}

	// Under 30 KB gzipped, as WeChat on 2G receives it.
	req, _ := http.NewRequest(http.MethodGet, r.base+"/d/"+f.DeputyCode, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	tr := &http.Transport{DisableCompression: true}
	gz, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	raw.ReadFrom(gz.Body)
	gz.Body.Close()
	if gz.Header.Get("Content-Encoding") != "gzip" || raw.Len() > 30<<10 {
		t.Errorf("gzipped page: encoding %q, %d bytes", gz.Header.Get("Content-Encoding"), raw.Len())
	}
	if zr, err := gzip.NewReader(&raw); err != nil {
		t.Fatal(err)
	} else {
		zr.Close()
	}

	for _, code := range []string{"nosuchcode", "UPPERCASE1", "a"} {
		if res, _ := r.get("/d/" + code); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET /d/%s = %d, want 404", code, res.StatusCode)
		}
	}
	inactive, _ := app.FindRecordById("deputies", f.Inactive)
	if res, _ := r.get("/d/" + inactive.GetString("code")); res.StatusCode != http.StatusNotFound {
		t.Errorf("inactive deputy's page = %d, want 404", res.StatusCode)
	}
}

func TestResidentSubmitsAndFollowsTheReply(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	r := newResident(t, testapp.Serve(t, app, nil).URL)
	evil := `<script>alert("x")</script><b>路灯</b> 坏了，请联系我 139 1234 5678，身份证 43122819800101123X`
	res, _ := r.post("/d/"+f.DeputyCode, r.form(f.DeputyCode, map[string]string{
		"content": evil, "category": "道路交通", "name": "刘<b>大妈</b>", "phone": "+86 139-1234-5678", "consent": "1",
	}), "", nil)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/t/") {
		t.Fatalf("submit: %d %q", res.StatusCode, loc)
	}
	link, err := url.Parse(loc)
	if err != nil || link.Query().Get("new") != "1" || len(link.Query().Get("k")) != 20 {
		t.Fatalf("the resident's link %q lacks its rating key", loc)
	}
	tracking, key := strings.TrimPrefix(link.Path, "/t/"), link.Query().Get("k")

	rec, err := app.FindFirstRecordByData("suggestions", "tracking", tracking)
	if err != nil {
		t.Fatal(err)
	}
	if rec.GetString("deputy") != f.Deputy || rec.GetString("source") != "qr" || rec.GetString("status") != "received" ||
		rec.GetString("village") != f.VillageA || !rec.GetBool("consent") || rec.GetString("moderation") != "ok" {
		t.Fatalf("stored %v", rec.PublicExport())
	}
	// The phone is sealed at rest, matchable by its keyed hash, masked for lists.
	sealed := rec.GetString("resident_phone")
	if strings.Contains(sealed, "13912345678") || !pii.IsSealed(sealed) {
		t.Fatalf("phone at rest: %q", sealed)
	}
	v, _ := pii.NewVault(pii.DevKey)
	if got, _ := v.Open(sealed); got != "13912345678" || rec.GetString("resident_phone_hash") != v.Hash("13912345678") {
		t.Fatalf("sealed phone opens to %q; hash %q", got, rec.GetString("resident_phone_hash"))
	}
	if rec.GetString("resident_phone_masked") != "139****5678" || rec.GetString("resident_name_masked") != "刘*********" {
		t.Fatalf("masks %q %q", rec.GetString("resident_phone_masked"), rec.GetString("resident_name_masked"))
	}
	var raw string
	app.DB().NewQuery("SELECT resident_phone FROM suggestions WHERE id = {:id}").Bind(map[string]any{"id": rec.Id}).Row(&raw)
	if strings.Contains(raw, "5678") {
		t.Fatalf("database holds %q", raw)
	}

	// Status page: escaped content, deadlines, never the resident's name or phone.
	res, body := r.get(loc)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status page %d", res.StatusCode)
	}
	for _, want := range []string{"提交成功", tracking, "/t/" + tracking + "?k=" + key + "</a>", "已收到", "张三", "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;路灯&lt;/b&gt;", "139 **** 5678", "431*************3X", "响应期限", "反馈期限"} {
		if !strings.Contains(body, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	for _, never := range []string{"<script>", "<b>", "13912345678", "139 1234 5678", "43122819800101123X", "刘", "大妈"} {
		if strings.Contains(body, never) {
			t.Errorf("status page contains %q", never)
		}
	}

	// The API hands the text to the PWA and the admin UI JSON-escaped.
	req, _ := http.NewRequest(http.MethodGet, r.base+"/api/collections/suggestions/records/"+rec.Id, nil)
	req.Header.Set("Authorization", testapp.Token(t, testapp.RoleDeputy))
	if res, body := r.do(req); res.StatusCode != 200 || strings.Contains(body, "<script>") || !strings.Contains(body, `\u003cscript\u003e`) {
		t.Errorf("API: %d %s", res.StatusCode, body)
	}

	// The deputy acknowledges and answers through the records API (the PWA).
	patch := func(body string) *http.Response {
		req, _ := http.NewRequest(http.MethodPatch, r.base+"/api/collections/suggestions/records/"+rec.Id, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", testapp.Token(t, testapp.RoleDeputy))
		res, _ := r.do(req)
		return res
	}
	if res := patch(`{"status":"acknowledged"}`); res.StatusCode != 200 {
		t.Fatalf("ack: %d", res.StatusCode)
	}
	if res := patch(`{"status":"answered","reply":"<i>已修复</i>，请致电 13912345678 核实"}`); res.StatusCode != 200 {
		t.Fatalf("answer: %d", res.StatusCode)
	}
	// The deputy who answered reads the tracking code, never the key: the
	// page without it offers no rating, and a rating without it is refused.
	if _, body := r.get("/t/" + tracking); strings.Contains(body, "您对答复满意吗") || !strings.Contains(body, "只凭查询码不能评价") {
		t.Error("the page opened with the tracking code alone offers a rating")
	}
	if strings.Contains(string(testapp.Serve(t, app, nil).Must(200, testapp.RoleDeputy, http.MethodGet, "/api/collections/suggestions/records/"+rec.Id, nil).Body), key) {
		t.Error("the deputy reads the rating key")
	}
	for _, k := range []string{"", "wrong", strings.Repeat("a", 20)} {
		if res, _ := r.post("/t/"+tracking, map[string]string{"satisfaction": "satisfied", "k": k}, "", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("rating with key %q: %d, want 403", k, res.StatusCode)
		}
	}
	if rec, _ := app.FindRecordById("suggestions", rec.Id); rec.GetString("satisfaction") != "" {
		t.Fatal("a rating without the resident's key was stored")
	}
	_, body = r.get("/t/" + tracking + "?k=" + key)
	for _, want := range []string{"已答复", "&lt;i&gt;已修复&lt;/i&gt;", "您对答复满意吗"} {
		if !strings.Contains(body, want) {
			t.Errorf("answered page lacks %q", want)
		}
	}
	if strings.Contains(body, "<i>") || strings.Contains(body, "13912345678") {
		t.Error("answered page shows raw HTML or a phone")
	}

	// Satisfaction, once, with the resident's key.
	if res, _ := r.post("/t/"+tracking, map[string]string{"satisfaction": "nonsense", "k": key}, "", nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad rating: %d", res.StatusCode)
	}
	if res, _ := r.post("/t/"+tracking, map[string]string{"satisfaction": "basic", "k": key}, "", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("rating: %d", res.StatusCode)
	}
	r.post("/t/"+tracking, map[string]string{"satisfaction": "unsatisfied", "k": key}, "", nil)
	rec, _ = app.FindRecordById("suggestions", rec.Id)
	if rec.GetString("satisfaction") != "basic" || rec.GetDateTime("satisfaction_at").IsZero() {
		t.Errorf("satisfaction %q", rec.GetString("satisfaction"))
	}
	if _, body := r.get("/t/" + tracking + "?k=" + key); !strings.Contains(body, "您的评价：基本满意") || strings.Contains(body, "您对答复满意吗") {
		t.Error("rated page still asks or does not show the rating")
	}
}

func TestStatusPageNeverLeaksTheResident(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	r := newResident(t, testapp.Serve(t, app, nil).URL)
	res, body := r.get("/t/" + f.IDs["tracking_a"])
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, never := range []string{testapp.ResidentName, pii.MaskName(testapp.ResidentName), testapp.ResidentPhone, pii.MaskPhone(testapp.ResidentPhone), "<script"} {
		if strings.Contains(body, never) {
			t.Errorf("status page contains %q", never)
		}
	}
	for _, path := range []string{"/t/nosuchcode", "/t/abc", "/t/" + strings.ToUpper(f.IDs["tracking_a"])} {
		if res, body := r.get(path); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "未找到该查询码") {
			t.Errorf("GET %s = %d", path, res.StatusCode)
		}
	}
	// The lookup form forgives spaces and capitals.
	res, _ = r.get("/t?code=" + strings.ToUpper(f.IDs["tracking_a"][:5]) + "+" + f.IDs["tracking_a"][5:])
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/t/"+f.IDs["tracking_a"] {
		t.Errorf("lookup: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestResidentFormRejectsBadInputKeepingTheText(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	r := newResident(t, testapp.Serve(t, app, nil).URL)
	base := countSuggestions(t, app, "")
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	cases := []struct {
		name   string
		fields map[string]string
		file   string
		photo  []byte
		want   string
	}{
		{"phone without consent", map[string]string{"content": "桥头的水渠堵了", "phone": "13912345678"}, "", nil, "请勾选同意"},
		{"bad phone", map[string]string{"content": "桥头的水渠堵了", "phone": "12345", "consent": "1"}, "", nil, "手机号应为11位数字"},
		{"too short", map[string]string{"content": "水渠"}, "", nil, "5到1000个字"},
		{"too long", map[string]string{"content": strings.Repeat("长", 1001)}, "", nil, "5到1000个字"},
		{"not a category", map[string]string{"content": "桥头的水渠堵了", "category": "<x>"}, "", nil, "请从列表中选择类别"},
		{"long name", map[string]string{"content": "桥头的水渠堵了", "name": strings.Repeat("名", 21), "consent": "1"}, "", nil, "姓名不超过20个字"},
		{"script as photo", map[string]string{"content": "桥头的水渠堵了"}, "photo.jpg", []byte("<script>alert(1)</script>"), "只能上传照片"},
		{"huge photo", map[string]string{"content": "桥头的水渠堵了"}, "big.gif", append(gif, make([]byte, 5<<20)...), "照片太大"},
	}
	for _, c := range cases {
		res, body := r.post("/d/"+f.DeputyCode, r.form(f.DeputyCode, c.fields), c.file, c.photo)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d, want 400 with %q", c.name, res.StatusCode, c.want)
		}
		if c.fields["content"] != "" && len(c.fields["content"]) < 100 && !strings.Contains(body, c.fields["content"]) {
			t.Errorf("%s: the resident's text was lost", c.name)
		}
	}
	if n := countSuggestions(t, app, ""); n != base {
		t.Fatalf("%d suggestions stored from bad input", n-base)
	}

	// A real photo is kept.
	var img bytes.Buffer
	pic := image.NewRGBA(image.Rect(0, 0, 8, 8))
	pic.Set(1, 1, color.Black)
	png.Encode(&img, pic)
	res, _ := r.post("/d/"+f.DeputyCode, r.form(f.DeputyCode, map[string]string{"content": "桥头的水渠堵了，见照片"}), "qu.png", img.Bytes())
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("with photo: %d", res.StatusCode)
	}
	rec, _ := app.FindFirstRecordByFilter("suggestions", "content = '桥头的水渠堵了，见照片'")
	if rec == nil || len(rec.GetStringSlice("photos")) != 1 {
		t.Fatal("photo not stored")
	}
}

func TestBotsAreTurnedAwayAndShownToStaff(t *testing.T) {
	t.Parallel() // it waits out the real minimum fill time: overlaps the other tests
	f := testapp.F(t)
	app := testapp.New(t) // default limits: 3 s minimum fill time
	r := newResident(t, testapp.Serve(t, app, nil).URL)
	fields := map[string]string{"content": "村里的垃圾站满了没人清运"}

	res, body := r.post("/d/"+f.DeputyCode, r.form(f.DeputyCode, fields), "", nil)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "请核对内容后再点一次") || !strings.Contains(body, "垃圾站满了") {
		t.Errorf("instant submit: %d", res.StatusCode)
	}
	honey := r.form(f.DeputyCode, fields)
	honey["website"] = "http://spam.example"
	if res, _ := r.post("/d/"+f.DeputyCode, honey, "", nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("honeypot: %d", res.StatusCode)
	}
	forged := map[string]string{"t": "1.2.3", "content": fields["content"]}
	if res, body := r.post("/d/"+f.DeputyCode, forged, "", nil); res.StatusCode != http.StatusOK || !strings.Contains(body, "页面已过期") {
		t.Errorf("forged token: %d", res.StatusCode)
	}
	// A token for another deputy's page does not work here either.
	other := r.form(f.DeputyCode, fields)
	dep2, _ := app.FindRecordById("deputies", f.Deputy2)
	if res, _ := r.post("/d/"+dep2.GetString("code"), other, "", nil); res.StatusCode != http.StatusOK {
		t.Errorf("token of another code: %d", res.StatusCode)
	}
	if n := countSuggestions(t, app, "content = '村里的垃圾站满了没人清运'"); n != 0 {
		t.Fatalf("%d bot suggestions stored", n)
	}
	for _, kind := range []string{"too_fast", "honeypot", "bad_token"} {
		if recs, _ := app.FindRecordsByFilter("suggestion_abuse_events", "kind = {:k}", "", 0, 0, map[string]any{"k": kind}); len(recs) == 0 {
			t.Errorf("no %s event for staff", kind)
		} else if recs[0].GetString("deputy") == "" || recs[0].GetString("ip_hash") == "" || strings.Contains(recs[0].GetString("ip_hash"), "127.0.0.1") {
			t.Errorf("%s event: %v", kind, recs[0].PublicExport())
		}
	}

	// A person who takes their time gets through, answering the question
	// the bots on the same address brought on.
	_, page := r.get("/d/" + f.DeputyCode)
	form := withToken(t, page, map[string]string{"content": fields["content"], "answer": answerTo(t, page)})
	time.Sleep(suggestions.DefaultSubmitLimits.MinFill)
	if res, _ := r.post("/d/"+f.DeputyCode, form, "", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("patient submit: %d", res.StatusCode)
	}
}

func TestFloodFromOneAddressIsLimitedWhileAnotherCodeWorks(t *testing.T) {
	f := testapp.F(t)
	app := quickApp(t)
	r := newResident(t, testapp.Serve(t, app, nil).URL)
	l := suggestions.DefaultSubmitLimits
	var ok, challenged, refused int
	for i := range l.PerIPCodeHard + 5 {
		res, body := r.post("/d/"+f.DeputyCode, r.form(f.DeputyCode, map[string]string{"content": "刷屏内容第几条" + string(rune('a'+i))}), "", nil)
		switch {
		case res.StatusCode == http.StatusSeeOther:
			ok++
		case res.StatusCode == http.StatusTooManyRequests && strings.Contains(body, "等于几"):
			challenged++
		case res.StatusCode == http.StatusTooManyRequests && strings.Contains(body, "提交太频繁"):
			refused++
		default:
			t.Fatalf("attempt %d: %d", i, res.StatusCode)
		}
	}
	if ok != l.PerIPCodeSoft || challenged != l.PerIPCodeHard-l.PerIPCodeSoft || refused != 5 {
		t.Fatalf("ok %d, challenged %d, refused %d", ok, challenged, refused)
	}
	if n := countSuggestions(t, app, "content ~ '刷屏内容'"); n != l.PerIPCodeSoft {
		t.Fatalf("stored %d", n)
	}
	// The same address (a village behind one carrier IP) still reaches another deputy.
	dep2, _ := app.FindRecordById("deputies", f.Deputy2)
	code2 := dep2.GetString("code")
	res, body := r.get("/d/" + code2)
	if strings.Contains(body, "等于几") {
		t.Error("another code asks a question after a flood on the first")
	}
	res, _ = r.post("/d/"+code2, withToken(t, body, map[string]string{"content": "桥头村的路该修了"}), "", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("another code after the flood: %d", res.StatusCode)
	}
	if recs, _ := app.FindRecordsByFilter("suggestion_abuse_events", "kind = 'rate_limited'", "", 0, 0); len(recs) != 1 {
		t.Errorf("rate_limited events: %d, want one tally", len(recs))
	}
}

func TestChallengeLetsAPersonThrough(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	l := suggestions.DefaultSubmitLimits
	l.MinFill, l.PerIPCodeSoft = 0, 1
	suggestions.SetSubmitLimits(app, l)
	r := newResident(t, testapp.Serve(t, app, nil).URL)
	send := func(fields map[string]string) (*http.Response, string) {
		return r.post("/d/"+f.DeputyCode, fields, "", nil)
	}
	if res, _ := send(r.form(f.DeputyCode, map[string]string{"content": "第一条正常建议"})); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first: %d", res.StatusCode)
	}
	// Past the soft limit the page itself asks the question.
	_, page := r.get("/d/" + f.DeputyCode)
	if !questionRe.MatchString(page) {
		t.Fatal("no question on the form past the soft limit")
	}
	res, page := send(withToken(t, page, map[string]string{"content": "第二条建议内容", "answer": "99"}))
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, "答案不对") || !strings.Contains(page, "第二条建议内容") {
		t.Fatalf("wrong answer: %d", res.StatusCode)
	}
	res, _ = send(withToken(t, page, map[string]string{"content": "第二条建议内容", "answer": answerTo(t, page)}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("right answer: %d", res.StatusCode)
	}
	rec, err := app.FindFirstRecordByFilter("suggestions", "content = '第二条建议内容'")
	if err != nil || rec.GetString("moderation") != "review" {
		t.Fatalf("challenged suggestion not marked for review: %v", err)
	}
}
