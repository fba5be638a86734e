package analysis

import (
	"hash/fnv"
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/demand"
	"simeng/hooks/internal/fielderr"
)

// extractVersion changes when extraction itself changes (stop words,
// rules), so that an upgrade re-extracts stored terms like a dictionary
// edit does.
const extractVersion = "demand-1"

// dictState is the township dictionary (乡镇词典) as analysis_words holds
// it, read on first use and again after every change.
type dictState struct {
	mu      sync.Mutex
	loaded  bool
	dict    demand.Dictionary
	version int64
}

func (s *dictState) current(app core.App) (demand.Dictionary, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loaded {
		return s.dict, s.version, nil
	}
	d, err := loadDictionary(app)
	if err != nil {
		return demand.Dictionary{}, 0, err
	}
	s.dict, s.version, s.loaded = d, dictVersion(d), true
	return s.dict, s.version, nil
}

func (s *dictState) invalidate() {
	s.mu.Lock()
	s.loaded = false
	s.mu.Unlock()
}

// loadDictionary reads analysis_words. Entries are validated when saved;
// one that is not valid any more (or twice in a list) is skipped rather
// than stopping the analysis.
func loadDictionary(app core.App) (demand.Dictionary, error) {
	records, err := app.FindAllRecords("analysis_words")
	if err != nil {
		return demand.Dictionary{}, err
	}
	var d demand.Dictionary
	seenWord, seenIgnore := map[string]bool{}, map[string]bool{}
	for _, r := range records {
		text := demand.Normalize(r.GetString("text"))
		if demand.CheckText(text) != "" {
			continue
		}
		switch r.GetString("kind") {
		case "word":
			w := demand.Word{Text: text, Weight: r.GetFloat("weight"), POS: r.GetString("pos")}
			if seenWord[text] || demand.CheckWeight(w.Weight) != "" || demand.CheckPOS(w.POS) != "" {
				continue
			}
			seenWord[text] = true
			d.Words = append(d.Words, w)
		case "ignore":
			if !seenIgnore[text] {
				seenIgnore[text] = true
				d.Ignore = append(d.Ignore, text)
			}
		}
	}
	slices.SortFunc(d.Words, func(a, b demand.Word) int {
		if a.Text < b.Text {
			return -1
		}
		if a.Text > b.Text {
			return 1
		}
		return 0
	})
	slices.Sort(d.Ignore)
	return d, nil
}

// dictVersion is a positive number that changes with the dictionary's
// content (0 in the index means "never extracted").
func dictVersion(d demand.Dictionary) int64 {
	h := fnv.New64a()
	h.Write([]byte(extractVersion))
	for _, w := range d.Words {
		h.Write([]byte("\x00w" + w.Text + "\x00" + strconv.FormatFloat(w.Weight, 'g', -1, 64) + "\x00" + w.POS))
	}
	for _, s := range d.Ignore {
		h.Write([]byte("\x00i" + s))
	}
	v := int64(h.Sum64() & math.MaxInt64)
	if v == 0 {
		v = 1
	}
	return v
}

// bindDictionary validates dictionary entries whatever door they come in
// by, re-reads the dictionary after every change, and keeps each village's
// name in it (cut whole, not counted).
func bindDictionary(app core.App, d *desk) {
	app.OnRecordValidate("analysis_words").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		r.Set("text", demand.Normalize(r.GetString("text")))
		errs := validation.Errors{}
		if m := demand.CheckText(r.GetString("text")); m != "" {
			errs["text"] = validation.NewError("validation_invalid_word", m)
		}
		if m := demand.CheckWeight(r.GetFloat("weight")); m != "" {
			errs["weight"] = validation.NewError("validation_invalid_weight", m)
		}
		if m := demand.CheckPOS(r.GetString("pos")); m != "" {
			errs["pos"] = validation.NewError("validation_invalid_pos", m)
		}
		return fielderr.Merge(e.Next(), errs)
	})
	changed := func(e *core.RecordEvent) error {
		d.dict.invalidate()
		d.kick()
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess("analysis_words").BindFunc(changed)
	app.OnRecordAfterUpdateSuccess("analysis_words").BindFunc(changed)
	app.OnRecordAfterDeleteSuccess("analysis_words").BindFunc(changed)

	villageChanged := func(e *core.RecordEvent) error {
		if err := syncVillageWords(e.App, e.Record); err != nil {
			e.App.Logger().Error("analysis: village words", "village", e.Record.Id, "error", err)
		}
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess("villages").BindFunc(villageChanged)
	app.OnRecordAfterUpdateSuccess("villages").BindFunc(villageChanged)
}

// villageWords are the dictionary entries a village's name gives: each run
// of two or more letters (演示·桥头村 gives 演示 and 桥头村), at most
// demand.MaxWordRunes long.
func villageWords(name string) []string {
	var out []string
	var run []rune
	flush := func() {
		if len(run) >= 2 && len(run) <= demand.MaxWordRunes {
			w := demand.Normalize(string(run))
			if demand.CheckText(w) == "" && !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
		run = run[:0]
	}
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			run = append(run, r)
			continue
		}
		flush()
	}
	flush()
	return out
}

// syncVillageWords makes the village's automatic entries its name's words,
// each as a word (cut whole) and ignored (not counted: a village's name
// says where, not what). Entries staff made for the same text are left as
// they are.
func syncVillageWords(app core.App, village *core.Record) error {
	want := villageWords(village.GetString("name"))
	have, err := app.FindAllRecords("analysis_words", dbx.HashExp{"village": village.Id})
	if err != nil {
		return err
	}
	kept := map[string]bool{}
	for _, r := range have {
		if !slices.Contains(want, r.GetString("text")) {
			if err := app.Delete(r); err != nil {
				return err
			}
			continue
		}
		kept[r.GetString("kind")+"|"+r.GetString("text")] = true
	}
	col, err := app.FindCollectionByNameOrId("analysis_words")
	if err != nil {
		return err
	}
	for _, w := range want {
		for _, kind := range []string{"word", "ignore"} {
			if kept[kind+"|"+w] {
				continue
			}
			if existing, _ := app.FindFirstRecordByFilter("analysis_words", "text = {:t} && kind = {:k}",
				map[string]any{"t": w, "k": kind}); existing != nil {
				continue // staff's own entry
			}
			r := core.NewRecord(col)
			r.Set("text", w)
			r.Set("kind", kind)
			r.Set("village", village.Id)
			r.Set("note", "村（社区）名称，自动添加")
			if err := app.Save(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// ensureVillageWords adds the automatic entries of every village (those
// created before the analysis existed). Run at start.
func ensureVillageWords(app core.App) error {
	villages, err := app.FindAllRecords("villages")
	if err != nil {
		return err
	}
	for _, v := range villages {
		if err := syncVillageWords(app, v); err != nil {
			return err
		}
	}
	return nil
}

// segmentPreview is 试分词: how a text is cut with the dictionary in
// force and which terms it gives, so staff see the effect of an entry.
func segmentPreview(e *core.RequestEvent) error {
	var body struct {
		Text string `json:"text"`
	}
	if err := e.BindBody(&body); err != nil || utf8.RuneCountInString(body.Text) == 0 || utf8.RuneCountInString(body.Text) > 2000 {
		return e.BadRequestError("请填写要试分词的文字", fielderr.New("text", "validation_required", "请填写1到2000字的文字"))
	}
	d := deskOf(e.App)
	dict, version, err := d.dict.current(e.App)
	if err != nil {
		return err
	}
	terms, err := extractTexts(dict, version, []string{body.Text})
	if err != nil {
		return err
	}
	extraction.Lock()
	cut, err := demand.Cut(body.Text)
	extraction.Unlock()
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"cut": cut, "terms": terms[0]})
}

// importWords is 批量导入: the text form of demand.ParseDictionary, one
// entry a line (`词语 [权重] [词性]`, `-词语` to ignore). Entries already
// there are updated; with replace, staff's entries not in the text are
// removed (villages' automatic entries stay). All or nothing.
func importWords(e *core.RequestEvent) error {
	var body struct {
		Text    string `json:"text"`
		Replace bool   `json:"replace"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("请求格式错误", err)
	}
	dict, err := demand.ParseDictionary(body.Text)
	if err != nil {
		return e.BadRequestError("词表有误", fielderr.New("text", "validation_invalid_dictionary", err.Error()))
	}
	added, updated, removed := 0, 0, 0
	err = e.App.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCollectionByNameOrId("analysis_words")
		if err != nil {
			return err
		}
		keep := map[string]bool{}
		upsert := func(text, kind string, weight float64, pos string) error {
			text = demand.Normalize(text)
			keep[kind+"|"+text] = true
			r, _ := tx.FindFirstRecordByFilter("analysis_words", "text = {:t} && kind = {:k}", map[string]any{"t": text, "k": kind})
			if r == nil {
				r = core.NewRecord(col)
				r.Set("text", text)
				r.Set("kind", kind)
				added++
			} else {
				updated++
			}
			if kind == "word" {
				r.Set("weight", weight)
				r.Set("pos", pos)
			}
			return tx.Save(r)
		}
		for _, w := range dict.Words {
			if err := upsert(w.Text, "word", w.Weight, w.POS); err != nil {
				return err
			}
		}
		for _, s := range dict.Ignore {
			if err := upsert(s, "ignore", 0, ""); err != nil {
				return err
			}
		}
		if !body.Replace {
			return nil
		}
		all, err := tx.FindAllRecords("analysis_words")
		if err != nil {
			return err
		}
		for _, r := range all {
			if r.GetString("village") != "" || keep[r.GetString("kind")+"|"+r.GetString("text")] {
				continue
			}
			if err := tx.Delete(r); err != nil {
				return err
			}
			removed++
		}
		return nil
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]int{"added": added, "updated": updated, "removed": removed})
}
