package web_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	pbpublic "simeng/pb_public"
	"simeng/vocab"
)

// The PWA's vocabulary is the server's: app/vocab.js is generated from
// package vocab, byte for byte the same lists.
func TestVocabModuleIsTheServersVocabulary(t *testing.T) {
	site := staticSite(t)
	src := string(site.Content("app/vocab.js"))
	_, body, ok := strings.Cut(src, "export default ")
	if !ok {
		t.Fatalf("app/vocab.js is not served as a module:\n%s", src)
	}
	var got, want any
	if err := json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimSpace(body), ";")), &got); err != nil {
		t.Fatalf("app/vocab.js: %v", err)
	}
	raw, _ := json.Marshal(vocab.PWA())
	json.Unmarshal(raw, &want)
	if g, w := mustJSON(got), mustJSON(want); !bytes.Equal(g, w) {
		t.Fatalf("app/vocab.js differs from package vocab:\n%s\n%s", g, w)
	}
	if !strings.Contains(string(site.Content("sw.js")), "/app/vocab.js") {
		t.Error("the service worker does not precache app/vocab.js: the PWA would lose its lists offline")
	}
}

// pwaSources are the PWA's own modules (vendored libraries aside).
func pwaSources(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(pbpublic.FS, "app", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		b, err := fs.ReadFile(pbpublic.FS, p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// No PWA module retypes a list the server defines: a topic, a department, a
// status label written into a screen would drift from the server's.
func TestPWARetypesNoVocabulary(t *testing.T) {
	var terms []string
	terms = append(terms, vocab.Topics...)
	terms = append(terms, vocab.Departments...)
	for _, list := range [][]vocab.Term{vocab.InspectionKinds, vocab.ProblemStatuses, vocab.HazardStatuses,
		vocab.SuggestionStatuses, vocab.SuggestionSources, vocab.DutyStatuses, vocab.SwapStatuses, vocab.BookingStatuses} {
		for _, term := range list {
			terms = append(terms, term.Label)
		}
	}
	for p, src := range pwaSources(t) {
		for _, term := range terms {
			if len([]rune(term)) < 3 {
				continue // too short to tell a list from ordinary text (其他, 走访)
			}
			if regexp.MustCompile(`['"` + "`" + `]` + regexp.QuoteMeta(term) + `['"` + "`" + `]`).MatchString(src) {
				t.Errorf("%s retypes %q: import it from vocab.js", p, term)
			}
		}
		for _, n := range []string{"6", "1600", "400 \\* 1024", "409600"} {
			if regexp.MustCompile(`MAX_PHOTOS = ` + n + `\b|MAX_SIDE = ` + n + `\b`).MatchString(src) {
				t.Errorf("%s retypes a photo limit: read it from vocab.js", p)
			}
		}
	}
}

// Every VOCAB.key the PWA reads exists in the vocabulary the server sends.
func TestPWAReadsOnlyVocabularyThatExists(t *testing.T) {
	var pwa map[string]any
	raw, _ := json.Marshal(vocab.PWA())
	json.Unmarshal(raw, &pwa)
	use := regexp.MustCompile(`VOCAB\.([a-z_]+)(?:\.([a-z_]+))?`)
	destructure := regexp.MustCompile(`(?:const|let|var)\s*\{([^}]*)\}\s*=\s*VOCAB\.([a-z_]+)`)
	reads := 0
	for p, src := range pwaSources(t) {
		for _, m := range use.FindAllStringSubmatch(src, -1) {
			reads++
			v, ok := pwa[m[1]]
			if !ok {
				t.Errorf("%s reads VOCAB.%s, which the server does not send", p, m[1])
				continue
			}
			if m[2] != "" {
				if obj, ok := v.(map[string]any); !ok || obj[m[2]] == nil {
					t.Errorf("%s reads VOCAB.%s.%s, which the server does not send", p, m[1], m[2])
				}
			}
		}
		for _, m := range destructure.FindAllStringSubmatch(src, -1) {
			obj, _ := pwa[m[2]].(map[string]any)
			for _, part := range strings.Split(m[1], ",") {
				key, _, _ := strings.Cut(strings.TrimSpace(part), ":")
				if key = strings.TrimSpace(key); key != "" && obj[key] == nil {
					t.Errorf("%s reads VOCAB.%s.%s, which the server does not send", p, m[2], key)
				}
			}
		}
	}
	if reads == 0 {
		t.Fatal("no PWA module reads the vocabulary")
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
