package demand

// CutSearch exposes gse's search-mode cut for the search benchmark's
// design (b), which the package itself does not use.
func CutSearch(text string) ([]string, error) {
	if _, err := Load(); err != nil {
		return nil, err
	}
	segmenter.mu.RLock()
	defer segmenter.mu.RUnlock()
	var out []string
	for _, c := range clauses(Normalize(text)) {
		out = append(out, segmenter.seg.CutSearch(c, true)...)
	}
	return out, nil
}
