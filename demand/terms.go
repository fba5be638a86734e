package demand

import "unicode/utf8"

// Terms are what one text is about: its distinct normalised terms and the
// phrases formed by adjacent terms, each in order of first appearance.
type Terms struct {
	Words   []string `json:"words"`
	Phrases []string `json:"phrases"`
}

// maxPhraseGap is how many dropped tokens (stop words, numbers, single
// characters) may stand between the two terms of a phrase: 自来水经常停水
// gives 自来水停水 across 经常. Punctuation and conjunctions (和, 或…)
// always end a phrase.
const maxPhraseGap = 2

// Extract segments text and keeps its terms: not punctuation, not a stop
// word (built-in or ignored by the township), not a number or count (2024,
// 3组, 一个多月), not a single character unless it is whitelisted or a
// township word; a township word always unless it is also ignored. Phrases are two terms next to each other in one clause, joined
// without a space (路灯不亮); which of them recur is the aggregation's
// business. It loads gse's dictionary on first use.
func Extract(text string) (Terms, error) {
	if _, err := Load(); err != nil {
		return Terms{}, err
	}
	var t Terms
	seenWord := map[string]bool{}
	seenPhrase := map[string]bool{}
	segmenter.mu.RLock()
	for _, clause := range clauses(Normalize(text)) {
		prev, gap := "", 0
		for _, tok := range segmenter.seg.Cut(clause, true) {
			if !isTerm(tok) {
				gap++
				if _, ok := conjunctions[tok]; ok {
					prev = ""
				}
				continue
			}
			if !seenWord[tok] {
				seenWord[tok] = true
				t.Words = append(t.Words, tok)
			}
			if prev != "" && prev != tok && gap <= maxPhraseGap {
				if p := prev + tok; !seenPhrase[p] {
					seenPhrase[p] = true
					t.Phrases = append(t.Phrases, p)
				}
			}
			prev, gap = tok, 0
		}
	}
	segmenter.mu.RUnlock()
	return t, nil
}

// isTerm decides whether a non-punctuation token is a term. Called with
// segmenter.mu held.
func isTerm(tok string) bool {
	if _, ok := segmenter.stop[tok]; ok {
		return false
	}
	if _, ok := segmenter.words[tok]; ok {
		return true
	}
	if isNumeric(tok) {
		return false
	}
	if utf8.RuneCountInString(tok) == 1 {
		_, ok := segmenter.keep[tok]
		return ok
	}
	return true
}
