package analysis_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"simeng/internal/testapp"
)

func dictionaryEntries(t testing.TB, c *testapp.Server, village string) []string {
	t.Helper()
	rs, err := c.App.FindAllRecords("analysis_words")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		if village == "" || r.GetString("village") == village {
			out = append(out, r.GetString("kind")+":"+r.GetString("text"))
		}
	}
	slices.Sort(out)
	return out
}

// A village's name is in the dictionary by itself, cut whole and not
// counted; renamed, its entries follow; removed, they go.
func TestVillageNamesInTheDictionary(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	if got := dictionaryEntries(t, c, f.VillageA); !slices.Equal(got, []string{"ignore:思蒙湾村", "word:思蒙湾村"}) {
		t.Fatalf("village A's entries: %v", got)
	}
	col, _ := c.App.FindCollectionByNameOrId("villages")
	v := newRecord(col, map[string]any{"name": "演示·石桥社区", "code": "sq"})
	if err := c.App.Save(v); err != nil {
		t.Fatal(err)
	}
	// 演示 is already ignored by staff: their entry stays theirs
	if got := dictionaryEntries(t, c, v.Id); !slices.Equal(got, []string{"ignore:石桥社区", "word:演示", "word:石桥社区"}) {
		t.Errorf("new village's entries: %v", got)
	}
	v.Set("name", "石门社区")
	if err := c.App.Save(v); err != nil {
		t.Fatal(err)
	}
	if got := dictionaryEntries(t, c, v.Id); !slices.Equal(got, []string{"ignore:石门社区", "word:石门社区"}) {
		t.Errorf("renamed village's entries: %v", got)
	}
	if err := c.App.Delete(v); err != nil {
		t.Fatal(err)
	}
	if got := dictionaryEntries(t, c, v.Id); len(got) != 0 {
		t.Errorf("deleted village's entries stay: %v", got)
	}
}

// Staff's edits take effect without a restart: the preview shows the new
// cut, and stored terms are extracted again with the new dictionary.
func TestDictionaryEditReextracts(t *testing.T) {
	c := testapp.NewServer(t)
	seg := func(text string) (cut []string, words []string) {
		t.Helper()
		var r struct {
			Cut   []string `json:"cut"`
			Terms struct {
				Words []string `json:"words"`
			} `json:"terms"`
		}
		getJSONPost(t, c, superuser, "/api/simeng/analysis/segment", `{"text":"`+text+`"}`, &r)
		return r.Cut, r.Terms.Words
	}
	if cut, _ := seg("桥思公路路面坑洼"); !slices.Contains(cut, "桥思公路") {
		t.Errorf("the township word is not cut whole: %v", cut)
	}
	var terms termsResult
	getJSON(t, c, presidium, "/api/simeng/analysis/terms?"+q+"&limit=50", &terms)
	has := func(w string) bool {
		for _, x := range terms.Top.Words {
			if x.Term == w {
				return true
			}
		}
		return false
	}
	if !has("困难") {
		t.Fatalf("fixture: 困难 not counted: %+v", terms.Top.Words)
	}
	// staff ignore 困难 and make 吃水困难 one word
	r := c.Must(http.StatusOK, staff, http.MethodPost, "/api/simeng/analysis/words/import", `{"text":"# 饮水\n吃水困难 0 n\n-困难"}`)
	if !strings.Contains(string(r.Body), `"added":2`) {
		t.Errorf("import: %s", r.Body)
	}
	if _, words := seg("三组吃水困难"); !slices.Contains(words, "吃水困难") {
		t.Errorf("preview after import: %v", words)
	}
	getJSON(t, c, presidium, "/api/simeng/analysis/terms?"+q+"&limit=50", &terms)
	if has("困难") || !has("吃水困难") {
		t.Errorf("stored terms not re-extracted: %+v", terms.Top.Words)
	}

	// a bad line is refused naming the text and the line; nothing is stored
	before := dictionaryEntries(t, c, "")
	r = c.Must(http.StatusBadRequest, staff, http.MethodPost, "/api/simeng/analysis/words/import", `{"text":"好词\n坏 词 1 2 3"}`)
	if msg := r.FieldError(t, "text"); !strings.Contains(msg, "第2行") {
		t.Errorf("bad import: %s", r.Body)
	}
	if got := dictionaryEntries(t, c, ""); !slices.Equal(got, before) {
		t.Errorf("a refused import stored something: %v", got)
	}
	// replace keeps villages' own entries
	c.Must(http.StatusOK, staff, http.MethodPost, "/api/simeng/analysis/words/import", `{"text":"溆水河 ns","replace":true}`)
	got := dictionaryEntries(t, c, "")
	if slices.Contains(got, "word:桥思公路") || !slices.Contains(got, "word:溆水河") || !slices.Contains(got, "word:思蒙湾村") {
		t.Errorf("after replace: %v", got)
	}
	r = c.Must(http.StatusBadRequest, superuser, http.MethodPost, "/api/simeng/analysis/segment", `{"text":""}`)
	if r.FieldError(t, "text") == "" {
		t.Errorf("empty preview: %s", r.Body)
	}
}
