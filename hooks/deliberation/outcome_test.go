package deliberation_test

import (
	"net/http"
	"strings"
	"testing"

	"simeng/internal/testapp"
)

// A closed topic becomes a problem on the shared list (急难愁盼), with the
// topic as its source, once: a retry answers the same problem, and another
// outcome is refused afterwards.
func TestClosedTopicBecomesAProblem(t *testing.T) {
	f := testapp.F(t)
	srv := testapp.NewServer(t)
	url := "/api/deliberation/topics/" + f.IDs["topic_closed"] + "/convert"
	body := map[string]any{"to": "problem", "category": "饮水安全", "village": f.VillageB}
	status, out := srv.Do(presidium, http.MethodPost, url, body)
	if status != 200 || out["outcome"] != "problem" {
		t.Fatalf("convert: %d %v", status, out)
	}
	id := out["id"].(string)
	p, err := srv.App.FindRecordById("problems", id)
	if err != nil {
		t.Fatal(err)
	}
	if p.GetString("source") != "deliberation" || p.GetString("source_id") != f.IDs["topic_closed"] || p.GetString("status") != "open" ||
		p.GetString("category") != "饮水安全" || p.GetString("village") != f.VillageB || p.GetString("deputy") != f.Presidium {
		t.Fatalf("problem %v", p.FieldsData())
	}
	topic, _ := srv.App.FindRecordById("topics", f.IDs["topic_closed"])
	if topic.GetString("outcome") != "problem" || topic.GetString("outcome_id") != id {
		t.Fatalf("topic keeps %q %q", topic.GetString("outcome"), topic.GetString("outcome_id"))
	}
	// A retry: the same problem.
	if status, again := srv.Do(presidium, http.MethodPost, url, body); status != 200 || again["id"] != id {
		t.Fatalf("retry: %d %v", status, again)
	}
	if n := testapp.CountWhere(t, srv.App, "problems", "source = 'deliberation'"); n != 1 {
		t.Fatalf("%d problems after a retry", n)
	}
	if status, again := srv.Do(presidium, http.MethodPost, url, map[string]any{"to": "proposal"}); status != 400 {
		t.Fatalf("a second, different outcome: %d %v", status, again)
	}
	// The public page says what became of the conclusion.
	page := testapp.NewResident(t, srv.URL).Get("/topic/" + f.IDs["topic_closed_code"])
	if !contains(page.Body, "转为急难愁盼问题") {
		t.Error("the public page does not say the conclusion became a problem")
	}
}

// A topic becomes an unsubmitted 建议 (inviting) for the sponsoring deputy (the presidium
// member converting it, or whom staff name) to submit, as the proposals'
// rules want: only the sponsor submits. The topic keeps the link.
func TestTopicBecomesAProposal(t *testing.T) {
	f := testapp.F(t)
	srv := testapp.NewServer(t)
	url := "/api/deliberation/topics/" + f.IDs["topic_closed"] + "/convert"
	if status, out := srv.Do(superuser, http.MethodPost, url, map[string]any{"to": "proposal", "category": "社会治理"}); status != 400 ||
		out["data"].(map[string]any)["sponsor"] == nil {
		t.Fatalf("staff without a sponsor: %d %v", status, out)
	}
	status, out := srv.Do(presidium, http.MethodPost, url, map[string]any{"to": "proposal", "category": "社会治理"})
	if status != 200 || out["outcome"] != "proposal" {
		t.Fatalf("convert: %d %v", status, out)
	}
	p, err := srv.App.FindRecordById("proposals", out["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if p.GetString("sponsor") != f.Presidium || p.GetString("type") != "suggestion" || p.GetString("status") != "inviting" ||
		!contains(p.GetString("body"), "管水小组") || !p.GetDateTime("submitted_at").IsZero() {
		t.Fatalf("proposal %v", p.FieldsData())
	}
	topic, _ := srv.App.FindRecordById("topics", f.IDs["topic_closed"])
	if topic.GetString("outcome") != "proposal" || topic.GetString("outcome_id") != p.Id {
		t.Fatal("the topic does not keep the link")
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
