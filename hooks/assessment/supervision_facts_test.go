package assessment_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"simeng/chinatime"
	"simeng/internal/testapp"
)

// Proposals, 金点子, votes cast, evaluations, project inspections and
// 专题询问 questions count from their records (issue 14): the fixture's
// Deputy sponsors two accepted proposals (the inviting draft does not
// count), asked one question, and votes once; staff can no longer type a
// proposal for a year the platform keeps them.
func TestSupervisionRecordsFeedTheScore(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	app := s.App

	res := testapp.Score(t, app, f.Deputy)
	props := testapp.Item(t, res, "proposals")
	if props.Points != 6 || !slices.Contains(props.RecordIDs, f.IDs["proposal_assigned"]) || slices.Contains(props.RecordIDs, f.IDs["proposal_inviting"]) {
		t.Fatalf("proposals %+v", props)
	}
	if q := testapp.Item(t, res, "inquiries"); q.Points != 1 || !slices.Equal(q.RecordIDs, []string{f.IDs["inquiry_item_a"]}) {
		t.Fatalf("inquiries %+v", q)
	}
	if v := testapp.Item(t, res, "votes_cast"); v.Points != 0 {
		t.Fatalf("votes before voting %+v", v)
	}

	// a vote: the register row counts, never the ballot
	s.Must(200, staff, "POST", "/api/votes/"+f.IDs["vote_draft"]+"/open", nil)
	s.Must(200, deputy, "POST", "/api/votes/"+f.IDs["vote_draft"]+"/ballot", `{"choices":["`+f.IDs["project_a"]+`"]}`)
	v := testapp.Item(t, testapp.Score(t, app, f.Deputy), "votes_cast")
	if v.Points != 2 || len(v.RecordIDs) != 1 {
		t.Fatalf("votes cast %+v", v)
	}
	reg, err := app.FindFirstRecordByData("ballot_register", "deputy", f.Deputy)
	if err != nil || v.RecordIDs[0] != reg.Id {
		t.Fatalf("the vote counts %v, not the register row (%v)", v.RecordIDs, err)
	}
	if v2 := testapp.Item(t, testapp.Score(t, app, f.Deputy2), "votes_cast"); v2.Points != 0 {
		t.Fatalf("a deputy who did not vote %+v", v2)
	}
	// the dossier says that the deputy voted, never what
	year := strconv.Itoa(chinatime.CurrentYear())
	dossier := string(s.Must(200, deputy, "GET", "/api/assessment/dossiers/"+f.Deputy+"?year="+year, nil).Body)
	if !strings.Contains(dossier, "参加票决") || !strings.Contains(dossier, "不记录投票内容") || strings.Contains(dossier, f.IDs["project_a"]) {
		t.Fatalf("dossier: %s", dossier)
	}

	// 金点子: credited to the sponsor as a bonus
	p, _ := app.FindRecordById("proposals", f.IDs["proposal_answered"])
	p.Set("golden_year", chinatime.CurrentYear())
	if err := app.Save(p); err != nil {
		t.Fatal(err)
	}
	if g := testapp.Item(t, testapp.Score(t, app, f.Deputy), "golden_ideas"); g.Points != 5 {
		t.Fatalf("golden %+v", g)
	}

	// typed rows of a kind the year's records replace are refused
	body := `{"deputy":"` + f.Deputy + `","kind":"proposal","title":"手工登记的建议","occurred_on":"` + year + `-06-01 02:00:00.000Z"}`
	if r := s.Must(400, staff, "POST", "/api/collections/deputy_activities/records", body); !strings.Contains(r.FieldError(t, "kind"), "由平台记录自动计分") {
		t.Fatalf("typed proposal: %s", r.Body)
	}
	last := strconv.Itoa(chinatime.CurrentYear() - 1)
	s.Must(200, staff, "POST", "/api/collections/deputy_activities/records", strings.Replace(body, year+"-06-01", last+"-06-01", 1))
}
