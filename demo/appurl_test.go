package demo_test

import (
	"slices"
	"strings"
	"testing"

	"simeng/demo"
)

func TestAppURL(t *testing.T) {
	lan := func() string { return "192.168.1.23" }
	none := func() string { return "" }
	cases := []struct {
		addr string
		lan  func() string
		want string
	}{
		{"127.0.0.1:8090", lan, "http://127.0.0.1:8090"},
		{"localhost:9000", lan, "http://127.0.0.1:9000"},
		{"0.0.0.0:8090", lan, "http://192.168.1.23:8090"},
		{"0.0.0.0:8091", lan, "http://192.168.1.23:8091"},
		{":8090", lan, "http://192.168.1.23:8090"},
		{"[::]:8090", lan, "http://192.168.1.23:8090"},
		{"0.0.0.0:8090", none, "http://127.0.0.1:8090"},
		{"0.0.0.0:8090", nil, "http://127.0.0.1:8090"},
		{"10.0.0.5:8090", lan, "http://10.0.0.5:8090"},
		{"10.0.0.5", lan, "http://10.0.0.5:8090"},
		{"[fd00::1]:8090", lan, "http://[fd00::1]:8090"},
	}
	for _, c := range cases {
		if got := demo.AppURL(c.addr, c.lan); got != c.want {
			t.Errorf("AppURL(%q) = %q, want %q", c.addr, got, c.want)
		}
	}
}

// Newcomers' findings: deputies' genders agree with their names, and a
// visit's problem is about the visit's topic.
func TestDemoGendersAndProblemTopics(t *testing.T) {
	app := seededDemo(t)
	female := []string{"秀英", "红梅", "桂花", "春兰", "小燕", "玉兰", "金凤", "丽华", "冬梅", "翠萍"}
	deputies, err := app.FindAllRecords("deputies")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deputies {
		want := "男"
		for _, g := range female {
			if strings.HasSuffix(d.GetString("name"), g) {
				want = "女"
			}
		}
		if got := d.GetString("gender"); got != want {
			t.Errorf("%s: gender %q, want %q", d.GetString("name"), got, want)
		}
	}
	visits, err := app.FindRecordsByFilter("visits", "problems != '[]' && problems != ''", "", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(visits) == 0 {
		t.Fatal("no demo visit raised a problem")
	}
	for _, v := range visits {
		var problems []struct{ Category string }
		if err := v.UnmarshalJSONField("problems", &problems); err != nil {
			t.Fatal(err)
		}
		topics := v.GetStringSlice("topics")
		for _, p := range problems {
			if !slices.Contains(topics, p.Category) {
				t.Errorf("visit %s about %v raised a %s problem", v.Id, topics, p.Category)
			}
		}
	}
}
