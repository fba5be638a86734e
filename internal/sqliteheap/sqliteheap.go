// Package sqliteheap keeps the C heap of PocketBase's SQLite from handing
// memory back to the operating system after every statement.
//
// PocketBase runs modernc.org/sqlite, SQLite translated to Go, whose
// malloc (modernc.org/libc over modernc.org/memory) carves pages of 64 KiB,
// mapped from the system, into slots of one size class each (16 B to
// 16 KiB), and unmaps a page the moment its last slot is freed. SQLite
// frees most of what a statement allocates once the statement is done, so
// a page of a size class with nothing else in it was mapped, faulted in
// and unmapped again at nearly every statement: on a push of visits that
// churn (munmap, mmap and the faults on fresh pages) was about a tenth of
// the server's CPU. Reserve holds one slot in each of a few pages of every
// size class for the life of the process; those pages then stay mapped,
// and their other slots serve SQLite's allocations.
package sqliteheap

import (
	"sync"

	"modernc.org/libc"
)

const (
	// pageSize is modernc.org/memory's page on unix (pageSizeLog 16); a
	// slot's page is its address rounded down to it.
	pageSize = 1 << 16
	// minClass and maxClass bound the size classes of shared pages, as
	// log2 of the slot size: larger allocations get pages of their own.
	minClass, maxClass = 4, 14
	// PagesPerClass is how many pages of each size class stay mapped:
	// 11 classes × 64 KiB × 4 is under 3 MiB.
	PagesPerClass = 4
)

var once sync.Once

// Reserve keeps PagesPerClass pages of every size class mapped. It runs
// once per process; call it before the database opens.
func Reserve() {
	once.Do(func() {
		tls := libc.NewTLS()
		defer tls.Close()
		for class := minClass; class <= maxClass; class++ {
			reserveClass(tls, class)
		}
	})
}

// reserveClass allocates slots of one size class until it holds one in
// PagesPerClass distinct pages, then frees the others (back to the
// allocator's free list, in pages that now stay mapped).
func reserveClass(tls *libc.TLS, class int) {
	held := map[uintptr]bool{}
	var spare []uintptr
	for len(held) < PagesPerClass {
		p := libc.Xmalloc(tls, libc.Tsize_t(1)<<class)
		if p == 0 {
			break // out of memory: keep what is held
		}
		if page := p &^ (pageSize - 1); held[page] {
			spare = append(spare, p)
		} else {
			held[page] = true
		}
	}
	for _, p := range spare {
		libc.Xfree(tls, p)
	}
}
