package plausibility

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// month is a month's candidates: deputy "busy" with 200 visits, "quiet"
// with 3, and eight more with 10 each, to households of their own.
func month() []CallbackCandidate {
	var cs []CallbackCandidate
	add := func(deputy string, n int) {
		for i := range n {
			cs = append(cs, CallbackCandidate{Visit: fmt.Sprintf("%s-v%d", deputy, i), Deputy: deputy, Household: fmt.Sprintf("%s-h%d", deputy, i)})
		}
	}
	add("busy", 200)
	add("quiet", 3)
	for d := range 8 {
		add(fmt.Sprintf("d%d", d), 10)
	}
	return cs
}

func deputyOf(cs []CallbackCandidate) map[string]CallbackCandidate {
	m := map[string]CallbackCandidate{}
	for _, c := range cs {
		m[c.Visit] = c
	}
	return m
}

func TestSampleCallbacks(t *testing.T) {
	cs := month()
	byVisit := deputyOf(cs)

	sample := SampleCallbacks(42, 20, cs)
	if len(sample) != 20 {
		t.Fatalf("%d picked, want 20", len(sample))
	}
	if again := SampleCallbacks(42, 20, cs); !slices.Equal(sample, again) {
		t.Fatal("the same seed drew a different sample")
	}
	shuffled := slices.Clone(cs)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if got := SampleCallbacks(42, 20, shuffled); !slices.Equal(sample, got) {
		t.Fatal("the candidates' order changed the sample")
	}
	if other := SampleCallbacks(43, 20, cs); slices.Equal(sample, other) {
		t.Error("another seed drew the same sample")
	}
	deputies := map[string]bool{}
	for _, id := range sample {
		deputies[byVisit[id].Deputy] = true
	}
	if len(deputies) != 10 {
		t.Errorf("with room for all, %d of 10 deputies sampled", len(deputies))
	}
	if uniq := slices.Compact(slices.Sorted(slices.Values(sample))); len(uniq) != 20 {
		t.Error("a visit picked twice")
	}

	// Visits already called back are never drawn; a household is called
	// once; fewer come back when candidates run out.
	small := []CallbackCandidate{
		{Visit: "a1", Deputy: "a", Household: "h1", CalledBack: true},
		{Visit: "a2", Deputy: "a", Household: "h1"},
		{Visit: "a3", Deputy: "a", Household: "h1"},
		{Visit: "b1", Deputy: "b", Household: "h2"},
		{Visit: "b1", Deputy: "b", Household: "h2"}, // listed twice
		{Visit: "", Deputy: "b", Household: "h3"},
	}
	for seed := range uint64(50) {
		got := SampleCallbacks(seed, 10, small)
		slices.Sort(got)
		if len(got) != 2 || got[1] != "b1" || (got[0] != "a2" && got[0] != "a3") {
			t.Fatalf("seed %d: %v, want one of a2/a3 and b1", seed, got)
		}
	}
	if got := SampleCallbacks(1, 0, cs); len(got) != 0 {
		t.Errorf("size 0 drew %v", got)
	}
	if got := SampleCallbacks(1, 5, nil); len(got) != 0 {
		t.Errorf("no candidates drew %v", got)
	}
}

// With fewer places than deputies, each deputy is about as likely to be
// checked as any other, however many visits they have.
func TestSampleCallbacksFairToDeputies(t *testing.T) {
	cs := month()
	byVisit := deputyOf(cs)
	const draws = 1000
	picked := map[string]int{}
	for seed := range uint64(draws) {
		for _, id := range SampleCallbacks(seed, 5, cs) {
			picked[byVisit[id].Deputy]++
		}
	}
	// Expected 5/10 of the draws each; allow a wide margin.
	for _, d := range []string{"busy", "quiet", "d0", "d7"} {
		if n := picked[d]; n < draws*4/10 || n > draws*6/10 {
			t.Errorf("%s sampled in %d of %d months, want about %d", d, n, draws, draws/2)
		}
	}
}

func TestMonthSeed(t *testing.T) {
	secret := []byte("server secret")
	if MonthSeed(secret, 2026, time.March) != MonthSeed(secret, 2026, time.March) {
		t.Error("not deterministic")
	}
	if MonthSeed(secret, 2026, time.March) == MonthSeed(secret, 2026, time.April) ||
		MonthSeed(secret, 2026, time.March) == MonthSeed([]byte("other"), 2026, time.March) {
		t.Error("months or secrets share a seed")
	}
}

func TestCallbackFlag(t *testing.T) {
	f := CallbackFlag("v1", time.Date(2026, 3, 12, 2, 30, 0, 0, time.UTC))
	if f.Kind != CallbackDenied || f.Visit != "v1" || f.Reason != "3月12日 10:30 回访时，农户表示没有这次走访" {
		t.Errorf("%+v", f)
	}
}
