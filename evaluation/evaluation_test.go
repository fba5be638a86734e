package evaluation

import (
	"slices"
	"strings"
	"testing"
)

var projects = []string{"p1", "p2", "p3"}

func TestCheckSheet(t *testing.T) {
	ok := []Mark{{"p3", Basic, ""}, {"p1", Satisfied, " 进度快 "}, {"p2", Unsatisfied, "路面已开裂"}}
	got, errs := CheckSheet(ok, projects)
	if errs != nil || len(got) != 3 || got[0].Project != "p1" || got[0].Comment != "进度快" {
		t.Fatalf("valid sheet: %v %v", got, errs)
	}
	cases := []struct {
		name  string
		marks []Mark
		want  string
	}{
		{"missing a project", ok[:2], "还有 1 个未评价"},
		{"empty", nil, "还有 3 个未评价"},
		{"unknown project", append(slices.Clone(ok), Mark{"p9", Satisfied, ""}), "不在本年度"},
		{"twice", append(slices.Clone(ok), Mark{"p1", Basic, ""}), "只能评价一次"},
		{"bad rating", []Mark{{"p1", "good", ""}, ok[0], ok[2]}, "请为每个项目选择"},
		{"unsatisfied without reason", []Mark{{"p1", Unsatisfied, " "}, ok[0], ok[2]}, "写明理由"},
		{"long comment", []Mark{{"p1", Satisfied, strings.Repeat("好", CommentMax+1)}, ok[0], ok[2]}, "500 字"},
	}
	for _, c := range cases {
		got, errs := CheckSheet(c.marks, projects)
		msg := errs["marks"]
		if got != nil || !strings.Contains(msg, c.want) {
			t.Errorf("%s: %v, want marks containing %q", c.name, errs, c.want)
		}
		for _, p := range append(projects, "p9") {
			if strings.Contains(msg, p) {
				t.Errorf("%s: message %q names project %s", c.name, msg, p)
			}
		}
	}
}

func TestAggregate(t *testing.T) {
	sheets := []Sheet{
		{ID: "s1", Marks: []Mark{{"p1", Satisfied, "好"}, {"p2", Unsatisfied, "慢"}, {"p3", Basic, ""}}},
		{ID: "s2", Marks: []Mark{{"p1", Satisfied, ""}, {"p2", Basic, "一般"}, {"p3", Basic, ""}}},
		{ID: "s3", Marks: []Mark{{"p1", Basic, ""}, {"p2", Unsatisfied, "质量差"}}},                                          // paper, p3 left blank
		{ID: "s4", Marks: []Mark{{"p1", Satisfied, ""}, {"p1", Unsatisfied, ""}, {"p9", Satisfied, ""}, {"p3", "x", ""}}}, // illegible
	}
	res, ignored := Aggregate(projects, sheets)
	if ignored != 4 {
		t.Errorf("ignored %d marks, want 4", ignored)
	}
	want := []Result{
		{Project: "p1", Satisfied: 2, Basic: 1, Comments: []string{"好"}},
		{Project: "p2", Basic: 1, Unsatisfied: 2, Comments: []string{"一般", "慢", "质量差"}},
		{Project: "p3", Basic: 2},
	}
	for i, w := range want {
		g := res[i]
		if g.Project != w.Project || g.Satisfied != w.Satisfied || g.Basic != w.Basic || g.Unsatisfied != w.Unsatisfied ||
			!slices.Equal(g.Comments, w.Comments) {
			t.Errorf("%s: got %+v, want %+v", w.Project, g, w)
		}
	}
	if r, ok := res[0].SatisfactionRate(); !ok || r != 1 {
		t.Errorf("p1 满意率 %v", r)
	}
	if r, ok := res[1].SatisfactionRate(); !ok || r != 1.0/3 {
		t.Errorf("p2 满意率 %v", r)
	}
	if r, ok := res[0].FullSatisfactionRate(); !ok || r != 2.0/3 {
		t.Errorf("p1 满意 only %v", r)
	}
	if _, ok := (Result{}).SatisfactionRate(); ok {
		t.Error("a project nobody rated has a rate")
	}
	// Sheet order does not matter.
	slices.Reverse(sheets)
	again, _ := Aggregate(projects, sheets)
	for i := range res {
		if !slices.Equal(again[i].Comments, res[i].Comments) || again[i].Satisfied != res[i].Satisfied {
			t.Fatal("order of sheets matters")
		}
	}
}

func FuzzCheckSheet(f *testing.F) {
	f.Add("p1", "satisfied", "", "p2", "unsatisfied", "差", "p3", "basic", "")
	f.Add("p1", "satisfied", "", "p1", "basic", "", "p3", "x", "")
	f.Fuzz(func(t *testing.T, p1, r1, c1, p2, r2, c2, p3, r3, c3 string) {
		marks := []Mark{{p1, Rating(r1), c1}, {p2, Rating(r2), c2}, {p3, Rating(r3), c3}}
		got, errs := CheckSheet(marks, projects)
		if errs != nil {
			if got != nil || errs["marks"] == "" {
				t.Fatalf("refusal %v with %v", errs, got)
			}
			return
		}
		for i, m := range got {
			if m.Project != projects[i] || !m.Rating.Valid() || m.Rating == Unsatisfied && m.Comment == "" {
				t.Fatalf("accepted %+v", got)
			}
		}
		res, ignored := Aggregate(projects, []Sheet{{ID: "s", Marks: got}})
		if ignored != 0 {
			t.Fatalf("a checked sheet lost %d marks", ignored)
		}
		for _, r := range res {
			if r.Rated() != 1 {
				t.Fatalf("%+v", r)
			}
		}
	})
}
