package projects

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"simeng/ballot"
	"simeng/chinatime"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/query"
	"simeng/hooks/internal/workbook"
	"simeng/hooks/proposals"
	"simeng/vocab"
)

// Headers of the 民生实事 workbook.
var (
	LedgerHeaders     = []string{"序号", "项目", "来源", "涉及村（社区）", "责任单位", "预算（万元）", "已用资金（万元）", "进度", "节点完成", "逾期节点", "状态", "得票", "名次", "满意率"}
	VoteHeaders       = []string{"票决", "候选项目", "得票", "名次", "结果"}
	EvaluationHeaders = []string{"项目", "满意", "基本满意", "不满意", "已评价", "满意率", "其中满意"}
)

func bindExport(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/projects/export.xlsx", handleExportXLSX).
			BindFunc(access.RequirePresidiumOrOffice("只有主席团成员和工作人员可以导出民生实事台账。"))
		return se.Next()
	})
}

func handleExportXLSX(e *core.RequestEvent) error {
	year, err := query.Year(e)
	if err != nil {
		return err
	}
	f, err := Workbook(e.App, year, time.Now())
	if err != nil {
		return e.InternalServerError("", err)
	}
	return workbook.Send(e, f, fmt.Sprintf("projects-%d.xlsx", year), fmt.Sprintf("%d年民生实事项目台账.xlsx", year))
}

// Workbook is the year's 民生实事项目台账, 票决结果 and 年终评议结果.
func Workbook(app core.App, year int, now time.Time) (*excelize.File, error) {
	recs, err := app.FindRecordsByFilter(Collection, "year = {:y}", "status,rank,title", 0, 0, dbx.Params{"y": year})
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
	var ledger [][]string
	for i, p := range recs {
		names := []string{}
		for _, v := range p.GetStringSlice("villages") {
			names = append(names, villages[v])
		}
		total, done, late := 0, 0, 0
		ms, err := app.FindRecordsByFilter(MilestonesCol, "project = {:p}", "due", 0, 0, dbx.Params{"p": p.Id})
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			total++
			if !m.GetDateTime("done_at").IsZero() {
				done++
			} else if m.GetBool("overdue") {
				late++
			}
		}
		var ev ProjectEvaluation
		raw, _ := json.Marshal(p.Get("evaluation"))
		_ = json.Unmarshal(raw, &ev)
		sat := ""
		if ev.Rated > 0 {
			sat = pctOf(ev.SatisfactionRate)
		}
		votes, rank := "", ""
		if p.GetString("status") != Candidate {
			votes, rank = strconv.Itoa(p.GetInt("votes")), strconv.Itoa(p.GetInt("rank"))
		}
		ledger = append(ledger, []string{
			strconv.Itoa(i + 1), p.GetString("title"), vocab.Label(vocab.ProjectSources, p.GetString("source_kind")),
			strings.Join(names, "、"), units[p.GetString("unit")], money(p.GetFloat("budget")), money(p.GetFloat("spent")),
			strconv.Itoa(p.GetInt("progress_pct")) + "%", fmt.Sprintf("%d/%d", done, total), strconv.Itoa(late),
			statusLabel(p.GetString("status")), votes, rank, sat,
		})
	}

	var voteRows [][]string
	votes, err := app.FindRecordsByFilter(VotesCol, "year = {:y} && status = 'counted'", "counted_at", 0, 0, dbx.Params{"y": year})
	if err != nil {
		return nil, err
	}
	for _, v := range votes {
		var res ballot.Result
		raw, _ := json.Marshal(v.Get("result"))
		_ = json.Unmarshal(raw, &res)
		cands, err := titles(app, v.GetStringSlice("candidates"))
		if err != nil {
			return nil, err
		}
		for _, l := range res.Lines {
			voteRows = append(voteRows, []string{v.GetString("title"), cands[l.Candidate], strconv.Itoa(l.Votes), strconv.Itoa(l.Rank), l.Outcome.Label()})
		}
		summary := fmt.Sprintf("投票 %d 人，收回 %d 张，有效 %d 张，无效 %d 张；选票摘要 %s", res.Registered, res.Cast, res.Valid, res.Spoiled, res.Digest)
		if res.Void != "" {
			summary = res.Void
		}
		voteRows = append(voteRows, []string{v.GetString("title"), summary, "", "", ""})
	}

	var evalRows [][]string
	evals, err := app.FindRecordsByFilter(EvaluationsCol, "year = {:y} && status = 'closed'", "closed_at", 0, 0, dbx.Params{"y": year})
	if err != nil {
		return nil, err
	}
	for _, ev := range evals {
		var results []ProjectEvaluation
		raw, _ := json.Marshal(ev.Get("results"))
		_ = json.Unmarshal(raw, &results)
		for _, r := range results {
			evalRows = append(evalRows, []string{r.Title, strconv.Itoa(r.Satisfied), strconv.Itoa(r.Basic), strconv.Itoa(r.Unsatisfied),
				strconv.Itoa(r.Rated), pctOf(r.SatisfactionRate), pctOf(r.FullRate)})
		}
	}

	f := excelize.NewFile()
	day := chinatime.Date(now)
	if err := workbook.Table(f, "民生实事项目台账", fmt.Sprintf("思蒙镇%d年民生实事项目台账（截至 %s）", year, day), LedgerHeaders, ledger,
		[]float64{6, 30, 12, 20, 16, 10, 12, 8, 10, 8, 10, 6, 6, 8}); err != nil {
		return nil, err
	}
	if err := workbook.Table(f, "票决结果", fmt.Sprintf("思蒙镇%d年民生实事项目代表票决结果", year), VoteHeaders, voteRows,
		[]float64{30, 40, 8, 8, 22}); err != nil {
		return nil, err
	}
	if err := workbook.Table(f, "年终评议结果", fmt.Sprintf("思蒙镇%d年民生实事项目年终评议结果", year), EvaluationHeaders, evalRows,
		[]float64{30, 8, 10, 8, 8, 10, 10}); err != nil {
		return nil, err
	}
	return f, f.DeleteSheet("Sheet1")
}
