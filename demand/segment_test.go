package demand

import (
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMain resets the township dictionary after the tests that apply one;
// tests in this file share the process's one segmenter and run in order.
func TestMain(m *testing.M) {
	code := m.Run()
	_ = Apply(Dictionary{})
	os.Exit(code)
}

func mustApply(t *testing.T, d Dictionary) {
	t.Helper()
	if err := Apply(d); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = Apply(Dictionary{}) })
}

func TestLoadUsesOnlyTheEmbeddedDictionary(t *testing.T) {
	if _, err := Load(); err != nil {
		t.Fatal(err)
	}
	seg := segmenter.seg
	// gse would look for files next to DictPath; it points nowhere, so a
	// load that read files would have failed.
	if seg.DictPath != offlineDictPath {
		t.Errorf("DictPath %q", seg.DictPath)
	}
	if _, err := os.Stat(offlineDictPath); !os.IsNotExist(err) {
		t.Errorf("%s exists: %v", offlineDictPath, err)
	}
	if n := seg.Dict.NumTokens(); n < 100_000 || n > 200_000 {
		t.Errorf("%d tokens: want gse's simplified dictionary at freq ≥ %d (about 140k)", n, minTokenFreq)
	}
	again, err := Load()
	if err != nil || again != segmenter.loadTime || !Loaded() {
		t.Errorf("second Load: %v %v, loaded %v", again, err, Loaded())
	}
}

func TestExtract(t *testing.T) {
	tests := []struct {
		text           string
		words, phrases []string
	}{
		{"桥思公路路灯不亮，晚上出行不安全",
			[]string{"桥思", "公路", "路灯", "不亮", "晚上", "出行", "安全"},
			[]string{"桥思公路", "公路路灯", "路灯不亮", "晚上出行", "出行安全"}},
		// stop words and courtesy go; a phrase spans 经常 but not the comma
		{"思蒙湾村的自来水经常停水，希望尽快解决饮水问题！",
			[]string{"思蒙湾村", "自来水", "停水", "饮水"},
			[]string{"思蒙湾村自来水", "自来水停水"}},
		// numbers, dates and counts go; so do single characters
		{"我是5组村民，2024年3月反映过一个多月了", nil, nil},
		// a phrase never spans a conjunction
		{"养老保险和医疗保险缴费标准",
			[]string{"养老", "保险", "医疗保险", "缴费", "标准"},
			[]string{"养老保险", "医疗保险缴费", "缴费标准"}},
		// built-in words stay whole
		{"留守儿童放学后无人看管", []string{"留守儿童", "放学", "无人", "看管"}, []string{"留守儿童放学", "放学无人", "无人看管"}},
		{"低保金发放不及时", []string{"低保金", "发放"}, []string{"低保金发放"}},
		// whitelisted single characters are terms
		{"水", []string{"水"}, nil},
		{"好", nil, nil},
		// full-width folded, letters lower-cased
		{"ＷｉＦｉ信号差，4G也没有", []string{"wifi", "信号", "4g"}, []string{"wifi信号"}},
		{"请问 请问", nil, nil},
		{"路灯路灯路灯", []string{"路灯"}, nil},
		{"", nil, nil},
		{"，。！？", nil, nil},
	}
	for _, tt := range tests {
		got, err := Extract(tt.text)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Words, tt.words) || !slices.Equal(got.Phrases, tt.phrases) {
			t.Errorf("Extract(%q)\n got %q %q\nwant %q %q", tt.text, got.Words, got.Phrases, tt.words, tt.phrases)
		}
	}
}

// TestApplyWithoutRestart: an edited dictionary changes segmentation and
// counting at once, and applying the previous one undoes it.
func TestApplyWithoutRestart(t *testing.T) {
	const text = "我是枫木村5组村民，堰塘漏水，村委会不管"
	before, _ := Extract(text)
	if !slices.Contains(before.Words, "木村") || slices.Contains(before.Words, "枫木村") {
		t.Fatalf("before: %q; the test needs gse to split 枫木村", before.Words)
	}

	mustApply(t, Dictionary{Words: []Word{{Text: "枫木村", POS: "ns"}, {Text: "堰"}}})
	got, _ := Extract(text)
	if !slices.Contains(got.Words, "枫木村") || slices.Contains(got.Words, "木村") {
		t.Errorf("with 枫木村: %q", got.Words)
	}
	cut, _ := Cut("堰")
	if x, _ := Extract("堰"); !slices.Equal(x.Words, []string{"堰"}) || !slices.Equal(cut, []string{"堰"}) {
		t.Errorf("a one-character township word is a term: %q (cut %q)", x.Words, cut)
	}

	// A village's own name: cut whole, not counted.
	mustApply(t, Dictionary{Words: []Word{{Text: "枫木村"}}, Ignore: []string{"枫木村", "漏水"}})
	got, _ = Extract(text)
	if slices.Contains(got.Words, "枫木村") || slices.Contains(got.Words, "木村") || slices.Contains(got.Words, "漏水") {
		t.Errorf("ignored: %q", got.Words)
	}

	// A built-in stop word the township lists as a word becomes a term.
	mustApply(t, Dictionary{Words: []Word{{Text: "村委会"}}})
	if got, _ = Extract(text); !slices.Contains(got.Words, "村委会") {
		t.Errorf("村委会 listed: %q", got.Words)
	}

	mustApply(t, Dictionary{})
	if got, _ = Extract(text); !reflect.DeepEqual(got, before) {
		t.Errorf("after undo: %q, want %q", got, before)
	}
	if d := Applied(); len(d.Words) != 0 || len(d.Ignore) != 0 {
		t.Errorf("Applied after undo: %+v", d)
	}
}

// TestApplyRestoresGseWords: reweighting a word gse already has, then
// dropping it, leaves gse's own entry as it was.
func TestApplyRestoresGseWords(t *testing.T) {
	if _, err := Load(); err != nil {
		t.Fatal(err)
	}
	freq, pos, ok := segmenter.seg.Find("路灯")
	if !ok || freq == 0 {
		t.Fatal("gse should know 路灯")
	}
	mustApply(t, Dictionary{Words: []Word{{Text: "路灯", Weight: 99999, POS: "nz"}, {Text: "思蒙湾"}}})
	if f, p, _ := segmenter.seg.Find("路灯"); f != 99999 || p != "nz" {
		t.Errorf("reweighted: %v %q", f, p)
	}
	if f, _, _ := segmenter.seg.Find("思蒙湾"); f < minAutoWeight {
		t.Errorf("automatic weight %v, want at least %d", f, minAutoWeight)
	}
	mustApply(t, Dictionary{Words: []Word{{Text: "路灯", Weight: 500}}})
	if f, p, _ := segmenter.seg.Find("路灯"); f != 500 || p != "" {
		t.Errorf("reweighted again: %v %q", f, p)
	}
	mustApply(t, Dictionary{})
	if f, p, _ := segmenter.seg.Find("路灯"); f != freq || p != pos {
		t.Errorf("restored: %v %q, want %v %q", f, p, freq, pos)
	}
	if f, _, _ := segmenter.seg.Find("思蒙湾"); f != 0 {
		t.Errorf("思蒙湾 still in gse with %v", f)
	}
}

func TestApplyRefusesInvalid(t *testing.T) {
	mustApply(t, Dictionary{Words: []Word{{Text: "枫木村"}}})
	if err := Apply(Dictionary{Words: []Word{{Text: "路灯，"}}}); err == nil {
		t.Fatal("Apply accepted punctuation")
	}
	if d := Applied(); len(d.Words) != 1 || d.Words[0].Text != "枫木村" {
		t.Errorf("a refused dictionary changed the applied one: %+v", d)
	}
}

// TestApplyWhileExtracting: extraction goes on while staff apply
// dictionaries; every result is one of the two dictionaries' (run with
// -race to check the locking).
func TestApplyWhileExtracting(t *testing.T) {
	const text = "我是枫木村5组村民，路灯不亮"
	withWord := Dictionary{Words: []Word{{Text: "枫木村"}}}
	mustApply(t, withWord)
	a, _ := Extract(text)
	mustApply(t, Dictionary{})
	b, _ := Extract(text)

	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				got, err := Extract(text)
				if err != nil || (!reflect.DeepEqual(got, a) && !reflect.DeepEqual(got, b)) {
					t.Errorf("mid-apply: %q %v", got, err)
					return
				}
			}
		})
	}
	for i := range 50 {
		d := Dictionary{}
		if i%2 == 0 {
			d = withWord
		}
		if err := Apply(d); err != nil {
			t.Error(err)
		}
		time.Sleep(time.Millisecond)
	}
	close(stop)
	wg.Wait()
}

// TestAnalysisDoesNotLoadGse runs the test binary again so that nothing
// else has loaded gse: search, aggregation, recurrence and applying a
// dictionary must not, or every test binary and write path using them
// would pay for the dictionary.
func TestAnalysisDoesNotLoadGse(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperNoLoad$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DEMAND_NOLOAD_HELPER=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(string(out), "gse not loaded") {
		t.Errorf("the helper did not run:\n%s", out)
	}
}

func TestHelperNoLoad(t *testing.T) {
	if os.Getenv("DEMAND_NOLOAD_HELPER") != "1" {
		return // only as TestAnalysisDoesNotLoadGse's child
	}
	IndexText("思蒙湾村的自来水经常停水")
	Query("饮水 路灯")
	p := PeriodOf(Quarter, time.Now())
	docs := []Doc{doc("a", "v", "c", time.Now(), []string{"饮水"}, nil)}
	TopTerms(docs, TopOptions{Period: p})
	TopTermsByVillage(docs, TopOptions{Period: p})
	Recurrences(docs, RecurOptions{})
	if _, err := ParseDictionary("思蒙湾村 ns\n-一下"); err != nil {
		t.Fatal(err)
	}
	if err := Apply(Dictionary{Words: []Word{{Text: "思蒙湾村"}}}); err != nil {
		t.Fatal(err)
	}
	if Loaded() {
		t.Fatal("gse was loaded")
	}
	os.Stdout.WriteString("gse not loaded\n")
}
