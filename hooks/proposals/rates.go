package proposals

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"simeng/chinatime"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/calendar"
	"simeng/hooks/internal/query"
	"simeng/hooks/internal/workbook"
	"simeng/proposal"
	"simeng/vocab"
)

// YearRates are a year's completion and satisfaction figures (办结率,
// 满意率), as of a moment: for the whole township, per main unit (主办单位)
// and per category. The definitions are package proposal's (InScope,
// Concluded, Rates); README "议案建议" repeats them.
type YearRates struct {
	Year       int
	AsOf       time.Time
	Total      proposal.Rates
	ByUnit     map[string]proposal.Rates // unit id (proposal.Unassigned: not with a unit)
	ByCategory map[string]proposal.Rates
	UnitNames  map[string]string
}

// Rates are year's figures now. Other capabilities (the year's statistics)
// call it; it reads, never writes.
func Rates(app core.App, year int) (YearRates, error) { return RatesAt(app, year, time.Now()) }

// RatesAt are year's figures as of now.
func RatesAt(app core.App, year int, now time.Time) (YearRates, error) {
	out := YearRates{Year: year, AsOf: now}
	s, err := ReadSettings(app)
	if err != nil {
		return out, err
	}
	cal, err := calendar.Of(app)
	if err != nil {
		return out, err
	}
	ps, err := yearProposals(app, year)
	if err != nil {
		return out, err
	}
	for _, p := range ps {
		out.Total.Add(p, s.Config, cal, now)
	}
	out.ByUnit = proposal.ByUnit(ps, year, s.Config, cal, now)
	out.ByCategory = proposal.ByCategory(ps, year, s.Config, cal, now)
	out.UnitNames, err = Names(app, "units", proposal.Keys(out.ByUnit))
	if err != nil {
		return out, err
	}
	out.UnitNames[proposal.Unassigned] = "尚未交办"
	return out, nil
}

// yearProposals are the proposals submitted in year (China time).
func yearProposals(app core.App, year int) ([]proposal.Proposal, error) {
	recs, err := yearRecords(app, year)
	if err != nil {
		return nil, err
	}
	out := make([]proposal.Proposal, len(recs))
	for i, r := range recs {
		out[i] = fromRecord(r)
	}
	return out, nil
}

func yearRecords(app core.App, year int) ([]*core.Record, error) {
	return app.FindRecordsByFilter(Collection, "year = {:y} && status != 'inviting'", "number", 0, 0, dbx.Params{"y": year})
}

// figures is one row of rates as the API and the PWA read it; a rate is
// null when there is no denominator (shown "—", never 0% or 100%).
type figures struct {
	Key                  string   `json:"key"`
	Name                 string   `json:"name"`
	Handled              int      `json:"handled"`
	Concluded            int      `json:"concluded"`
	CompletionRate       *float64 `json:"completion_rate"`
	Rated                int      `json:"rated"`
	Satisfied            int      `json:"satisfied"`
	SatisfactionRate     *float64 `json:"satisfaction_rate"`
	FullySatisfied       int      `json:"fully_satisfied"`
	FullSatisfactionRate *float64 `json:"full_satisfaction_rate"`
	Lapsed               int      `json:"lapsed"`
	Redone               int      `json:"redone"`
	Overdue              int      `json:"overdue"`
	ClassA               int      `json:"class_a"`
	ClassB               int      `json:"class_b"`
	ClassC               int      `json:"class_c"`
}

func rate(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &v
}

func figuresOf(key, name string, r proposal.Rates) figures {
	return figures{
		Key: key, Name: name, Handled: r.Handled, Concluded: r.Concluded, CompletionRate: rate(r.CompletionRate()),
		Rated: r.Rated, Satisfied: r.Satisfied, SatisfactionRate: rate(r.SatisfactionRate()),
		FullySatisfied: r.FullySatisfied, FullSatisfactionRate: rate(r.FullSatisfactionRate()),
		Lapsed: r.Lapsed, Redone: r.Redone, Overdue: r.Overdue, ClassA: r.ClassA, ClassB: r.ClassB, ClassC: r.ClassC,
	}
}

// rows of a tally, most handled first, then by name; a key with nothing
// to handle (e.g. proposals submitted, not yet registered) is no row.
func (y YearRates) rows(m map[string]proposal.Rates, names map[string]string) []figures {
	out := []figures{}
	for k, r := range m {
		if r.Handled == 0 {
			continue
		}
		name := k
		if names != nil {
			name = names[k]
		}
		out = append(out, figuresOf(k, name, r))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Handled != out[j].Handled {
			return out[i].Handled > out[j].Handled
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Definitions say what each figure counts, for the screen and the export.
var Definitions = map[string]string{
	"handled":           "应办件数：当年提交并已立案（含转为建议）的议案建议；并案的只按主件计一件，未立案、撤回、不予立案的不计",
	"concluded":         "办结件数：承办单位已答复，且领衔代表已作出最终评价，或答复后评价期限已过未评价（视为办结）；首次评价不满意退回重新办理的不算办结",
	"completion_rate":   "办结率 = 办结件数 ÷ 应办件数",
	"satisfaction_rate": "满意率 = （满意 + 基本满意）÷ 已评价件数；逾期未评价视为办结的不计入分母，件数单列",
	"full_satisfaction": "其中满意率 = 满意 ÷ 已评价件数，与满意率并列显示",
	"overdue":           "逾期未答复：交办后超过答复期限仍未答复的件数（此刻）",
}

func bindReports(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		guard := access.RequirePresidiumOrOffice("只有主席团成员和工作人员可以查看办理情况统计。")
		se.Router.GET("/api/proposals/rates", handleRates).BindFunc(guard)
		se.Router.GET("/api/proposals/export.xlsx", handleExport).BindFunc(guard)
		return se.Next()
	})
}

func handleRates(e *core.RequestEvent) error {
	year, err := query.Year(e)
	if err != nil {
		return err
	}
	y, err := Rates(e.App, year)
	if err != nil {
		return e.InternalServerError("", err)
	}
	cats := map[string]string{}
	for k := range y.ByCategory {
		cats[k] = k
	}
	return e.JSON(http.StatusOK, map[string]any{
		"year": year, "as_of": y.AsOf.UTC().Format(time.RFC3339),
		"total":       figuresOf("total", strconv.Itoa(year)+"年合计", y.Total),
		"by_unit":     y.rows(y.ByUnit, y.UnitNames),
		"by_category": y.rows(y.ByCategory, cats),
		"definitions": Definitions,
	})
}

// Headers of the exports.
var (
	LedgerHeaders = []string{"编号", "类型", "标题", "领衔代表", "附议代表", "分类", "分级", "主办单位", "协办单位",
		"提交日期", "交办日期", "办理期限", "答复日期", "答复类别", "是否逾期", "评价", "办结方式", "重新办理", "状态"}
	RatesHeaders = []string{"维度", "名称", "应办件数", "办结件数", "办结率", "已评价", "满意及基本满意", "满意率",
		"其中满意", "逾期未评价视为办结", "重新办理", "逾期未答复"}
)

func pct(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
}

func date(r *core.Record, field string) string {
	d := r.GetDateTime(field)
	if d.IsZero() {
		return ""
	}
	return chinatime.Date(d.Time())
}

// Workbook is the year's 议案建议办理台账 and its rates, as of now.
func Workbook(app core.App, year int, now time.Time) (*excelize.File, error) {
	recs, err := yearRecords(app, year)
	if err != nil {
		return nil, err
	}
	y, err := RatesAt(app, year, now)
	if err != nil {
		return nil, err
	}
	var deputyIDs, unitIDs []string
	for _, r := range recs {
		deputyIDs = append(append(deputyIDs, r.GetString("sponsor")), r.GetStringSlice("co_confirmed")...)
		unitIDs = append(append(unitIDs, r.GetString("main_unit")), r.GetStringSlice("co_units")...)
	}
	deputies, err := Names(app, "deputies", deputyIDs)
	if err != nil {
		return nil, err
	}
	units, err := Names(app, "units", unitIDs)
	if err != nil {
		return nil, err
	}
	join := func(ids []string, names map[string]string) string {
		out := make([]string, 0, len(ids))
		for _, id := range ids {
			out = append(out, names[id])
		}
		return strings.Join(out, "、")
	}
	cal, err := calendar.Of(app)
	if err != nil {
		return nil, err
	}
	var ledger [][]string
	for _, r := range recs {
		p := fromRecord(r)
		overdue := "否"
		switch {
		case proposal.Overdue(cal, p, now) != "none":
			overdue = "逾期未答复"
		case proposal.AnsweredLate(p):
			overdue = "逾期答复"
		}
		redo := ""
		if p.Round >= 2 {
			redo = "是"
		}
		grade := ""
		if p.Grade != "" {
			grade = p.Grade.Label()
		}
		class, rating, closure := "", "", ""
		if p.ReplyClass != "" {
			class = string(p.ReplyClass) + "类"
		}
		if p.Rating != "" {
			rating = p.Rating.Label()
		}
		if p.Closure != "" {
			closure = p.Closure.Label()
		}
		typ := p.Type.Label()
		if p.Converted {
			typ = "议案（转为建议）"
		}
		ledger = append(ledger, []string{
			r.GetString("number"), typ, p.Title, deputies[p.Sponsor], join(r.GetStringSlice("co_confirmed"), deputies),
			p.Category, grade, units[p.MainUnit], join(p.CoUnits, units), date(r, "submitted_at"), date(r, "assigned_at"),
			date(r, "deadline"), date(r, "answered_at"), class, overdue, rating, closure, redo,
			vocab.Label(vocab.ProposalStatuses, string(p.Status)),
		})
	}
	var rates [][]string
	add := func(dim string, f figures) {
		rates = append(rates, []string{dim, f.Name, strconv.Itoa(f.Handled), strconv.Itoa(f.Concluded), pct(f.CompletionRate),
			strconv.Itoa(f.Rated), strconv.Itoa(f.Satisfied), pct(f.SatisfactionRate), strconv.Itoa(f.FullySatisfied),
			strconv.Itoa(f.Lapsed), strconv.Itoa(f.Redone), strconv.Itoa(f.Overdue)})
	}
	add("全镇", figuresOf("total", strconv.Itoa(year)+"年合计", y.Total))
	for _, f := range y.rows(y.ByUnit, y.UnitNames) {
		add("主办单位", f)
	}
	cats := map[string]string{}
	for k := range y.ByCategory {
		cats[k] = k
	}
	for _, f := range y.rows(y.ByCategory, cats) {
		add("分类", f)
	}
	for _, k := range []string{"handled", "concluded", "completion_rate", "satisfaction_rate", "full_satisfaction", "overdue"} {
		rates = append(rates, []string{"说明", "", Definitions[k]})
	}

	f := excelize.NewFile()
	title := fmt.Sprintf("思蒙镇%d年代表议案建议办理台账（截至 %s）", year, chinatime.Date(now))
	if err := workbook.Table(f, "办理台账", title, LedgerHeaders, ledger,
		[]float64{10, 8, 30, 10, 20, 10, 8, 14, 18, 11, 11, 11, 11, 8, 10, 8, 14, 8, 12}); err != nil {
		return nil, err
	}
	title = fmt.Sprintf("思蒙镇%d年代表议案建议办结率、满意率（截至 %s）", year, chinatime.Date(now))
	if err := workbook.Table(f, "办结率满意率", title, RatesHeaders, rates,
		[]float64{10, 20, 10, 10, 10, 8, 14, 10, 10, 16, 10, 12}); err != nil {
		return nil, err
	}
	return f, f.DeleteSheet("Sheet1")
}

func handleExport(e *core.RequestEvent) error {
	year, err := query.Year(e)
	if err != nil {
		return err
	}
	f, err := Workbook(e.App, year, time.Now())
	if err != nil {
		return e.InternalServerError("", err)
	}
	return workbook.Send(e, f, fmt.Sprintf("proposals-%d.xlsx", year), fmt.Sprintf("%d年议案建议办理台账.xlsx", year))
}
