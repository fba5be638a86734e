package sample

import (
	"slices"
	"testing"
	"time"
)

func TestGenerate(t *testing.T) {
	a := Generate(5000, Config{Seed: 9})
	if b := Generate(5000, Config{Seed: 9}); !slices.Equal(a, b) {
		t.Fatal("same seed, different output")
	}
	if c := Generate(5000, Config{Seed: 10}); slices.Equal(a, c) {
		t.Fatal("different seeds, same output")
	}
	from, to := time.Date(2024, 1, 1, 0, 0, 0, 0, China), time.Date(2026, 1, 1, 0, 0, 0, 0, China)
	ids := map[string]bool{}
	byVillage := map[string]map[string]int{}
	repeats := map[string]int{} // village|quarter|issue
	for i, d := range a {
		if ids[d.ID] || len(d.ID) != 15 {
			t.Fatalf("id %q repeated or not 15 characters", d.ID)
		}
		ids[d.ID] = true
		if d.At.Before(from) || !d.At.Before(to) || (i > 0 && d.At.Before(a[i-1].At)) {
			t.Fatalf("%s at %v: outside 2024–2025 or out of order", d.ID, d.At)
		}
		if d.Text == "" || d.Issue == "" || d.Category == "" || !slices.Contains(Sources, d.Source) {
			t.Fatalf("incomplete: %+v", d)
		}
		if byVillage[d.Village] == nil {
			byVillage[d.Village] = map[string]int{}
		}
		byVillage[d.Village][d.Category]++
		repeats[d.Village+d.At.Format("2006")+string(rune('0'+(int(d.At.Month())-1)/3))+d.Issue]++
	}
	// The hotspot: 思蒙湾村 raises water far more often than 桥头村 does.
	if w, q := byVillage["思蒙湾村"]["饮水安全"], byVillage["桥头村"]["饮水安全"]; w < 3*q {
		t.Errorf("饮水安全: 思蒙湾村 %d, 桥头村 %d; want a clear hotspot", w, q)
	}
	recurring := 0
	for _, n := range repeats {
		if n >= 3 {
			recurring++
		}
	}
	if recurring < 20 {
		t.Errorf("%d issues raised 3+ times by one village in a quarter; want recurring problems", recurring)
	}
}
