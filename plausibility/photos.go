package plausibility

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Photo is one photo of a visit: the sha256 the phone declared in the
// manifest and, once the file arrived and was hashed, its perceptual hash.
type Photo struct {
	Key    string
	SHA256 string // hex, as declared
	PHash  PHash
	Hashed bool // PHash is set
}

// PhotoRef is a photo of another visit, with what a reason needs of it.
type PhotoRef struct {
	Photo
	Visit     string
	Household string
	Deputy    string
	VisitedAt time.Time
}

// CheckPhotos raises SamePhoto when one of the visit's photos has the sha256
// of a photo of a visit to another household, and SimilarPhoto when its
// perceptual hash is within s.SimilarPhotoMaxBits of one. Photos of the same
// household (the same house photographed on two visits) never match.
func CheckPhotos(v Visit, refs []PhotoRef, s Settings) []Flag {
	s = s.Normalized()
	type match struct {
		photo int
		ref   PhotoRef
	}
	var same, similar []match
	sameVisit := map[string]bool{}
	for i, p := range v.Photos {
		for _, r := range refs {
			if r.Visit == v.ID || r.Household == v.Household {
				continue
			}
			switch {
			case p.SHA256 != "" && strings.EqualFold(r.SHA256, p.SHA256):
				same = append(same, match{i, r})
				sameVisit[r.Visit] = true
			case p.Hashed && r.Hashed && p.PHash.Distance(r.PHash) <= s.SimilarPhotoMaxBits:
				similar = append(similar, match{i, r})
			}
		}
	}
	// A visit already flagged for an exact copy of a photo is not flagged
	// again for a look-alike on the same other visit.
	similar = slices.DeleteFunc(similar, func(m match) bool { return sameVisit[m.ref.Visit] })

	var flags []Flag
	for _, c := range []struct {
		kind    Kind
		matches []match
		how     string
	}{{SamePhoto, same, "完全相同"}, {SimilarPhoto, similar, "高度相似"}} {
		if len(c.matches) == 0 || !s.on(c.kind) {
			continue
		}
		others := make([]*Visit, len(c.matches))
		for i, m := range c.matches {
			others[i] = &Visit{ID: m.ref.Visit, VisitedAt: m.ref.VisitedAt}
		}
		ids := relatedIDs(others)
		first := c.matches[0]
		flags = append(flags, Flag{Kind: c.kind, Visit: v.ID,
			Reason: photoMatchText(first.photo, first.ref, v, c.how) + alsoVisitsText(len(ids)), Related: ids})
	}
	return flags
}

func photoMatchText(i int, r PhotoRef, v Visit, how string) string {
	who := ""
	if r.Deputy != v.Deputy {
		who = "另一位代表"
	}
	return fmt.Sprintf("第 %d 张照片与%s %s 走访另一户的照片%s", i+1, who, whenText(r.VisitedAt, v.VisitedAt), how)
}

// alsoVisitsText mentions the other visits with a matching photo.
func alsoVisitsText(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf("；共涉及 %d 次其他走访", n)
}
