package plausibility

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// CallbackCandidate is a visit that may be called back (回访): the caller
// passes the month's visits to households with a phone that consented to
// contact.
type CallbackCandidate struct {
	Visit      string
	Deputy     string
	Household  string
	CalledBack bool // already called back: never sampled again
}

// SampleCallbacks draws up to size visits to call back, the same ones for
// the same seed and candidates whatever their order:
//   - first one visit of each deputy, deputies in random order, so every
//     deputy with visits has a chance (all of them when size allows) and a
//     deputy with three visits is as likely to be checked as one with 200;
//   - then visits drawn uniformly from the rest;
//   - at most one visit per household, so nobody is called twice a month;
//   - never a visit already called back.
//
// Fewer than size come back when the candidates run out.
func SampleCallbacks(seed uint64, size int, candidates []CallbackCandidate) []string {
	if size <= 0 {
		return nil
	}
	pool := eligible(candidates)

	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	var deputies [][]CallbackCandidate // each deputy's visits, shuffled
	for i := 0; i < len(pool); {
		j := i
		for j < len(pool) && pool[j].Deputy == pool[i].Deputy {
			j++
		}
		own := pool[i:j]
		rng.Shuffle(len(own), func(a, b int) { own[a], own[b] = own[b], own[a] })
		deputies = append(deputies, own)
		i = j
	}
	rng.Shuffle(len(deputies), func(a, b int) { deputies[a], deputies[b] = deputies[b], deputies[a] })

	picked := make([]string, 0, min(size, len(pool)))
	taken := map[string]bool{}  // visits
	called := map[string]bool{} // households
	take := func(c CallbackCandidate) bool {
		if taken[c.Visit] || (c.Household != "" && called[c.Household]) {
			return false
		}
		taken[c.Visit], called[c.Household] = true, c.Household != ""
		picked = append(picked, c.Visit)
		return true
	}
	for _, own := range deputies {
		if len(picked) == size {
			return picked
		}
		for _, c := range own {
			if take(c) {
				break
			}
		}
	}
	var rest []CallbackCandidate
	for _, own := range deputies {
		rest = append(rest, own...)
	}
	rng.Shuffle(len(rest), func(a, b int) { rest[a], rest[b] = rest[b], rest[a] })
	for _, c := range rest {
		if len(picked) == size {
			break
		}
		take(c)
	}
	return picked
}

// eligible returns the candidates that may be drawn, by deputy then visit:
// a visit listed more than once is kept once (its first listing in sorted
// order), or not at all if any listing says it was called back.
func eligible(candidates []CallbackCandidate) []CallbackCandidate {
	all := slices.Clone(candidates)
	slices.SortFunc(all, func(a, b CallbackCandidate) int {
		return cmp.Or(cmp.Compare(a.Visit, b.Visit), cmp.Compare(a.Deputy, b.Deputy), cmp.Compare(a.Household, b.Household))
	})
	var pool []CallbackCandidate
	for i := 0; i < len(all); {
		j, called := i, false
		for j < len(all) && all[j].Visit == all[i].Visit {
			called = called || all[j].CalledBack
			j++
		}
		if !called && all[i].Visit != "" {
			pool = append(pool, all[i])
		}
		i = j
	}
	slices.SortStableFunc(pool, func(a, b CallbackCandidate) int { return cmp.Compare(a.Deputy, b.Deputy) })
	return pool
}

// MonthSeed derives a month's sampling seed from a secret the server keeps:
// deputies cannot predict the sample, and anyone given the seed (stored
// with the sample) can draw it again to check that staff did not pick.
func MonthSeed(secret []byte, year int, month time.Month) uint64 {
	mac := hmac.New(sha256.New, secret)
	fmt.Fprintf(mac, "callbacks %04d-%02d", year, int(month))
	return binary.BigEndian.Uint64(mac.Sum(nil))
}

// CallbackFlag is the flag a denied callback raises on the visit.
func CallbackFlag(visit string, at time.Time) Flag {
	return Flag{Kind: CallbackDenied, Visit: visit,
		Reason: fmt.Sprintf("%s 回访时，农户表示没有这次走访", whenText(at, at))}
}
