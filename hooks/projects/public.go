package projects

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"math"
	"net/http"
	"simeng/pii"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/ballot"
	"simeng/chinatime"
	"simeng/hooks/internal/pagecache"
	"simeng/hooks/proposals"
)

//go:embed page
var pageFS embed.FS

// The public page /projects/{year}: server-rendered, no JavaScript, its
// stylesheet inlined under a hash in a strict Content-Security-Policy, like
// the residents' pages. It names projects, villages and units (public
// bodies), never a person: no deputy, no contact, no comment (a comment
// may name someone), no phone.
var (
	pageTmpl = template.Must(template.ParseFS(pageFS, "page/public.html"))
	pageCSS  = func() template.CSS {
		b, err := pageFS.ReadFile("page/public.css")
		if err != nil {
			panic(err)
		}
		return template.CSS(b)
	}()
	pageCSP = func() string {
		sum := sha256.Sum256([]byte(pageCSS))
		return "default-src 'none'; style-src 'unsafe-inline' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
			"img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
	}()
)

// pageCache keeps each year's page rendered: any write to the collections
// the page reads forgets them all, and a page is rendered again after a
// minute anyway (progress percentages age). At most one entry per valid
// year (2020–2100), so a flood of requests cannot grow it.
type pageCache struct {
	mu      sync.Mutex
	version int
	pages   map[int]cachedPage
}

type cachedPage struct {
	version int
	at      time.Time
	page    *pagecache.Page // compressed once, not per request
}

const pageTTL = time.Minute

func cacheFor(app core.App) *pageCache {
	return app.Store().GetOrSet("simeng.projectsPage", func() any { return &pageCache{pages: map[int]cachedPage{}} }).(*pageCache)
}

func (c *pageCache) forget() {
	c.mu.Lock()
	c.version++
	c.pages = map[int]cachedPage{}
	c.mu.Unlock()
}

// pageSources are the collections whose writes change a year's page.
var pageSources = []string{Collection, MilestonesCol, ReportsCol, VotesCol, EvaluationsCol, "units", "villages"}

func bindPublic(app core.App) {
	forget := func(e *core.RecordEvent) error {
		cacheFor(e.App).forget()
		return e.Next()
	}
	for _, col := range pageSources {
		app.OnRecordAfterCreateSuccess(col).BindFunc(forget)
		app.OnRecordAfterUpdateSuccess(col).BindFunc(forget)
		app.OnRecordAfterDeleteSuccess(col).BindFunc(forget)
	}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/projects/{year}", handlePublic) // kept gzipped (cachedPage)
		return se.Next()
	})
}

func handlePublic(e *core.RequestEvent) error {
	year, err := strconv.Atoi(e.Request.PathValue("year"))
	if err != nil || year < 2020 || year > 2100 || strconv.Itoa(year) != e.Request.PathValue("year") {
		return e.NotFoundError("没有这一年的民生实事。", nil)
	}
	c := cacheFor(e.App)
	c.mu.Lock()
	hit, ok := c.pages[year]
	version := c.version
	c.mu.Unlock()
	page := hit.page
	if !ok || hit.version != version || time.Since(hit.at) > pageTTL {
		body, err := renderPublic(e.App, year, time.Now())
		if err == nil {
			page, err = pagecache.Whole(body)
		}
		if err != nil {
			return e.InternalServerError("", err)
		}
		c.mu.Lock()
		if c.version == version {
			c.pages[year] = cachedPage{version: version, at: time.Now(), page: page}
		}
		c.mu.Unlock()
	}
	h := e.Response.Header()
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("Cache-Control", "public, max-age=60")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	return page.Write(e.Response, e.Request, http.StatusOK, "")
}

type publicProject struct {
	Rank                                 int
	Title, Status, StatusLabel, Villages string
	Unit                                 string
	Budget, Spent                        string
	Progress                             int
	MilestonesDone, MilestonesTotal      int
	Overdue                              int
	Next                                 string
	Evaluated                            bool
	Satisfied, Basic, Unsatisfied        int
	SatisfactionRate, FullRate           string
}

type publicLine struct {
	Title, Outcome string
	Votes, Rank    int
}

type publicVote struct {
	ID, Title, Void, Digest                           string
	Expected, Registered, Cast, Valid, Blank, Spoiled int
	Majority                                          bool
	Line                                              int
	Lines                                             []publicLine
}

type publicEvaluation struct {
	Title                string
	Registered, Expected int
}

// money shows 万元 to the cent (0.0001 万元 is one yuan; two decimals is
// how the township's reports write it), without trailing zeros.
func money(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

func pctOf(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
}

// renderPublic renders year's page as of now.
func renderPublic(app core.App, year int, now time.Time) ([]byte, error) {
	recs, err := app.FindRecordsByFilter(Collection, "year = {:y} && (status = 'chosen' || status = 'in_progress' || status = 'done')",
		"rank,title", 0, 0, dbx.Params{"y": year})
	if err != nil {
		return nil, err
	}
	var villageIDs, unitIDs []string
	for _, p := range recs {
		villageIDs = append(villageIDs, p.GetStringSlice("villages")...)
		unitIDs = append(unitIDs, p.GetString("unit"))
	}
	villages, err := proposals.Names(app, "villages", villageIDs)
	if err != nil {
		return nil, err
	}
	units, err := proposals.Names(app, "units", unitIDs)
	if err != nil {
		return nil, err
	}
	data := map[string]any{"Year": year, "AppName": app.Settings().Meta.AppName, "CSS": pageCSS,
		"AsOf": chinatime.In(now).Format("2006年1月2日 15:04")}
	projects := []publicProject{}
	for _, p := range recs {
		names := []string{}
		for _, v := range p.GetStringSlice("villages") {
			names = append(names, villages[v])
		}
		pp := publicProject{Rank: p.GetInt("rank"), Title: pii.MaskNumbersInText(p.GetString("title")), Status: p.GetString("status"),
			StatusLabel: statusLabel(p.GetString("status")), Villages: strings.Join(names, "、"), Unit: units[p.GetString("unit")],
			Budget: money(p.GetFloat("budget")), Spent: money(p.GetFloat("spent")), Progress: p.GetInt("progress_pct")}
		ms, err := app.FindRecordsByFilter(MilestonesCol, "project = {:p}", "due", 0, 0, dbx.Params{"p": p.Id})
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			pp.MilestonesTotal++
			switch {
			case !m.GetDateTime("done_at").IsZero():
				pp.MilestonesDone++
			case pp.Next == "":
				pp.Next = m.GetString("title") + "（" + chinatime.Date(m.GetDateTime("due").Time()) + "）"
				fallthrough
			default:
				if m.GetBool("overdue") {
					pp.Overdue++
				}
			}
		}
		var ev ProjectEvaluation
		if raw, err := json.Marshal(p.Get("evaluation")); err == nil && json.Unmarshal(raw, &ev) == nil && ev.Rated > 0 {
			pp.Evaluated = true
			pp.Satisfied, pp.Basic, pp.Unsatisfied = ev.Satisfied, ev.Basic, ev.Unsatisfied
			pp.SatisfactionRate, pp.FullRate = pctOf(ev.SatisfactionRate), pctOf(ev.FullRate)
		}
		projects = append(projects, pp)
	}
	data["Projects"] = projects

	votes, err := app.FindRecordsByFilter(VotesCol, "year = {:y} && status = 'counted'", "counted_at", 0, 0, dbx.Params{"y": year})
	if err != nil {
		return nil, err
	}
	pv := []publicVote{}
	for _, v := range votes {
		var res ballot.Result
		raw, _ := json.Marshal(v.Get("result"))
		_ = json.Unmarshal(raw, &res)
		cands, err := titles(app, v.GetStringSlice("candidates"))
		if err != nil {
			return nil, err
		}
		out := publicVote{ID: v.Id, Title: v.GetString("title"), Void: res.Void, Digest: digestGroups(res.Digest),
			Expected: len(v.GetStringSlice("expected")), Registered: res.Registered, Cast: res.Cast, Valid: res.Valid,
			Blank: res.Blank, Spoiled: res.Spoiled, Majority: res.Rules.Majority, Line: res.Rules.MajorityLine()}
		for _, l := range res.Lines {
			out.Lines = append(out.Lines, publicLine{Title: pii.MaskNumbersInText(cands[l.Candidate]), Votes: l.Votes, Rank: l.Rank, Outcome: l.Outcome.Label()})
		}
		pv = append(pv, out)
	}
	data["Votes"] = pv

	evals, err := app.FindRecordsByFilter(EvaluationsCol, "year = {:y} && status = 'closed'", "closed_at", 0, 0, dbx.Params{"y": year})
	if err != nil {
		return nil, err
	}
	pe := []publicEvaluation{}
	for _, ev := range evals {
		pe = append(pe, publicEvaluation{Title: ev.GetString("title"), Registered: ev.GetInt("registered"), Expected: len(ev.GetStringSlice("expected"))})
	}
	data["Evaluations"] = pe

	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// titles are the titles of the projects ids, keyed by id.
func titles(app core.App, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for _, id := range ids {
		p, err := app.FindRecordById(Collection, id)
		if err != nil {
			return nil, err
		}
		out[id] = p.GetString("title")
	}
	return out, nil
}

// digestGroups writes a ballot digest ("sha256:" and 64 hex digits) in
// groups of eight, as fingerprints are read out and compared by eye: run
// together, its digits could also pass for a phone number (an 11-digit run
// from 13 to 19 turns up in about one digest of 40).
func digestGroups(digest string) string {
	algo, hex, ok := strings.Cut(digest, ":")
	if !ok {
		algo, hex = "", digest
	}
	var b strings.Builder
	if algo != "" {
		b.WriteString(algo + ":")
	}
	for i := 0; i < len(hex); i += 8 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(hex[i:min(i+8, len(hex))])
	}
	return b.String()
}
