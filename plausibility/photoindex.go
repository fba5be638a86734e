package plausibility

import (
	"maps"
	"slices"
	"strings"
)

// PhotoIndex holds the township's photo hashes so that a visit's photos
// are matched without reading other visits: exact copies by sha256 through
// a map, near-duplicates by a scan of the perceptual hashes (64 bits each,
// kept in one slice; a few tens of thousands a year scan in microseconds).
// It is not safe for concurrent use.
type PhotoIndex struct {
	byVisit map[string][]PhotoRef
	bySHA   map[string][]string // lowercase sha256 → visit ids
	hashes  []indexedHash       // rebuilt lazily after a removal
	stale   bool
}

type indexedHash struct {
	hash  PHash
	visit string
}

// NewPhotoIndex returns an empty index.
func NewPhotoIndex() *PhotoIndex {
	return &PhotoIndex{byVisit: map[string][]PhotoRef{}, bySHA: map[string][]string{}}
}

// Len is the number of photos indexed.
func (ix *PhotoIndex) Len() int {
	n := 0
	for _, refs := range ix.byVisit {
		n += len(refs)
	}
	return n
}

// Put sets the photos of one visit (all refs must name the same visit),
// replacing what the index held for it. Put(visitID) with no refs removes
// the visit.
func (ix *PhotoIndex) Put(visit string, refs ...PhotoRef) {
	if old, ok := ix.byVisit[visit]; ok {
		for _, r := range old {
			key := strings.ToLower(r.SHA256)
			ix.bySHA[key] = slices.DeleteFunc(ix.bySHA[key], func(id string) bool { return id == visit })
			if len(ix.bySHA[key]) == 0 {
				delete(ix.bySHA, key)
			}
		}
		delete(ix.byVisit, visit)
		ix.stale = true
	}
	if len(refs) == 0 {
		return
	}
	refs = slices.Clone(refs)
	for i := range refs {
		refs[i].Visit = visit
		if key := strings.ToLower(refs[i].SHA256); key != "" && !slices.Contains(ix.bySHA[key], visit) {
			ix.bySHA[key] = append(ix.bySHA[key], visit)
		}
		if refs[i].Hashed && !ix.stale {
			ix.hashes = append(ix.hashes, indexedHash{refs[i].PHash, visit})
		}
	}
	ix.byVisit[visit] = refs
}

// Candidates returns the indexed photos of other visits that share a
// sha256 with one of v's photos or lie within maxBits of one of its
// perceptual hashes: the refs CheckPhotos needs.
func (ix *PhotoIndex) Candidates(v Visit, maxBits int) []PhotoRef {
	if ix.stale {
		ix.rebuild()
	}
	var ids []string // the matching visits; few, so a slice beats a map
	add := func(id string) {
		if id != v.ID && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, p := range v.Photos {
		if p.SHA256 != "" {
			for _, id := range ix.bySHA[strings.ToLower(p.SHA256)] {
				add(id)
			}
		}
		if !p.Hashed {
			continue
		}
		for _, h := range ix.hashes {
			if h.hash.Distance(p.PHash) <= maxBits {
				add(h.visit)
			}
		}
	}
	slices.Sort(ids)
	var refs []PhotoRef
	for _, id := range ids {
		refs = append(refs, ix.byVisit[id]...)
	}
	return refs
}

func (ix *PhotoIndex) rebuild() {
	ix.hashes = ix.hashes[:0]
	for _, id := range slices.Sorted(maps.Keys(ix.byVisit)) {
		for _, r := range ix.byVisit[id] {
			if r.Hashed {
				ix.hashes = append(ix.hashes, indexedHash{r.PHash, id})
			}
		}
	}
	ix.stale = false
}
