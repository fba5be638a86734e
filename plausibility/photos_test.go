package plausibility

import (
	"slices"
	"strings"
	"testing"
)

const (
	shaA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	shaB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	shaC = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
)

const hashA PHash = 0x8f3c_51a2_77e0_19d4

// flip returns h with its lowest n bits inverted.
func flip(h PHash, n int) PHash { return h ^ PHash(uint64(1)<<n-1) }

func withPhotos(v Visit, photos ...Photo) Visit {
	v.Photos = photos
	return v
}

func ref(visitID, household, deputy string, p Photo) PhotoRef {
	return PhotoRef{Photo: p, Visit: visitID, Household: household, Deputy: deputy, VisitedAt: at(8, 15)}
}

func TestCheckPhotos(t *testing.T) {
	v := withPhotos(visit("v1", "h1", at(9, 30), nil),
		Photo{Key: "ph1", SHA256: shaA, PHash: hashA, Hashed: true},
		Photo{Key: "ph2", SHA256: shaB})
	tests := []struct {
		name     string
		refs     []PhotoRef
		settings Settings
		want     []Kind
		reason   []string
		related  []string
	}{
		// Should flag.
		{"the same file on another household's visit", []PhotoRef{ref("u1", "h2", "d1", Photo{SHA256: shaA})}, Settings{},
			[]Kind{SamePhoto}, []string{"第 1 张照片与 3月5日 08:15 走访另一户的照片完全相同"}, []string{"u1"}},
		{"the sha in capitals", []PhotoRef{ref("u1", "h2", "d1", Photo{SHA256: strings.ToUpper(shaB)})}, Settings{},
			[]Kind{SamePhoto}, []string{"第 2 张照片"}, nil},
		{"on another deputy's visit", []PhotoRef{ref("u1", "h2", "d2", Photo{SHA256: shaA})}, Settings{},
			[]Kind{SamePhoto}, []string{"第 1 张照片与另一位代表 3月5日 08:15 走访另一户的照片完全相同"}, nil},
		{"a re-encoded copy", []PhotoRef{ref("u1", "h2", "d1", Photo{SHA256: shaC, PHash: flip(hashA, 5), Hashed: true})}, Settings{},
			[]Kind{SimilarPhoto}, []string{"第 1 张照片与 3月5日 08:15 走访另一户的照片高度相似"}, []string{"u1"}},
		{"at the threshold", []PhotoRef{ref("u1", "h2", "d1", Photo{SHA256: shaC, PHash: flip(hashA, 8), Hashed: true})}, Settings{},
			[]Kind{SimilarPhoto}, nil, nil},
		{"both, on different visits", []PhotoRef{
			ref("u2", "h3", "d1", Photo{SHA256: shaC, PHash: flip(hashA, 2), Hashed: true}),
			ref("u1", "h2", "d1", Photo{SHA256: shaB}),
		}, Settings{}, []Kind{SamePhoto, SimilarPhoto}, nil, []string{"u1"}},
		{"several visits", []PhotoRef{
			ref("u1", "h2", "d1", Photo{SHA256: shaA}), ref("u2", "h3", "d1", Photo{SHA256: shaA}), ref("u2", "h3", "d1", Photo{SHA256: shaB}),
		}, Settings{}, []Kind{SamePhoto}, []string{"共涉及 2 次其他走访"}, []string{"u1", "u2"}},

		// Should not flag.
		{"the same household's other visit", []PhotoRef{ref("u1", "h1", "d1", Photo{SHA256: shaA, PHash: hashA, Hashed: true})}, Settings{}, nil, nil, nil},
		{"its own photos", []PhotoRef{ref("v1", "h2", "d1", Photo{SHA256: shaA})}, Settings{}, nil, nil, nil},
		{"a different photo", []PhotoRef{ref("u1", "h2", "d1", Photo{SHA256: shaC, PHash: flip(hashA, 20), Hashed: true})}, Settings{}, nil, nil, nil},
		{"just past the threshold", []PhotoRef{ref("u1", "h2", "d1", Photo{SHA256: shaC, PHash: flip(hashA, 9), Hashed: true})}, Settings{}, nil, nil, nil},
		{"a hash not computed yet", []PhotoRef{ref("u1", "h2", "d1", Photo{SHA256: shaC, PHash: hashA})}, Settings{}, nil, nil, nil},
		{"a stricter setting", []PhotoRef{ref("u1", "h2", "d1", Photo{SHA256: shaC, PHash: flip(hashA, 5), Hashed: true})}, Settings{SimilarPhotoMaxBits: 4}, nil, nil, nil},
		{"checks off", []PhotoRef{ref("u1", "h2", "d1", Photo{SHA256: shaA}), ref("u2", "h3", "d1", Photo{PHash: hashA, Hashed: true})},
			Settings{Off: []Kind{SamePhoto, SimilarPhoto}}, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFlags(t, v, CheckPhotos(v, tt.refs, tt.settings), tt.want, tt.reason, tt.related)
		})
	}

	// A visit without sha256s matches nothing by an empty sha.
	blank := withPhotos(visit("v2", "h1", at(9, 30), nil), Photo{Key: "ph1"})
	if got := CheckPhotos(blank, []PhotoRef{ref("u1", "h2", "d1", Photo{Key: "x"})}, Settings{}); len(got) != 0 {
		t.Errorf("empty sha256s matched: %+v", got)
	}
}

func TestPhotoIndex(t *testing.T) {
	ix := NewPhotoIndex()
	ix.Put("u1", ref("u1", "h2", "d1", Photo{SHA256: shaA}), ref("u1", "h2", "d1", Photo{SHA256: shaC, PHash: flip(hashA, 3), Hashed: true}))
	ix.Put("u2", ref("u2", "h3", "d2", Photo{SHA256: strings.ToUpper(shaB), PHash: ^hashA, Hashed: true}))
	ix.Put("v1", ref("v1", "h1", "d1", Photo{SHA256: shaA, PHash: hashA, Hashed: true}))
	if ix.Len() != 4 {
		t.Fatalf("Len = %d, want 4", ix.Len())
	}
	v := withPhotos(visit("v1", "h1", at(9, 30), nil), Photo{SHA256: shaA, PHash: hashA, Hashed: true}, Photo{SHA256: shaB})
	visitsOf := func(refs []PhotoRef) []string {
		var ids []string
		for _, r := range refs {
			if !slices.Contains(ids, r.Visit) {
				ids = append(ids, r.Visit)
			}
		}
		return ids
	}
	if got := visitsOf(ix.Candidates(v, 8)); !slices.Equal(got, []string{"u1", "u2"}) {
		t.Errorf("candidates %v, want u1 (sha and look-alike) and u2 (sha in capitals), never v1 itself", got)
	}
	if got := kinds(CheckPhotos(v, ix.Candidates(v, 8), Settings{})); !slices.Equal(got, []Kind{SamePhoto}) {
		t.Errorf("flags %v", got)
	}

	// u1's photos replaced by an unrelated one, u2 removed: nothing left.
	ix.Put("u1", ref("u1", "h2", "d1", Photo{SHA256: shaC, PHash: ^hashA, Hashed: true}))
	ix.Put("u2")
	if got := ix.Candidates(v, 8); len(got) != 0 {
		t.Errorf("after replacing and removing: %+v", got)
	}
	// Hashes added after a removal are still found.
	ix.Put("u3", ref("u3", "h4", "d1", Photo{SHA256: "", PHash: flip(hashA, 1), Hashed: true}))
	ix.Put("u4", ref("u4", "h5", "d1", Photo{SHA256: "", PHash: flip(hashA, 2), Hashed: true}))
	if got := visitsOf(ix.Candidates(v, 8)); !slices.Equal(got, []string{"u3", "u4"}) {
		t.Errorf("after adding: %v", got)
	}
	if ix.Len() != 4 {
		t.Errorf("Len = %d, want 4", ix.Len())
	}
}
