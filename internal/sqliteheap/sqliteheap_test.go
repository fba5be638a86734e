package sqliteheap_test

import (
	"syscall"
	"testing"

	"modernc.org/libc"

	"simeng/internal/sqliteheap"
)

// A slot of a reserved size class, allocated, written and freed again and
// again, comes from a page that stays mapped: no page faults beyond the
// first. An allocation too large for shared pages, not reservable, shows
// what the churn looks like: a fresh mapping, faulted in, every time.
func TestReservedPagesStayMapped(t *testing.T) {
	sqliteheap.Reserve()
	tls := libc.NewTLS()
	defer tls.Close()
	const cycles = 1000
	churn := func(size int) int64 {
		before := minorFaults(t)
		for range cycles {
			p := libc.Xmalloc(tls, libc.Tsize_t(size))
			if p == 0 {
				t.Fatal("out of memory")
			}
			libc.Xmemset(tls, p, 1, libc.Tsize_t(size))
			libc.Xfree(tls, p)
		}
		return minorFaults(t) - before
	}
	if faults := churn(64 << 10); faults < cycles {
		t.Fatalf("a 64 KiB allocation: %d page faults in %d cycles; the measure sees no churn", faults, cycles)
	}
	for _, size := range []int{16, 200, 1 << 10, 4 << 10, 9 << 10, 16 << 10} {
		// Go's runtime may fault a few pages of its own meanwhile.
		if faults := churn(size); faults > cycles/10 {
			t.Errorf("%d B: %d page faults in %d cycles, want the reserved pages reused", size, faults, cycles)
		}
	}
}

func minorFaults(t *testing.T) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return ru.Minflt
}
