package projects

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"simeng/ballot"
	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/proposals"
)

// 票决: staff prepare a vote (candidates of the year, a 人代会 meeting) as a
// draft through the records API and then, at the session:
//
//	POST /api/votes/{id}/open              staff: the meeting's expected deputies may vote
//	POST /api/votes/{id}/ballot            an expected deputy, once: {"choices":[project ids]} → {"voted":true}
//	POST /api/votes/{id}/paper/register    staff: tick a deputy who put a paper ballot in the box {"deputy":id}
//	POST /api/votes/{id}/close             staff: no more ballots
//	POST /api/votes/{id}/paper/ballots     staff, once closed and the box mixed: the paper ballots typed in {"ballots":[{"choices":[…],"spoiled":false}]}
//	POST /api/votes/{id}/count             staff: the count, public; the chosen projects become the year's
//	GET  /api/votes/{id}/sheet             deputies, staff: the candidates and whether the caller voted
//	GET  /api/votes/{id}/ballots[?format=csv] anyone, once counted: every ballot, the result and its digest, to recount
func bindVotes(app core.App) {
	bindVoteRecords(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		office := access.RequireOffice("只有工作人员可以主持票决。")
		se.Router.POST("/api/votes/{id}/open", handleVoteOpen).BindFunc(office)
		se.Router.POST("/api/votes/{id}/close", handleVoteClose).BindFunc(office)
		se.Router.POST("/api/votes/{id}/count", handleVoteCount).BindFunc(office)
		se.Router.POST("/api/votes/{id}/paper/register", handlePaperRegister).BindFunc(office)
		se.Router.POST("/api/votes/{id}/paper/ballots", handlePaperBallots).BindFunc(office).Bind(apis.BodyLimit(1 << 20))
		// No success log: the request log would keep each vote's moment.
		se.Router.POST("/api/votes/{id}/ballot", handleBallot).BindFunc(access.RequireActiveDeputy).
			Bind(apis.SkipSuccessActivityLog(), apis.BodyLimit(64<<10))
		se.Router.GET("/api/votes/{id}/sheet", handleVoteSheet)
		se.Router.GET("/api/votes/{id}/ballots", handleBallots).Bind(apis.Gzip())
		return se.Next()
	})
}

var serverVoteFields = []string{"expected", "registered", "opened_at", "closed_at", "counted_at", "result", "digest", "runoff_of"}

// bindVoteRecords checks a draft vote whatever the door: the meeting is a
// 人代会, the candidates are that year's candidate projects, the rules
// (defaults from the settings) hold; the server's fields are its own.
func bindVoteRecords(app core.App) {
	app.OnRecordCreateRequest(VotesCol).BindFunc(func(e *core.RecordRequestEvent) error {
		for _, f := range serverVoteFields {
			e.Record.Set(f, nil)
		}
		e.Record.Set("status", "draft")
		s, err := proposals.ReadSettings(e.App)
		if err != nil {
			return err
		}
		if e.Record.GetInt("seats") == 0 {
			e.Record.Set("seats", s.VoteSeats)
		}
		if e.Record.GetInt("max_choices") == 0 {
			e.Record.Set("max_choices", min(s.VoteMaxChoices, e.Record.GetInt("seats")))
		}
		if !hasKey(e, "majority") {
			e.Record.Set("majority", s.VoteMajority)
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest(VotesCol).BindFunc(func(e *core.RecordRequestEvent) error {
		old := e.Record.Original()
		for _, f := range append(serverVoteFields, "status") {
			e.Record.Set(f, old.Get(f))
		}
		return e.Next()
	})
	app.OnRecordValidate(VotesCol).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("status") != "draft" {
			return e.Next()
		}
		errs := validation.Errors{}
		if m, err := e.App.FindRecordById("meetings", e.Record.GetString("meeting")); err != nil || m.GetString("kind") != "congress_session" {
			errs["meeting"] = validation.NewError("validation_not_congress", "票决须在镇人民代表大会（会议类型 congress_session）上进行")
		}
		year := e.Record.GetInt("year")
		for _, id := range e.Record.GetStringSlice("candidates") {
			p, err := e.App.FindRecordById(Collection, id)
			if err != nil || p.GetInt("year") != year || p.GetString("status") != Candidate {
				errs["candidates"] = validation.NewError("validation_not_candidate", "候选项目须是本年度状态为「候选」的民生实事项目")
				break
			}
		}
		for f, msg := range rulesOf(e.Record, 1).Validate(e.Record.GetStringSlice("candidates")) {
			if f != "expected" {
				errs[f] = validation.NewError("validation_vote_rules", msg)
			}
		}
		return fielderr.Merge(e.Next(), errs)
	})
}

func hasKey(e *core.RecordRequestEvent, key string) bool {
	info, err := e.RequestInfo()
	if err != nil {
		return false
	}
	_, ok := info.Body[key]
	return ok
}

// rulesOf are a vote's rules, expected deputies given.
func rulesOf(v *core.Record, expected int) ballot.Rules {
	return ballot.Rules{Seats: v.GetInt("seats"), MaxChoices: v.GetInt("max_choices"), Expected: expected, Majority: v.GetBool("majority")}
}

func findVote(e *core.RequestEvent) (*core.Record, error) {
	v, err := e.App.FindRecordById(VotesCol, e.Request.PathValue("id"))
	if err != nil {
		return nil, e.NotFoundError("票决不存在。", nil)
	}
	return v, nil
}

func needVoteStatus(e *core.RequestEvent, v *core.Record, want string, what string) error {
	if v.GetString("status") != want {
		return e.BadRequestError(what, fielderr.New("status", "validation_vote_status", what))
	}
	return nil
}

// voteTransition saves v with the office's step audited.
func voteTransition(e *core.RequestEvent, v *core.Record, action string, fields ...string) error {
	old := v.Fresh()
	return e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(v); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: action, Collection: VotesCol,
			RecordID: v.Id, Changes: audit.Diff(old, v, fields...)})
	})
}

func handleVoteOpen(e *core.RequestEvent) error {
	v, err := findVote(e)
	if err != nil {
		return err
	}
	if err := needVoteStatus(e, v, "draft", "只有准备中的票决可以开始"); err != nil {
		return err
	}
	m, err := e.App.FindRecordById("meetings", v.GetString("meeting"))
	if err != nil {
		return e.BadRequestError("会议不存在", fielderr.New("meeting", "validation_not_found", "会议不存在"))
	}
	expected := m.GetStringSlice("expected")
	if len(expected) == 0 {
		return e.BadRequestError("会议没有应到代表", fielderr.New("expected", "validation_required", "请先在会议中登记应到代表，他们才能投票"))
	}
	if fe := rulesOf(v, len(expected)).Validate(v.GetStringSlice("candidates")); fe != nil {
		ve := validation.Errors{}
		for f, msg := range fe {
			ve[f] = validation.NewError("validation_vote_rules", msg)
		}
		return e.BadRequestError("票决规则不符", ve)
	}
	v.Set("expected", expected)
	v.Set("status", "open")
	v.Set("opened_at", time.Now())
	if err := voteTransition(e, v, "vote_open", "status", "expected"); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, v)
}

func handleVoteClose(e *core.RequestEvent) error {
	v, err := findVote(e)
	if err != nil {
		return err
	}
	if err := needVoteStatus(e, v, "open", "只有投票中的票决可以截止"); err != nil {
		return err
	}
	v.Set("status", "closed")
	v.Set("closed_at", time.Now())
	if err := voteTransition(e, v, "vote_close", "status"); err != nil {
		return e.InternalServerError("", err)
	}
	checkpoint(e.App)
	return e.JSON(http.StatusOK, v)
}

type ballotBody struct {
	Choices []string `json:"choices"`
}

// handleBallot takes one deputy's ballot: the register row and the
// anonymous ballot in one transaction; a second ballot is refused by the
// register's unique index. The answer carries no receipt.
func handleBallot(e *core.RequestEvent) error {
	v, err := findVote(e)
	if err != nil {
		return err
	}
	if v.GetString("status") != "open" {
		return e.BadRequestError("票决未在进行", fielderr.New("vote", "validation_not_open", "票决还没有开始或已经截止"))
	}
	if !slices.Contains(v.GetStringSlice("expected"), e.Auth.Id) {
		return fielderr.Forbidden("vote", "您不在本次会议的应到代表名单中，不能投票")
	}
	var in ballotBody
	if err := json.NewDecoder(io.LimitReader(e.Request.Body, 64<<10)).Decode(&in); err != nil {
		return e.BadRequestError("选票格式错误", fielderr.New("choices", "validation_invalid_body", "选票格式错误"))
	}
	err = CastBallot(e.App, v, e.Auth.Id, in.Choices)
	var ve validation.Errors
	if errors.As(err, &ve) {
		return e.BadRequestError("选票无效", ve)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"voted": true})
}

// CastBallot takes deputy's ballot in the app for the open vote v: the
// choices checked, then the register row and the anonymous ballot in one
// transaction. A second ballot of the deputy, bad choices: validation
// errors naming the field (never a candidate). The route and the demo use it.
func CastBallot(app core.App, v *core.Record, deputy string, choices []string) error {
	choices, fe := ballot.Check(choices, v.GetStringSlice("candidates"), v.GetInt("max_choices"))
	if fe != nil {
		return fielderr.New("choices", "validation_invalid_ballot", fe["choices"])
	}
	err := app.RunInTransaction(func(tx core.App) error {
		if err := register(tx, RegisterCol, "vote", v.Id, deputy, "app"); err != nil {
			return err
		}
		return dropBallot(tx, v.Id, choices, false)
	})
	if errors.Is(err, errAlreadyRegistered) {
		return fielderr.New("vote", "validation_already_voted", "您已投票，不能重复投票或修改")
	}
	return err
}

var errAlreadyRegistered = errors.New("already registered")

// register adds the register row of deputy (app or paper).
func register(tx core.App, col, field, id, deputy, method string) error {
	n, err := tx.CountRecords(col, dbx.HashExp{field: id, "deputy": deputy})
	if err != nil {
		return err
	}
	if n > 0 {
		return errAlreadyRegistered
	}
	c, err := tx.FindCachedCollectionByNameOrId(col)
	if err != nil {
		return err
	}
	r := core.NewRecord(c)
	r.Load(map[string]any{field: id, "deputy": deputy, "method": method})
	if err := tx.Save(r); err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return errAlreadyRegistered
		}
		return err
	}
	return nil
}

type deputyBody struct {
	Deputy string `json:"deputy"`
}

func handlePaperRegister(e *core.RequestEvent) error {
	v, err := findVote(e)
	if err != nil {
		return err
	}
	if err := needVoteStatus(e, v, "open", "只有投票中的票决可以登记纸质选票"); err != nil {
		return err
	}
	var in deputyBody
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError("请求格式错误", fielderr.New("deputy", "validation_invalid_body", "请求格式错误"))
	}
	if !slices.Contains(v.GetStringSlice("expected"), in.Deputy) {
		return e.BadRequestError("不在应到代表名单中", fielderr.New("deputy", "validation_not_expected", "这位代表不在本次会议的应到代表名单中"))
	}
	err = e.App.RunInTransaction(func(tx core.App) error { return register(tx, RegisterCol, "vote", v.Id, in.Deputy, "paper") })
	if errors.Is(err, errAlreadyRegistered) {
		return e.BadRequestError("已投票", fielderr.New("deputy", "validation_already_voted", "这位代表已经投票（手机或纸质），不能再领票"))
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"registered": true})
}

type paperBallotsBody struct {
	Ballots []struct {
		Choices []string `json:"choices"`
		Spoiled bool     `json:"spoiled"`
	} `json:"ballots"`
}

// handlePaperBallots takes the paper ballots typed in once the vote closed
// and the box was mixed: no more than the paper ballots registered.
// Choices are taken as written: Count declares a ballot that chose too
// many, unknown or repeated projects spoiled.
func handlePaperBallots(e *core.RequestEvent) error {
	v, err := findVote(e)
	if err != nil {
		return err
	}
	if err := needVoteStatus(e, v, "closed", "票决截止后、计票前才能录入纸质选票"); err != nil {
		return err
	}
	var in paperBallotsBody
	if err := e.BindBody(&in); err != nil || len(in.Ballots) == 0 {
		return e.BadRequestError("请录入选票", fielderr.New("ballots", "validation_required", "请录入纸质选票"))
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		typed, paper, err := paperTyped(tx, RegisterCol, "ballot_urn", "vote", v.Id)
		if err != nil {
			return err
		}
		if typed+int64(len(in.Ballots)) > paper {
			return fielderr.New("ballots", "validation_too_many", "录入的纸质选票（"+strconv.FormatInt(typed+int64(len(in.Ballots)), 10)+
				" 张）多于登记领取纸质选票的代表（"+strconv.FormatInt(paper, 10)+" 人）")
		}
		for _, b := range in.Ballots {
			choices := slices.Clone(b.Choices)
			slices.Sort(choices)
			if err := dropBallot(tx, v.Id, choices, b.Spoiled); err != nil {
				return err
			}
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: "vote_paper_ballots", Collection: VotesCol,
			RecordID: v.Id, Reason: strconv.Itoa(len(in.Ballots)) + " 张纸质选票录入"})
	})
	var ve validation.Errors
	if errors.As(err, &ve) {
		return e.BadRequestError("纸质选票过多", ve)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"entered": len(in.Ballots)})
}

// handleVoteCount counts the ballots in public: the result and its digest
// are stored and the projects take their outcome; a tie for the last
// places opens a further vote among the tied (a draft staff then open).
func handleVoteCount(e *core.RequestEvent) error {
	v, err := findVote(e)
	if err != nil {
		return err
	}
	if err := needVoteStatus(e, v, "closed", "票决截止后才能计票"); err != nil {
		return err
	}
	runoff, err := CountVote(e.App, v, audit.ActorOf(e, "api"))
	if err != nil {
		return e.InternalServerError("", err)
	}
	out := map[string]any{"vote": v}
	if runoff != nil {
		out["runoff"] = runoff
	}
	return e.JSON(http.StatusOK, out)
}

// CountVote counts the closed vote v, stores the result and its digest,
// gives the candidates their outcome, and opens a runoff (a draft, returned)
// when candidates tie for the last places; all in one transaction, audited
// as actor. The route and the demo use it.
func CountVote(app core.App, v *core.Record, actor audit.Actor) (*core.Record, error) {
	var runoff *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		res, err := countVote(tx, v)
		if err != nil {
			return err
		}
		old := v.Fresh()
		v.Set("status", "counted")
		v.Set("counted_at", time.Now())
		v.Set("registered", res.Registered)
		v.Set("result", res)
		v.Set("digest", res.Digest)
		if err := tx.Save(v); err != nil {
			return err
		}
		if err := audit.Write(tx, audit.Entry{Actor: actor, Action: "vote_count", Collection: VotesCol,
			RecordID: v.Id, Changes: audit.Diff(old, v, "status", "digest", "registered"), Reason: res.Void}); err != nil {
			return err
		}
		if res.Void != "" {
			return nil
		}
		if err := applyOutcome(tx, res); err != nil {
			return err
		}
		if cands, rules, ok := res.Runoff(); ok {
			runoff, err = openRunoff(tx, v, cands, rules)
			return err
		}
		return nil
	})
	return runoff, err
}

// countVote counts v's urn against its register.
func countVote(app core.App, v *core.Record) (ballot.Result, error) {
	bs, err := ballots(app, v.Id)
	if err != nil {
		return ballot.Result{}, err
	}
	registered, err := app.CountRecords(RegisterCol, dbx.HashExp{"vote": v.Id})
	if err != nil {
		return ballot.Result{}, err
	}
	return ballot.Count(v.GetStringSlice("candidates"), bs, int(registered), rulesOf(v, len(v.GetStringSlice("expected")))), nil
}

// applyOutcome gives each candidate its votes, rank and outcome: chosen
// projects become the year's; tied ones stay candidates for the runoff.
func applyOutcome(tx core.App, res ballot.Result) error {
	for _, l := range res.Lines {
		p, err := tx.FindRecordById(Collection, l.Candidate)
		if err != nil {
			return err
		}
		p.Set("votes", l.Votes)
		p.Set("rank", l.Rank)
		switch l.Outcome {
		case ballot.Elected:
			p.Set("status", Chosen)
		case ballot.Tied:
			p.Set("status", Candidate)
		default:
			p.Set("status", NotChosen)
		}
		if err := tx.Save(p); err != nil {
			return err
		}
	}
	return nil
}

func openRunoff(tx core.App, v *core.Record, candidates []string, rules ballot.Rules) (*core.Record, error) {
	col, err := tx.FindCachedCollectionByNameOrId(VotesCol)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{
		"meeting": v.GetString("meeting"), "year": v.GetInt("year"), "title": truncate(v.GetString("title")+"（票数相同再次投票）", 100),
		"candidates": candidates, "seats": rules.Seats, "max_choices": rules.MaxChoices, "majority": rules.Majority,
		"status": "draft", "runoff_of": v.Id,
	})
	return r, tx.Save(r)
}

type candidateView struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Villages    []string `json:"villages"`
	EstFunds    float64  `json:"est_funds"`
	Proposer    string   `json:"proposer"`
}

// candidateViews describes the candidates of ids, in that order.
func candidateViews(app core.App, ids []string) ([]candidateView, error) {
	out := []candidateView{}
	for _, id := range ids {
		p, err := app.FindRecordById(Collection, id)
		if err != nil {
			return nil, err
		}
		villages, err := proposals.Names(app, "villages", p.GetStringSlice("villages"))
		if err != nil {
			return nil, err
		}
		names := []string{}
		for _, vid := range p.GetStringSlice("villages") {
			names = append(names, villages[vid])
		}
		proposer := p.GetString("proposer")
		if u := p.GetString("proposer_unit"); u != "" {
			n, _ := proposals.Names(app, "units", []string{u})
			proposer = n[u]
		}
		out = append(out, candidateView{ID: p.Id, Title: p.GetString("title"), Description: p.GetString("description"),
			Villages: names, EstFunds: p.GetFloat("est_funds"), Proposer: proposer})
	}
	return out, nil
}

// handleVoteSheet is what a deputy's ballot screen shows: the candidates,
// the rules, and whether the caller voted (never what).
func handleVoteSheet(e *core.RequestEvent) error {
	role := access.Of(e.Auth)
	if !role.IsActiveDeputy() && !role.IsOffice() {
		if e.Auth == nil {
			return e.UnauthorizedError("请先登录。", nil)
		}
		return e.ForbiddenError("只有代表和工作人员可以查看选票。", nil)
	}
	v, err := findVote(e)
	if err != nil {
		return err
	}
	if v.GetString("status") == "draft" && !role.IsOffice() {
		return e.NotFoundError("票决不存在。", nil)
	}
	cands, err := candidateViews(e.App, v.GetStringSlice("candidates"))
	if err != nil {
		return e.InternalServerError("", err)
	}
	out := map[string]any{
		"id": v.Id, "title": v.GetString("title"), "status": v.GetString("status"), "seats": v.GetInt("seats"),
		"max_choices": v.GetInt("max_choices"), "majority": v.GetBool("majority"), "candidates": cands,
		"expected": len(v.GetStringSlice("expected")),
	}
	if role.IsActiveDeputy() {
		n, err := e.App.CountRecords(RegisterCol, dbx.HashExp{"vote": v.Id, "deputy": e.Auth.Id})
		if err != nil {
			return e.InternalServerError("", err)
		}
		out["voted"] = n > 0
		out["may_vote"] = slices.Contains(v.GetStringSlice("expected"), e.Auth.Id)
	}
	if role.IsOffice() {
		reg, err := e.App.CountRecords(RegisterCol, dbx.HashExp{"vote": v.Id})
		if err != nil {
			return e.InternalServerError("", err)
		}
		out["registered"] = reg
	}
	if v.GetString("status") == "counted" {
		out["result"] = v.Get("result")
		out["digest"] = v.GetString("digest")
	}
	return e.JSON(http.StatusOK, out)
}

// handleBallots publishes a counted vote's ballots (sorted by their random
// ids), the result and its digest: anyone can recount. Before the count
// nobody, superusers included, reads a ballot.
func handleBallots(e *core.RequestEvent) error {
	v, err := findVote(e)
	if err != nil {
		return err
	}
	if v.GetString("status") != "counted" {
		return e.ForbiddenError("计票前任何人都不能查看选票。", nil)
	}
	bs, err := ballots(e.App, v.Id)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if e.Request.URL.Query().Get("format") == "csv" {
		e.Response.Header().Set("Content-Type", "text/csv; charset=utf-8")
		e.Response.Header().Set("Content-Disposition", `attachment; filename="ballots-`+v.Id+`.csv"`)
		w := csv.NewWriter(e.Response)
		_ = w.Write([]string{"ballot", "choices", "spoiled"})
		for _, b := range bs {
			sp := ""
			if b.Spoiled {
				sp = "spoiled"
			}
			_ = w.Write([]string{b.ID, strings.Join(b.Choices, ","), sp})
		}
		w.Flush()
		return w.Error()
	}
	cands, err := candidateViews(e.App, v.GetStringSlice("candidates"))
	if err != nil {
		return e.InternalServerError("", err)
	}
	titles := []map[string]string{}
	for _, c := range cands {
		titles = append(titles, map[string]string{"id": c.ID, "title": c.Title})
	}
	return e.JSON(http.StatusOK, map[string]any{
		"vote": v.Id, "title": v.GetString("title"), "candidates": titles, "ballots": bs,
		"result": v.Get("result"), "digest": v.GetString("digest"),
		"digest_rule": "sha256 of the ballots sorted, one line each: id TAB choices sorted and joined by commas TAB spoiled-or-empty LF",
	})
}
