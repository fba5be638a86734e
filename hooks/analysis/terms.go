package analysis

import (
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/demand"
)

// Terms are extracted off the write path: a write leaves its row's words
// NULL; the worker (started by a real serve only) extracts pending rows in
// batches, and every view first extracts what is still pending, up to
// flushLimit, so that what was just written is counted. Rows extracted
// with another dictionary version are pending too: editing the township
// dictionary re-extracts everything in the background.
const (
	extractBatch = 500
	flushLimit   = 2000
)

// extraction is the process's one gse segmenter with the dictionary
// applied to it (package demand keeps one per process). Apps in one process
// (tests) may hold different dictionaries: each extraction applies its
// own first.
var extraction struct {
	sync.Mutex
	version int64
}

func extractTexts(dict demand.Dictionary, version int64, texts []string) ([]demand.Terms, error) {
	extraction.Lock()
	defer extraction.Unlock()
	if extraction.version != version {
		if err := demand.Apply(dict); err != nil {
			return nil, err
		}
		extraction.version = version
	}
	out := make([]demand.Terms, len(texts))
	for i, t := range texts {
		terms, err := demand.Extract(t)
		if err != nil {
			return nil, err
		}
		out[i] = terms
	}
	return out, nil
}

// pendingWhere selects the rows whose terms are missing or were extracted
// with another dictionary version. A row without terms has dict_version 0
// (the column's default; putRecord resets it with the words) and versions
// are never 0, so "words IS NULL OR dict_version != v" is this range, which
// reads the index demand_index_version: every view asks it, and a scan of
// 100,000 rows cost each of them tens of milliseconds when nothing waits.
const pendingWhere = `(dict_version < {:v} OR dict_version > {:v})`

type pendingRow struct {
	RowID    int64  `db:"rowid"`
	Record   string `db:"record"`
	Kind     string `db:"kind"`
	Village  string `db:"village"`
	Category string `db:"category"`
	At       string `db:"at"`
}

// extractPending extracts the terms of up to limit pending rows and
// returns how many it did.
func extractPending(app core.App, d *desk, limit int) (int, error) {
	dict, version, err := d.dict.current(app)
	if err != nil {
		return 0, err
	}
	var rows []pendingRow
	err = app.DB().NewQuery(`SELECT rowid, record, kind, village, category, at FROM demand_index
		WHERE ` + pendingWhere + ` LIMIT {:n}`).
		Bind(dbx.Params{"v": version, "n": limit}).All(&rows)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	texts, err := d.textsOf(app, rows)
	if err != nil {
		return 0, err
	}
	in := make([]string, len(rows))
	for i, r := range rows {
		in[i] = texts[r.Record]
	}
	terms, err := extractTexts(dict, version, in)
	if err != nil {
		return 0, err
	}

	var docs []demand.Doc
	err = app.RunInTransaction(func(tx core.App) error {
		docs = docs[:0]
		// A record whose text changed meanwhile is left pending: its new
		// text is extracted next time.
		now, err := d.textsOf(tx, rows)
		if err != nil {
			return err
		}
		for i, r := range rows {
			if _, ok := now[r.Record]; !ok || now[r.Record] != in[i] {
				continue
			}
			_, err := tx.DB().NewQuery(`UPDATE demand_index SET words = {:w}, phrases = {:p}, dict_version = {:v} WHERE rowid = {:id}`).
				Bind(dbx.Params{"w": strings.Join(terms[i].Words, " "), "p": strings.Join(terms[i].Phrases, " "),
					"v": version, "id": r.RowID}).Execute()
			if err != nil {
				return err
			}
			docs = append(docs, demand.Doc{ID: r.Record, Village: r.Village, Category: r.Category,
				At: parseStored(r.At), Words: terms[i].Words, Phrases: terms[i].Phrases})
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	d.putDocs(docs...)
	return len(rows), nil
}

// textsOf loads the current text of each row's record, by source.
func (d *desk) textsOf(app core.App, rows []pendingRow) (map[string]string, error) {
	ids := map[string][]string{}
	for _, r := range rows {
		_, id, _ := splitKey(r.Record)
		ids[r.Kind] = append(ids[r.Kind], id)
	}
	out := make(map[string]string, len(rows))
	for kind, list := range ids {
		s := d.sourceOf(kind)
		if s == nil {
			continue
		}
		records, err := app.FindRecordsByIds(kind, list)
		if err != nil {
			return nil, err
		}
		for _, r := range records {
			out[recordKey(kind, r.Id)] = s.text(r)
		}
	}
	return out, nil
}

// pendingCount is how many rows wait for extraction.
func pendingCount(app core.App, version int64) int {
	var n int
	_ = app.DB().NewQuery(`SELECT count(*) FROM demand_index WHERE ` + pendingWhere).
		Bind(dbx.Params{"v": version}).Row(&n)
	return n
}

// ready extracts what is pending (up to flushLimit) and returns the corpus
// and how many rows are still pending (a dictionary change over many
// records is finished by the worker).
func (d *desk) ready(app core.App) (*demand.Corpus, int, error) {
	done := 0
	for done < flushLimit {
		n, err := extractPending(app, d, extractBatch)
		if err != nil {
			return nil, 0, err
		}
		if n == 0 {
			break
		}
		done += n
	}
	c, err := d.corpusOf(app)
	if err != nil {
		return nil, 0, err
	}
	_, version, err := d.dict.current(app)
	if err != nil {
		return nil, 0, err
	}
	return c, pendingCount(app, version), nil
}

// corpusOf returns the app's corpus, building it from the index on first
// use.
func (d *desk) corpusOf(app core.App) (*demand.Corpus, error) {
	d.corpusMu.Lock()
	defer d.corpusMu.Unlock()
	if d.corpus != nil {
		return d.corpus, nil
	}
	var rows []struct {
		Record   string `db:"record"`
		Village  string `db:"village"`
		Category string `db:"category"`
		At       string `db:"at"`
		Words    string `db:"words"`
		Phrases  string `db:"phrases"`
	}
	err := app.DB().NewQuery(`SELECT record, village, category, at, words, phrases FROM demand_index WHERE words IS NOT NULL`).All(&rows)
	if err != nil {
		return nil, err
	}
	docs := make([]demand.Doc, len(rows))
	for i, r := range rows {
		docs[i] = demand.Doc{ID: r.Record, Village: r.Village, Category: r.Category, At: parseStored(r.At),
			Words: strings.Fields(r.Words), Phrases: strings.Fields(r.Phrases)}
	}
	d.corpus = demand.NewCorpus(docs...)
	d.generation++
	return d.corpus, nil
}

func (d *desk) putDocs(docs ...demand.Doc) {
	if len(docs) == 0 {
		return
	}
	d.corpusMu.Lock()
	defer d.corpusMu.Unlock()
	if d.corpus != nil {
		d.corpus.Put(docs...)
		d.generation++
	}
}

func (d *desk) resetCorpus() {
	d.corpusMu.Lock()
	d.corpus = nil
	d.generation++
	d.corpusMu.Unlock()
}

// synced brings the corpus in line with a record's row after its write
// committed: gone from the index, gone from the corpus; terms kept (text
// unchanged), village, category and time refreshed; terms cleared, left
// for extraction.
func (d *desk) synced(app core.App, key string) {
	d.kick()
	d.corpusMu.Lock()
	c := d.corpus
	d.corpusMu.Unlock()
	if c == nil {
		return
	}
	var row struct {
		Village  string  `db:"village"`
		Category string  `db:"category"`
		At       string  `db:"at"`
		Words    *string `db:"words"`
		Phrases  *string `db:"phrases"`
	}
	err := app.DB().NewQuery(`SELECT village, category, at, words, phrases FROM demand_index WHERE record = {:r}`).
		Bind(dbx.Params{"r": key}).One(&row)
	d.corpusMu.Lock()
	defer d.corpusMu.Unlock()
	if d.corpus != c {
		return // rebuilt meanwhile, from the committed rows
	}
	switch {
	case err != nil:
		c.Delete(key)
	case row.Words != nil:
		var phrases []string
		if row.Phrases != nil {
			phrases = strings.Fields(*row.Phrases)
		}
		c.Put(demand.Doc{ID: key, Village: row.Village, Category: row.Category, At: parseStored(row.At),
			Words: strings.Fields(*row.Words), Phrases: phrases})
	default:
		c.Delete(key) // pending: counted again once extracted
	}
	d.generation++
}

// worker extracts pending terms in the background of a serving app.
type worker struct {
	kickc chan struct{}
	stop  chan struct{}
	done  chan struct{}
}

func (d *desk) kick() {
	if w := d.worker; w != nil {
		select {
		case w.kickc <- struct{}{}:
		default:
		}
	}
}

// bindWorker starts the worker when the app really serves (tests trigger
// OnServe without a server and never start it) and stops it on terminate.
func bindWorker(app core.App, d *desk) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if se.Server != nil && d.worker == nil {
			w := &worker{kickc: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
			d.worker = w
			go w.run(se.App, d)
		}
		return se.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		if w := d.worker; w != nil {
			select {
			case <-w.stop:
			default:
				close(w.stop)
			}
			select {
			case <-w.done:
			case <-time.After(5 * time.Second):
			}
		}
		return e.Next()
	})
}

func (w *worker) run(app core.App, d *desk) {
	defer close(w.done)
	log := app.Logger().With("capability", "analysis")
	if err := ensureVillageWords(app); err != nil {
		log.Error("village words", "error", err)
	}
	if err := indexMissingSources(app); err != nil {
		log.Error("index check", "error", err)
	}
	if took, err := demand.Load(); err != nil {
		log.Error("gse dictionary", "error", err)
		return
	} else {
		log.Debug("gse dictionary loaded", "took", took)
	}
	warm := true
	for {
		for {
			select {
			case <-w.stop:
				return
			default:
			}
			n, err := extractPending(app, d, extractBatch)
			if err != nil {
				log.Error("extract terms", "error", err)
				break
			}
			if n == 0 {
				break
			}
		}
		if warm {
			// The first view after a start should not pay for the corpus
			// and two years of monthly counts.
			warm = false
			if _, err := d.corpusOf(app); err != nil {
				log.Error("corpus", "error", err)
			}
			if _, err := d.counts.get(app, recentMonths(time.Now(), 2*trendMonths)); err != nil {
				log.Error("monthly counts", "error", err)
			}
		}
		select {
		case <-w.stop:
			return
		case <-w.kickc:
		case <-time.After(time.Minute):
		}
	}
}
