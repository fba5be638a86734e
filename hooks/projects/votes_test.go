package projects_test

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"simeng/ballot"
	"simeng/internal/testapp"
)

// A 票决 from opening to the public count: who may do what (denied cases
// first), one ballot per expected deputy and no change after it, paper
// ballots registered at the box and typed in after closing, and a count
// anyone can repeat from the published ballots.
func TestVoteLifecycle(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	id := f.IDs["vote_draft"]
	a, b, c := f.IDs["project_a"], f.IDs["project_b"], f.IDs["project_c"]
	url := "/api/votes/" + id
	ballotOf := func(ids ...string) string {
		raw, _ := json.Marshal(map[string]any{"choices": ids})
		return string(raw)
	}

	// denied first
	s.Must(401, guest, "POST", url+"/open", nil)
	s.Must(403, deputy, "POST", url+"/open", nil)
	s.Must(403, presidium, "POST", url+"/open", nil)
	s.Must(403, unit, "POST", url+"/open", nil)
	s.Must(403, formerStaff, "POST", url+"/open", nil)
	if r := s.Must(400, deputy, "POST", url+"/ballot", ballotOf(a)); r.FieldError(t, "vote") == "" {
		t.Fatalf("a ballot before the opening: %s", r.Body)
	}
	s.Must(404, deputy, "GET", url+"/sheet", nil) // a draft is the office's
	s.Must(200, staff, "POST", url+"/open", nil)
	s.Must(400, staff, "POST", url+"/open", nil) // once

	s.Must(401, guest, "POST", url+"/ballot", ballotOf(a))
	s.Must(403, unit, "POST", url+"/ballot", ballotOf(a))
	s.Must(403, staff, "POST", url+"/ballot", ballotOf(a))
	s.Must(403, inactive, "POST", url+"/ballot", ballotOf(a))
	s.Must(403, presidium, "POST", url+"/ballot", ballotOf(a)) // not expected at this meeting
	for _, bad := range []string{ballotOf(a, b, c), ballotOf("nosuchproject01"), ballotOf(a, a), `{"choices":"x"}`} {
		r := s.Must(400, deputy, "POST", url+"/ballot", bad)
		if r.FieldError(t, "choices") == "" {
			t.Fatalf("bad ballot %s: %s", bad, r.Body)
		}
	}
	if n := testapp.CountWhere(t, s.App, "ballot_register", "vote = '"+id+"'"); n != 0 {
		t.Fatalf("refused ballots left %d register rows", n)
	}

	// the sheet says whether the caller voted, never what
	sheet := s.Must(200, deputy, "GET", url+"/sheet", nil).JSON(t)
	if sheet["voted"] != false || sheet["may_vote"] != true || len(sheet["candidates"].([]any)) != 3 {
		t.Fatalf("sheet %v", sheet)
	}
	r := s.Must(200, deputy, "POST", url+"/ballot", ballotOf(b, a))
	if strings.TrimSpace(string(r.Body)) != `{"voted":true}` {
		t.Fatalf("the answer carries more than that the deputy voted: %s", r.Body)
	}
	if r := s.Must(400, deputy, "POST", url+"/ballot", ballotOf(c)); r.FieldError(t, "vote") == "" {
		t.Fatalf("second ballot: %s", r.Body)
	}
	if sheet := s.Must(200, deputy, "GET", url+"/sheet", nil).JSON(t); sheet["voted"] != true {
		t.Fatalf("sheet after voting %v", sheet)
	}

	// Deputy2 votes on paper: staff tick the register at the box
	s.Must(403, deputy, "POST", url+"/paper/register", `{"deputy":"`+f.Deputy2+`"}`)
	if r := s.Must(400, staff, "POST", url+"/paper/register", `{"deputy":"`+f.Deputy+`"}`); r.FieldError(t, "deputy") == "" {
		t.Fatalf("a deputy who voted in the app took a paper ballot: %s", r.Body)
	}
	if r := s.Must(400, staff, "POST", url+"/paper/register", `{"deputy":"`+f.Presidium+`"}`); r.FieldError(t, "deputy") == "" {
		t.Fatalf("a deputy not expected took a paper ballot: %s", r.Body)
	}
	s.Must(200, staff, "POST", url+"/paper/register", `{"deputy":"`+f.Deputy2+`"}`)
	if r := s.Must(400, deputy2, "POST", url+"/ballot", ballotOf(a)); r.FieldError(t, "vote") == "" {
		t.Fatalf("a paper voter voted again in the app: %s", r.Body)
	}

	// nobody reads a ballot before the count, superusers included
	for _, role := range []string{guest, deputy, staff, superuser} {
		s.Must(403, role, "GET", url+"/ballots", nil)
	}
	s.Must(400, staff, "POST", url+"/paper/ballots", `{"ballots":[{"choices":["`+a+`","`+c+`"]}]}`) // still open
	s.Must(400, staff, "POST", url+"/count", nil)
	s.Must(200, staff, "POST", url+"/close", nil)
	s.Must(400, deputy2, "POST", url+"/ballot", ballotOf(a))
	if r := s.Must(400, staff, "POST", url+"/paper/ballots", `{"ballots":[{"choices":["`+a+`"]},{"choices":["`+b+`"]}]}`); r.FieldError(t, "ballots") == "" {
		t.Fatalf("more paper ballots than paper voters: %s", r.Body)
	}
	s.Must(200, staff, "POST", url+"/paper/ballots", `{"ballots":[{"choices":["`+a+`","`+c+`"]}]}`)

	count := s.Must(200, staff, "POST", url+"/count", nil).JSON(t)
	res := count["vote"].(map[string]any)["result"].(map[string]any)
	if res["registered"].(float64) != 2 || res["cast"].(float64) != 2 || res["valid"].(float64) != 2 {
		t.Fatalf("result %v", res)
	}
	// two expected: a majority is 2 votes; a has them, b and c one each
	if el := res["elected"].([]any); len(el) != 1 || el[0] != a {
		t.Fatalf("elected %v", el)
	}
	chosen, _ := s.App.FindRecordById("projects", a)
	notChosen, _ := s.App.FindRecordById("projects", b)
	if chosen.GetString("status") != "chosen" || chosen.GetInt("votes") != 2 || notChosen.GetString("status") != "not_chosen" {
		t.Fatalf("outcomes %s %d, %s", chosen.GetString("status"), chosen.GetInt("votes"), notChosen.GetString("status"))
	}

	// anyone recounts from the published ballots: same result, same digest
	pub := s.Must(200, guest, "GET", url+"/ballots?format=csv", nil)
	rows, err := csv.NewReader(strings.NewReader(string(pub.Body))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("csv %v %q", err, pub.Body)
	}
	var bs []ballot.Ballot
	for _, row := range rows[1:] {
		bs = append(bs, ballot.Ballot{ID: row[0], Choices: strings.Split(row[1], ","), Spoiled: row[2] == "spoiled"})
	}
	v, _ := s.App.FindRecordById("votes", id)
	again := ballot.Count([]string{a, b, c}, bs, 2, ballot.Rules{Seats: 2, MaxChoices: 2, Expected: 2, Majority: true})
	if again.Digest != v.GetString("digest") || again.Digest != res["digest"] || strings.Join(again.Elected, ",") != a {
		t.Fatalf("recount %+v, stored digest %s", again, v.GetString("digest"))
	}
	js := s.Must(200, guest, "GET", url+"/ballots", nil).JSON(t)
	if js["digest"] != again.Digest || len(js["ballots"].([]any)) != 2 {
		t.Fatalf("ballots json %v", js)
	}
	s.Must(400, staff, "POST", url+"/count", nil) // once
}

// Ballot secrecy (designs/14.md §5): the register says who voted, never
// what; no collection, list, view or export joins a deputy to a ballot;
// no backup is taken while a vote is open.
func TestBallotSecrecy(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	id := f.IDs["vote_draft"]
	a := f.IDs["project_a"]
	s.Must(200, staff, "POST", "/api/votes/"+id+"/open", nil)
	s.Must(200, deputy, "POST", "/api/votes/"+id+"/ballot", `{"choices":["`+a+`"]}`)

	// a backup mid-vote would order the urn by time
	if r := s.Send(superuser, "POST", "/api/backups", `{"name":"midvote.zip"}`); r.Status != 400 {
		t.Fatalf("backup during an open vote: %d %s", r.Status, r.Body)
	}
	// no view collection may read an urn, however it is quoted
	for _, q := range []string{
		`SELECT id, vote AS v FROM ballot_urn`,
		`select r.id, u.choices from ballot_register r join "BALLOT_URN" u on u.vote = r.vote`,
		"SELECT id, marks FROM [evaluation_urn]",
	} {
		body, _ := json.Marshal(map[string]any{"name": "peek", "type": "view", "viewQuery": q})
		if r := s.Send(superuser, "POST", "/api/collections", string(body)); r.Status != 400 || !strings.Contains(string(r.Body), "viewQuery") {
			t.Fatalf("view on the urn %q: %d %s", q, r.Status, r.Body)
		}
	}
	if r := s.Send(superuser, "POST", "/api/collections", `{"name":"ballot_urn_copy","type":"base"}`); r.Status != 400 {
		t.Fatalf("a collection took the urn's name: %d", r.Status)
	}
	// no collection's records, read by a superuser, hold the choices
	cols, err := s.App.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if strings.Contains(c.Name, "urn") {
			t.Fatalf("an urn is a collection: %s", c.Name)
		}
		if c.IsView() {
			continue
		}
		r := s.Send(superuser, "GET", "/api/collections/"+c.Name+"/records?perPage=500", nil)
		if strings.Contains(string(r.Body), `"choices"`) {
			t.Fatalf("%s lists choices: %s", c.Name, r.Body)
		}
	}
	// the register row has no time of its own and no ballot id
	reg := s.Must(200, superuser, "GET", "/api/collections/ballot_register/records", nil).JSON(t)
	row := reg["items"].([]any)[0].(map[string]any)
	for k := range row {
		switch k {
		case "id", "vote", "deputy", "method", "collectionId", "collectionName":
		default:
			t.Fatalf("register row has %s: %v", k, row)
		}
	}
	// register rows are the server's: nobody writes or deletes them
	s.Must(403, superuser, "DELETE", "/api/collections/ballot_register/records/"+row["id"].(string), nil)
	s.Must(403, staff, "POST", "/api/collections/ballot_register/records", `{"vote":"`+id+`","deputy":"`+f.Deputy2+`","method":"paper"}`)
}
