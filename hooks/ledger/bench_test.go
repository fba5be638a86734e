package ledger_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/internal/testapp"
)

// BenchmarkHazardLedgerExport measures GET /api/ledger/hazards.xlsx for a
// ledger of n hazards: the export should grow linearly with the rows (see
// BENCHMARKS.md for the ratio between sizes).
func BenchmarkHazardLedgerExport(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("hazards=%d", n), func(b *testing.B) {
			f := testapp.F(b)
			c := testapp.NewServer(b)
			col, err := c.App.FindCollectionByNameOrId("hazards")
			if err != nil {
				b.Fatal(err)
			}
			for i := range n {
				r := core.NewRecord(col)
				r.Load(map[string]any{
					"title": fmt.Sprintf("隐患%d", i), "description": "教学楼消防通道堆放杂物，需清理并设置警示标志",
					"source": "inspection", "inspection": f.IDs["inspection_a"], "responsible_unit": "思蒙镇中心学校",
					"responsible_person": "后勤主任", "deadline": time.Now().AddDate(0, 0, i%30), "deputy": f.Deputy,
				})
				if err := c.App.Save(r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if r := c.Send(presidium, http.MethodGet, "/api/ledger/hazards.xlsx", nil); r.Status != http.StatusOK {
					b.Fatalf("export: %d %s", r.Status, r.Body)
				}
			}
		})
	}
}
