package demand

import (
	"reflect"
	"sync"
	"testing"
)

// TestCorpusKeptCurrent: a corpus fed record by record, with edits and
// deletions as hooks would send them, answers as one built from the final
// records.
func TestCorpusKeptCurrent(t *testing.T) {
	march := TopOptions{Period: PeriodOf(Month, day(2025, 3, 15)), MinCount: 1}
	c := NewCorpus()
	for i := len(aggDocs) - 1; i >= 0; i-- { // any order
		c.Put(aggDocs[i])
	}
	c.Put(doc("m5", "B", "医疗卫生", day(2025, 3, 9), []string{"停电"}, nil)) // edited text
	c.Put(doc("gone", "A", "其他", day(2025, 3, 2), []string{"停电"}, nil))
	c.Delete("gone", "m7", "never-there")
	c.Put(doc("m5", "B", "医疗卫生", day(2025, 3, 9), []string{"医保"}, nil)) // edited back
	// Put again with the same terms (a status changed): its ids stay where
	// they are, and the arena does not grow.
	used := len(c.arena)
	for _, d := range aggDocs {
		if d.ID != "m7" { // deleted above
			c.Put(d)
		}
	}
	if len(c.arena) != used {
		t.Fatalf("the arena grew from %d to %d ids for records put again unchanged", used, len(c.arena))
	}

	final := make([]Doc, 0, len(aggDocs))
	for _, d := range aggDocs {
		if d.ID != "m7" {
			final = append(final, d)
		}
	}
	if c.Len() != len(final) {
		t.Fatalf("Len %d, want %d", c.Len(), len(final))
	}
	if got, want := c.Top(march), TopTerms(final, march); !reflect.DeepEqual(got, want) {
		t.Errorf("kept current:\n got %+v\nwant %+v", got, want)
	}
	if got, want := c.TopByVillage(march), TopTermsByVillage(final, march); !reflect.DeepEqual(got, want) {
		t.Errorf("by village:\n got %+v\nwant %+v", got, want)
	}
	q1 := RecurOptions{From: day(2025, 1, 1), To: day(2025, 4, 1), MinReports: 2}
	if got, want := c.Recurrences(q1), Recurrences(final, q1); !equalClusters(got, want) || len(got) == 0 {
		t.Errorf("recurrences:\n got %+v\nwant %+v", got, want)
	}
	if top := c.Top(march); terms(top.Words) != "饮水 停水 医保 不亮 低保 路灯" {
		t.Errorf("words %s", terms(top.Words))
	}
}

// TestCorpusConcurrent: hooks write while views read (run with -race).
func TestCorpusConcurrent(t *testing.T) {
	c := NewCorpus(aggDocs...)
	o := TopOptions{Period: PeriodOf(Month, day(2025, 3, 15))}
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 200 {
				if i == 0 {
					c.Put(doc("x", "A", "其他", day(2025, 3, 1+j%28), []string{"饮水"}, nil))
					c.Delete("x")
					continue
				}
				c.Top(o)
				c.TopByVillage(o)
				c.Recurrences(RecurOptions{})
			}
		})
	}
	wg.Wait()
	if c.Len() != len(aggDocs) {
		t.Errorf("Len %d", c.Len())
	}
}
