package analysis_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simeng/internal/testapp"
)

func newRecord(col *core.Collection, data map[string]any) *core.Record {
	r := core.NewRecord(col)
	for k, v := range data {
		r.Set(k, v)
	}
	return r
}

// getJSON sends a GET as role and decodes the 200 answer into out.
func getJSON(t testing.TB, c *testapp.Server, role, url string, out any) {
	t.Helper()
	r := c.Must(http.StatusOK, role, http.MethodGet, url, nil)
	if err := json.Unmarshal(r.Body, out); err != nil {
		t.Fatalf("%s: %v\n%s", url, err, r.Body)
	}
}

// searchResult is the search route's answer.
type searchResult struct {
	TotalItems int `json:"totalItems"`
	Items      []struct {
		ID         string `json:"id"`
		Kind       string `json:"kind"`
		Source     string `json:"source"`
		Village    string `json:"village"`
		Category   string `json:"category"`
		State      string `json:"state"`
		Text       string `json:"text"`
		Reply      string `json:"reply"`
		DeputyName string `json:"deputy_name"`
		Recurrence *struct {
			Message string `json:"message"`
			N, Of   int
		} `json:"recurrence"`
	} `json:"items"`
}

func (s searchResult) ids() []string {
	out := make([]string, len(s.Items))
	for i, it := range s.Items {
		out[i] = it.ID
	}
	return out
}

// getJSONPost sends a POST as role and decodes the 200 answer into out.
func getJSONPost(t testing.TB, c *testapp.Server, role, url, body string, out any) {
	t.Helper()
	r := c.Must(http.StatusOK, role, http.MethodPost, url, body)
	if err := json.Unmarshal(r.Body, out); err != nil {
		t.Fatalf("%s: %v\n%s", url, err, r.Body)
	}
}
