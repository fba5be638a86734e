package demand

import (
	"fmt"
	"sync"
	"time"

	"github.com/go-ego/gse"
)

// minTokenFreq drops gse dictionary entries rarer than this while loading.
// gse's default (2) keeps 352k simplified entries, many of them HMM-era junk
// such as 灯不亮 (freq 3) that makes 路灯不亮 come out as 路/灯不亮; at 5 the
// dictionary has 140k entries, loads in a third of the time with a quarter
// of the heap, and complaint texts segment better. Words it drops are still
// found by gse's HMM for unknown words.
const minTokenFreq = 5

// minAutoWeight is the least frequency a township word gets when its weight
// is automatic, so that a neighbour rarely steals one of its characters.
const minAutoWeight = 2000

// offlineDictPath is where gse would look for dictionary files if asked to
// read any. It does not exist, so a gse change that starts reading files
// fails loudly instead of reading the module cache on a developer's machine
// and nothing in production.
const offlineDictPath = "/nonexistent/gse-embedded-only/gse.go"

// segmenter is the process's one gse segmenter. gse keeps its HMM model in
// package globals and its dictionary in a trie that adding words mutates, so
// there is exactly one, loaded once, and township words are applied to it
// under mu.
var segmenter struct {
	once     sync.Once
	seg      *gse.Segmenter
	err      error
	loadTime time.Duration

	mu    sync.RWMutex
	dict  Dictionary // applied, normalised
	words map[string]Word
	stop  map[string]struct{}
	keep  map[string]struct{}
	// added holds the township words put into gse's trie and what the trie
	// had for them before, so a later Apply can undo them.
	added map[string]addedWord
}

type addedWord struct {
	word      Word
	hadBefore bool
	freq      float64
	pos       string
}

func init() {
	segmenter.words, segmenter.keep, segmenter.stop = compile(Dictionary{})
	segmenter.added = map[string]addedWord{}
}

// compile turns a normalised dictionary into the lookups Extract uses:
// built-in words plus the township's (theirs win), the single characters
// kept as terms, and the stop list (built-in, less the township's words,
// plus the township's ignored words).
func compile(d Dictionary) (words map[string]Word, keep, stop map[string]struct{}) {
	words = make(map[string]Word, len(builtinWords)+len(d.Words))
	for _, w := range builtinWords {
		words[w.Text] = w
	}
	keep = make(map[string]struct{}, len(builtinKeep)+len(d.Words))
	for k := range builtinKeep {
		keep[k] = struct{}{}
	}
	for _, w := range d.Words {
		words[w.Text] = w
		keep[w.Text] = struct{}{}
	}
	stop = make(map[string]struct{}, len(builtinStop)+len(d.Ignore))
	for k := range builtinStop {
		if _, ok := words[k]; !ok {
			stop[k] = struct{}{}
		}
	}
	for _, s := range d.Ignore {
		stop[s] = struct{}{}
	}
	return words, keep, stop
}

// Load loads gse's embedded simplified-Chinese dictionary if it is not
// loaded yet and returns how long the load took. It reads no file and opens
// no connection: the dictionary is compiled into the binary. Extract and Cut
// call it on first use; a server calls it in the background at start so
// that the first analysis view does not wait.
func Load() (time.Duration, error) {
	segmenter.once.Do(func() {
		start := time.Now()
		seg := &gse.Segmenter{SkipLog: true, DictPath: offlineDictPath, MinTokenFreq: minTokenFreq}
		if err := seg.LoadDictEmbed("zh_s"); err != nil {
			segmenter.err = fmt.Errorf("gse embedded dictionary: %w", err)
			return
		}
		if seg.Dict == nil || seg.Dict.NumTokens() == 0 {
			segmenter.err = fmt.Errorf("gse embedded dictionary is empty (built with the ne tag?)")
			return
		}
		segmenter.mu.Lock()
		segmenter.seg = seg
		syncWords()
		segmenter.mu.Unlock()
		segmenter.loadTime = time.Since(start)
	})
	return segmenter.loadTime, segmenter.err
}

// Loaded reports whether gse's dictionary is in memory, so tests can prove
// a path did not load it.
func Loaded() bool {
	segmenter.mu.RLock()
	defer segmenter.mu.RUnlock()
	return segmenter.seg != nil
}

// Apply makes d the township dictionary from now on, without a restart:
// words are added to (and earlier ones removed from) the loaded segmenter,
// and the stop list is rebuilt. It does not load gse: if the dictionary is
// not loaded yet, the words are added when it is. Terms extracted before
// stay as they were; the caller re-extracts stored terms (see the design).
func Apply(d Dictionary) error {
	if err := d.Validate(); err != nil {
		return err
	}
	d = d.normalized()
	words, keep, stop := compile(d)

	segmenter.mu.Lock()
	defer segmenter.mu.Unlock()
	segmenter.dict, segmenter.words, segmenter.stop, segmenter.keep = d, words, stop, keep
	if segmenter.seg != nil {
		syncWords()
	}
	return nil
}

// Applied returns the township dictionary in force, normalised and sorted.
func Applied() Dictionary {
	segmenter.mu.RLock()
	defer segmenter.mu.RUnlock()
	return segmenter.dict
}

// syncWords brings gse's trie in line with segmenter.words. Called with mu
// held for writing and seg loaded.
func syncWords() {
	seg := segmenter.seg
	for text, a := range segmenter.added {
		if w, ok := segmenter.words[text]; ok && w == a.word {
			continue
		}
		_ = seg.RemoveToken(text)
		if a.hadBefore {
			_ = seg.AddToken(text, a.freq, a.pos)
		}
		delete(segmenter.added, text)
	}
	for text, w := range segmenter.words {
		if _, ok := segmenter.added[text]; ok {
			continue
		}
		a := addedWord{word: w}
		a.freq, a.pos, a.hadBefore = seg.Find(text)
		a.hadBefore = a.hadBefore && a.freq > 0
		freq := w.Weight
		if freq == 0 {
			freq = autoWeight(seg, text, a.freq)
		}
		if a.hadBefore {
			_ = seg.RemoveToken(text)
		}
		_ = seg.AddToken(text, freq, w.POS)
		segmenter.added[text] = a
	}
}

// autoWeight is jieba's suggest_freq: the frequency at which text, cut
// alone, beats its current split (the product of its parts' probabilities),
// never less than what it has or minAutoWeight.
func autoWeight(seg *gse.Segmenter, text string, had float64) float64 {
	total := seg.Dict.TotalFreq()
	p := 1.0
	for _, part := range seg.Cut(text, true) {
		f, _, ok := seg.Find(part)
		if !ok || f <= 0 {
			f = 1
		}
		p *= f / total
	}
	return max(p*total+1, had, minAutoWeight)
}

// Cut returns the gse tokens of the normalised text, stop words included
// and punctuation left out: what the staff's 「试分词」 preview shows after editing
// the dictionary.
func Cut(text string) ([]string, error) {
	if _, err := Load(); err != nil {
		return nil, err
	}
	segmenter.mu.RLock()
	defer segmenter.mu.RUnlock()
	var out []string
	for _, c := range clauses(Normalize(text)) {
		out = append(out, segmenter.seg.Cut(c, true)...)
	}
	return out, nil
}
