// Package demand analyses what residents ask for (高频诉求分析, R15) without
// PocketBase: Chinese word segmentation with gse's embedded dictionary plus
// the township's own words (乡镇词典), term and phrase extraction, top terms
// per period and village with their change against the previous period,
// recurring problems from one village, and the text an SQLite FTS5 index
// stores and the MATCH expression that searches it.
//
// Cost model. Segmentation needs gse's dictionary, loaded once per process on
// first use (about 0.7 s, 48 MB of heap, resident memory 8 → 98 MB; see
// Load and BenchmarkLoad) and linked into the binary (+33 MB: gse embeds its
// Japanese and traditional dictionaries too). Everything else —
// aggregation, recurrence, search (IndexText, Query) — works on strings and
// term lists and never loads it, so tests and write paths that do not
// extract terms do not pay for it (TestAnalysisDoesNotLoadGse).
package demand

import "simeng/chinatime"

// China is the township's time zone (package chinatime): periods are China
// months, quarters and years.
var China = chinatime.Location()
