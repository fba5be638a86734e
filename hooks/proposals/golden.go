package proposals

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/proposal"
)

// 金点子: the presidium nominates candidates from the year's proposals and
// votes on them, or decides (the minutes say how); at most golden_max a
// year are named (每年评选2件"金点子"). A named proposal carries
// golden_year, which the assessment credits to its sponsor.
//
//	POST /api/golden/{year}/rounds        {nominees:[ids], votes?:{id:n}, note}  presidium, staff
//	POST /api/golden/rounds/{id}/decide   {picks:[ids], note}                    presidium, staff
func bindGolden(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		guard := access.RequirePresidiumOrOffice("只有主席团成员和工作人员可以评选金点子。")
		se.Router.POST("/api/golden/{year}/rounds", handleGoldenRound).BindFunc(guard)
		se.Router.POST("/api/golden/rounds/{id}/decide", handleGoldenDecide).BindFunc(guard)
		return se.Next()
	})
}

// GoldenNamed counts the proposals named 金点子 of year.
func GoldenNamed(app core.App, year int) (int, error) {
	n, err := app.CountRecords(Collection, dbx.HashExp{"golden_year": year})
	return int(n), err
}

func presidiumMembers(app core.App) (int, error) {
	n, err := app.CountRecords("deputies", dbx.HashExp{"presidium": true, "active": true})
	return int(n), err
}

type roundBody struct {
	Nominees []string       `json:"nominees"`
	Votes    map[string]int `json:"votes"`
	Note     string         `json:"note"`
}

func loadNominees(app core.App, ids []string) ([]proposal.Proposal, error) {
	out := []proposal.Proposal{}
	for _, id := range ids {
		r, err := app.FindRecordById(Collection, id)
		if err != nil {
			return nil, fielderr.New("nominees", "validation_not_found", "提名的议案建议不存在")
		}
		out = append(out, fromRecord(r))
	}
	return out, nil
}

func errs(fe proposal.FieldErrors) validation.Errors { return errorsOf(fe) }

func handleGoldenRound(e *core.RequestEvent) error {
	year, err := strconv.Atoi(e.Request.PathValue("year"))
	if err != nil || year < 2020 || year > 2100 {
		return e.BadRequestError("年份无效", fielderr.New("year", "validation_invalid_year", "年份须是2020到2100之间的整数"))
	}
	var in roundBody
	if err := body(e, &in); err != nil {
		return err
	}
	if len([]rune(in.Note)) > 2000 {
		return e.BadRequestError("说明过长", fielderr.New("note", "validation_length", "说明不能超过2000字"))
	}
	s, err := ReadSettings(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	named, err := GoldenNamed(e.App, year)
	if err != nil {
		return e.InternalServerError("", err)
	}
	seats := s.GoldenMax - named
	members, err := presidiumMembers(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	nominees, err := loadNominees(e.App, in.Nominees)
	if err != nil {
		return e.BadRequestError("提名无效", err)
	}
	col, err := e.App.FindCachedCollectionByNameOrId(GoldenCol)
	if err != nil {
		return e.InternalServerError("", err)
	}
	round := core.NewRecord(col)
	round.Load(map[string]any{"year": year, "nominees": in.Nominees, "members": members, "note": strings.TrimSpace(in.Note), "status": "open"})
	var picks []string
	if in.Votes != nil {
		list := make([]proposal.Nominee, len(nominees))
		for i, p := range nominees {
			list[i] = proposal.Nominee{Proposal: p, Votes: in.Votes[p.ID]}
		}
		res, fe := proposal.SelectGolden(year, list, seats, members)
		if fe != nil {
			return e.BadRequestError(firstMessage(fe), errs(fe))
		}
		round.Set("votes", in.Votes)
		round.Set("named", res.Named)
		round.Set("tied", res.Tied)
		round.Set("seats_left", res.SeatsLeft)
		if len(res.Tied) == 0 {
			round.Set("status", "decided")
		}
		picks = res.Named
	} else {
		if seats < 1 {
			return e.BadRequestError("名额已满", fielderr.New("seats", "validation_full", "本年度金点子名额已满"))
		}
		for _, p := range nominees {
			if why := proposal.GoldenEligible(p, year); why != "" {
				return e.BadRequestError(why, fielderr.New("nominees", "validation_not_eligible", "《"+p.Title+"》"+why))
			}
		}
		if len(nominees) == 0 {
			return e.BadRequestError("请先提名", fielderr.New("nominees", "validation_required", "请先提名"))
		}
		round.Set("seats_left", seats)
	}
	if round.GetString("status") == "decided" {
		round.Set("decided_by", access.ActorLabel(e.Auth))
		round.Set("decided_at", time.Now())
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(round); err != nil {
			return err
		}
		if err := nameGolden(tx, e, picks, year); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: "golden_round", Collection: GoldenCol,
			RecordID: round.Id, Changes: audit.Diff(nil, round, "year", "nominees", "votes", "named", "tied", "status"), Reason: in.Note})
	})
	if err != nil {
		return fielderr.SaveError(e, err)
	}
	return e.JSON(http.StatusOK, round)
}

type decideBody struct {
	Picks []string `json:"picks"`
	Note  string   `json:"note"`
}

func handleGoldenDecide(e *core.RequestEvent) error {
	round, err := e.App.FindRecordById(GoldenCol, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("评选不存在。", nil)
	}
	if round.GetString("status") != "open" {
		return e.BadRequestError("已决定", fielderr.New("status", "validation_decided", "这一轮评选已经决定"))
	}
	var in decideBody
	if err := body(e, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Note) == "" || len([]rune(in.Note)) > 2000 {
		return e.BadRequestError("请写明决定", fielderr.New("note", "validation_required", "请写明主席团的决定（例如 再次表决结果或会议决定），不超过2000字"))
	}
	year := round.GetInt("year")
	pool := round.GetStringSlice("tied")
	seats := round.GetInt("seats_left")
	if len(pool) == 0 {
		pool = round.GetStringSlice("nominees")
		s, err := ReadSettings(e.App)
		if err != nil {
			return e.InternalServerError("", err)
		}
		named, err := GoldenNamed(e.App, year)
		if err != nil {
			return e.InternalServerError("", err)
		}
		seats = s.GoldenMax - named
	}
	proposals, err := loadNominees(e.App, pool)
	if err != nil {
		return e.BadRequestError("提名无效", err)
	}
	if fe := proposal.CheckGoldenDecision(year, in.Picks, proposals, seats); fe != nil {
		return e.BadRequestError(firstMessage(fe), errs(fe))
	}
	old := round.Fresh()
	named := append(round.GetStringSlice("named"), in.Picks...)
	round.Set("named", named)
	round.Set("status", "decided")
	round.Set("decided_by", access.ActorLabel(e.Auth))
	round.Set("decided_at", time.Now())
	note := strings.TrimSpace(round.GetString("note") + "\n" + strings.TrimSpace(in.Note))
	round.Set("note", note)
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(round); err != nil {
			return err
		}
		if err := nameGolden(tx, e, in.Picks, year); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: "golden_decide", Collection: GoldenCol,
			RecordID: round.Id, Changes: audit.Diff(old, round, "named", "status"), Reason: in.Note})
	})
	if err != nil {
		return fielderr.SaveError(e, err)
	}
	return e.JSON(http.StatusOK, round)
}

// nameGolden marks picks as 金点子 of year, each with a step on its timeline.
func nameGolden(tx core.App, e *core.RequestEvent, picks []string, year int) error {
	for _, id := range slices.Compact(slices.Sorted(slices.Values(picks))) {
		r, err := tx.FindRecordById(Collection, id)
		if err != nil {
			return err
		}
		r.Set("golden_year", year)
		if err := tx.Save(r); err != nil {
			return err
		}
		if err := writeEvent(tx, r, "golden", actorOf(e.Auth), access.ActorLabel(e.Auth), strconv.Itoa(year)+"年度金点子", time.Now()); err != nil {
			return err
		}
	}
	return nil
}
