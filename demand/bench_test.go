package demand_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"simeng/demand"
	"simeng/demand/sample"
)

// Benchmarks of the analysis on generated demands (2024–2025, 12 villages).
// The n=10000 and n=100000 cases of one benchmark show how cost grows;
// a ratio near 10 is linear.
//
//	go test ./demand -run '^$' -bench . -benchmem -benchtime 1x   # corpus sizes once
//	go test ./demand -run '^$' -bench 'Load|Extract$|IndexText|Query' -benchmem

var corpora = map[int]func() []demand.Doc{}

var corpusMu sync.Mutex

// corpus returns n generated demands with their terms extracted, built once
// per process (extracting 100k texts takes seconds).
func corpus(n int) []demand.Doc {
	corpusMu.Lock()
	f, ok := corpora[n]
	if !ok {
		f = sync.OnceValue(func() []demand.Doc { return extractAll(sample.Generate(n, sample.Config{Seed: 1})) })
		corpora[n] = f
	}
	corpusMu.Unlock()
	return f()
}

func extractAll(ds []sample.Demand) []demand.Doc {
	docs := make([]demand.Doc, len(ds))
	for i, d := range ds {
		t, err := demand.Extract(d.Text)
		if err != nil {
			panic(err)
		}
		docs[i] = demand.Doc{ID: d.ID, Village: d.Village, Category: d.Category, At: d.At, Words: t.Words, Phrases: t.Phrases}
	}
	return docs
}

var sizes = []int{10_000, 100_000}

// BenchmarkLoad loads gse's dictionary in a fresh process each op and
// reports what that process paid: wall time, heap kept, and resident memory
// before and after.
func BenchmarkLoad(b *testing.B) {
	var last loadCost
	for b.Loop() {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperLoadCost$", "-test.count=1")
		cmd.Env = append(os.Environ(), "DEMAND_LOAD_HELPER=1")
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "{") {
				if err := json.Unmarshal([]byte(line), &last); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.ReportMetric(last.LoadMS, "load-ms")
	b.ReportMetric(last.HeapMB, "heap-MB")
	b.ReportMetric(last.RSSBeforeMB, "rss-before-MB")
	b.ReportMetric(last.RSSAfterMB, "rss-after-MB")
}

type loadCost struct {
	LoadMS, HeapMB, AllocMB, RSSBeforeMB, RSSAfterMB float64
}

func TestHelperLoadCost(t *testing.T) {
	if os.Getenv("DEMAND_LOAD_HELPER") != "1" {
		return // only as BenchmarkLoad's child
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rss0 := rssMB("VmRSS")
	took, err := demand.Load()
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	c := loadCost{
		LoadMS:      float64(took) / float64(time.Millisecond),
		HeapMB:      float64(after.HeapAlloc-before.HeapAlloc) / 1e6,
		AllocMB:     float64(after.TotalAlloc-before.TotalAlloc) / 1e6,
		RSSBeforeMB: rss0,
		RSSAfterMB:  rssMB("VmRSS"),
	}
	j, _ := json.Marshal(c)
	fmt.Println(string(j))
}

// rssMB reads a Vm* line of /proc/self/status in MB (0 where there is none).
func rssMB(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			var kb float64
			fmt.Sscan(rest, &kb)
			return kb / 1000
		}
	}
	return 0
}

// BenchmarkExtract: one complaint text.
func BenchmarkExtract(b *testing.B) {
	ds := sample.Generate(1000, sample.Config{Seed: 2})
	if _, err := demand.Load(); err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		demand.Extract(ds[i%len(ds)].Text)
	}
}

// BenchmarkExtractCorpus: every text of the corpus, as a rebuild does.
func BenchmarkExtractCorpus(b *testing.B) {
	if _, err := demand.Load(); err != nil {
		b.Fatal(err)
	}
	for _, n := range sizes {
		ds := sample.Generate(n, sample.Config{Seed: 1})
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				extractAll(ds)
			}
			b.ReportMetric(rssMB("VmHWM"), "peak-rss-MB")
		})
	}
}

func BenchmarkTopTerms(b *testing.B) {
	for _, n := range sizes {
		docs := corpus(n)
		for _, kind := range []demand.PeriodKind{demand.Year, demand.Quarter} {
			o := demand.TopOptions{Period: demand.PeriodOf(kind, time.Date(2025, 11, 1, 0, 0, 0, 0, demand.China))}
			b.Run(fmt.Sprintf("%s/n=%d", kind, n), func(b *testing.B) {
				for b.Loop() {
					demand.TopTerms(docs, o)
				}
			})
		}
		b.Run(fmt.Sprintf("quarter-by-village/n=%d", n), func(b *testing.B) {
			o := demand.TopOptions{Period: demand.PeriodOf(demand.Quarter, time.Date(2025, 11, 1, 0, 0, 0, 0, demand.China))}
			for b.Loop() {
				demand.TopTermsByVillage(docs, o)
			}
		})
	}
}

func BenchmarkRecurrences(b *testing.B) {
	for _, n := range sizes {
		docs := corpus(n)
		for _, kind := range []demand.PeriodKind{demand.Quarter, demand.Year} {
			p := demand.PeriodOf(kind, time.Date(2025, 11, 1, 0, 0, 0, 0, demand.China))
			b.Run(fmt.Sprintf("%s/n=%d", kind, n), func(b *testing.B) {
				var found int
				for b.Loop() {
					found = len(demand.Recurrences(docs, demand.RecurOptions{From: p.Start, To: p.End()}))
				}
				b.ReportMetric(float64(found), "clusters")
			})
		}
	}
}

// BenchmarkRecurrencesVsRef is a year's recurrences (min 5, as the view
// asks them) by Recurrences and by the clustering it replaced, interleaved
// in one run so that the machine's load weighs on both alike.
//
//	go test ./demand -run '^$' -bench RecurrencesVsRef -benchtime 5x
func BenchmarkRecurrencesVsRef(b *testing.B) {
	p := demand.PeriodOf(demand.Year, time.Date(2025, 11, 1, 0, 0, 0, 0, demand.China))
	o := demand.RecurOptions{From: p.Start, To: p.End(), MinReports: 5}
	for _, n := range sizes {
		docs := corpus(n)
		for _, impl := range []struct {
			name string
			f    func([]demand.Doc, demand.RecurOptions) []demand.Cluster
		}{{"ref", demand.RefRecurrences}, {"new", demand.Recurrences}, {"ref", demand.RefRecurrences}, {"new", demand.Recurrences}} {
			b.Run(fmt.Sprintf("n=%d/%s", n, impl.name), func(b *testing.B) {
				for b.Loop() {
					impl.f(docs, o)
				}
			})
		}
	}
}

func BenchmarkIndexText(b *testing.B) {
	ds := sample.Generate(1000, sample.Config{Seed: 2})
	for i := 0; b.Loop(); i++ {
		demand.IndexText(ds[i%len(ds)].Text)
	}
}

func BenchmarkQuery(b *testing.B) {
	qs := []string{"饮水", "路灯 不亮", "思蒙湾村自来水", `"; DROP grams:饮水 OR *`}
	for i := 0; b.Loop(); i++ {
		demand.Query(qs[i%len(qs)])
	}
}

// BenchmarkCorpus: the views a server answers from its in-memory corpus,
// and what building one costs (on start, from stored terms).
func BenchmarkCorpus(b *testing.B) {
	nov := time.Date(2025, 11, 1, 0, 0, 0, 0, demand.China)
	for _, n := range sizes {
		docs := corpus(n)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		c := demand.NewCorpus(docs...)
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept := float64(after.HeapAlloc-before.HeapAlloc) / 1e6
		b.Run(fmt.Sprintf("build/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				demand.NewCorpus(docs...)
			}
			b.ReportMetric(kept, "heap-kept-MB")
		})
		for _, kind := range []demand.PeriodKind{demand.Year, demand.Quarter, demand.Month} {
			o := demand.TopOptions{Period: demand.PeriodOf(kind, nov)}
			b.Run(fmt.Sprintf("top-%s/n=%d", kind, n), func(b *testing.B) {
				for b.Loop() {
					c.Top(o)
				}
			})
		}
		b.Run(fmt.Sprintf("top-year-by-village/n=%d", n), func(b *testing.B) {
			o := demand.TopOptions{Period: demand.PeriodOf(demand.Year, nov)}
			for b.Loop() {
				c.TopByVillage(o)
			}
		})
		b.Run(fmt.Sprintf("recurrences-quarter/n=%d", n), func(b *testing.B) {
			p := demand.PeriodOf(demand.Quarter, nov)
			for b.Loop() {
				c.Recurrences(demand.RecurOptions{From: p.Start, To: p.End()})
			}
		})
	}
}
