package ledger

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"simeng/chinatime"
	"simeng/hazard"
	"simeng/hooks/internal/query"
	"simeng/hooks/internal/workbook"
	"simeng/inspectplan"
	"simeng/vocab"
)

// Sheet and header names of the exports. Tests read the files back by them.
const (
	SheetPlan        = "季度计划"
	SheetInspections = "检查记录"
	SheetHazards     = "隐患台账"
)

// PlanHeaders and the others are the column headers, in row 2 (row 1 is the
// title, as in the township's paper ledgers).
var (
	PlanHeaders       = []string{"序号", "检查场所", "第一季度", "第二季度", "第三季度", "第四季度", "全年完成"}
	InspectionHeaders = []string{"序号", "检查日期", "季度", "检查场所", "检查类别", "记录人", "参加代表", "联合部门", "检查发现", "发现隐患数"}
	HazardHeaders     = []string{"序号", "隐患名称", "隐患描述", "等级", "来源", "场所", "所在村", "登记日期",
		"责任单位", "责任人", "整改期限", "状态", "是否逾期", "挂牌督办", "挂牌人", "挂牌时间",
		"整改情况", "整改完成时间", "复查意见", "复查通过时间", "复查人", "销号时间", "销号人"}
)

var hazardSourceLabels = map[string]string{
	"inspection": "执法检查", "suggestion": "群众建议", "problem": "走访问题", "enterprise": "企业诉求", "other": "其他",
}

func planWorkbook(app core.App, year int, now time.Time) (*excelize.File, error) {
	rows, err := buildPlan(app, year, now)
	if err != nil {
		return nil, err
	}
	data := make([][]string, 0, len(rows))
	for i, r := range rows {
		line := []string{strconv.Itoa(i + 1), r.Name}
		for _, c := range r.Cells {
			label := c.Label
			if c.InspectedAt != "" {
				label += "（" + c.InspectedAt + "）"
			}
			line = append(line, label)
		}
		line = append(line, fmt.Sprintf("%d/%d", r.Done, r.Planned))
		data = append(data, line)
	}

	p := inspectplan.Period{Year: year, Quarter: 1}
	inspections, err := app.FindRecordsByFilter("inspections",
		"kind = 'safety' && inspected_at >= {:from} && inspected_at < {:to}", "inspected_at", 0, 0,
		dbx.Params{"from": p.Start().UTC().Format(time.DateTime), "to": p.Start().AddDate(1, 0, 0).UTC().Format(time.DateTime)})
	if err != nil {
		return nil, err
	}
	names, err := namesOf(app, inspections)
	if err != nil {
		return nil, err
	}
	detail := make([][]string, 0, len(inspections))
	for i, r := range inspections {
		n, err := app.CountRecords("hazards", dbx.HashExp{"inspection": r.Id})
		if err != nil {
			return nil, err
		}
		participants := make([]string, 0)
		for _, id := range r.GetStringSlice("participants") {
			participants = append(participants, names[id])
		}
		detail = append(detail, []string{
			strconv.Itoa(i + 1), chinatime.Date(r.GetDateTime("inspected_at").Time()), r.GetString("quarter"),
			names[r.GetString("site")], vocab.Label(vocab.InspectionKindShort, r.GetString("kind")), names[r.GetString("deputy")],
			strings.Join(participants, "、"), strings.Join(r.GetStringSlice("departments"), "、"),
			r.GetString("findings"), strconv.FormatInt(n, 10),
		})
	}

	f := excelize.NewFile()
	title := fmt.Sprintf("思蒙镇%d年安全生产执法检查季度计划完成情况（导出日期 %s）", year, chinatime.Date(now))
	if err := workbook.Table(f, SheetPlan, title, PlanHeaders, data, []float64{6, 20, 22, 22, 22, 22, 10}); err != nil {
		return nil, err
	}
	title = fmt.Sprintf("思蒙镇%d年安全生产执法检查记录", year)
	if err := workbook.Table(f, SheetInspections, title, InspectionHeaders, detail, []float64{6, 12, 10, 16, 10, 10, 20, 20, 40, 10}); err != nil {
		return nil, err
	}
	return f, f.DeleteSheet("Sheet1")
}

// hazardExportFilter reads the optional ?status=, ?supervised=1, ?overdue=1
// and ?year= (registered that year) filters of the ledger export.
func hazardExportFilter(e *core.RequestEvent, q url.Values) (dbx.Expression, error) {
	var exps []dbx.Expression
	if s := q.Get("status"); s != "" {
		if !hazard.Status(s).Valid() {
			return nil, e.BadRequestError("状态无效", validation.Errors{
				"status": validation.NewError("validation_invalid_value", "状态须是 open、rectifying、rectified、verified 或 closed"),
			})
		}
		exps = append(exps, dbx.HashExp{"status": s})
	}
	for _, flag := range []string{"supervised", "overdue"} {
		switch q.Get(flag) {
		case "":
		case "1", "true":
			exps = append(exps, dbx.HashExp{flag: true})
		default:
			return nil, e.BadRequestError("参数无效", validation.Errors{
				flag: validation.NewError("validation_invalid_value", "只能是 1 或 true"),
			})
		}
	}
	if raw := q.Get("year"); raw != "" {
		year, err := query.Year(e)
		if err != nil {
			return nil, err
		}
		from := inspectplan.Period{Year: year, Quarter: 1}.Start()
		exps = append(exps, dbx.NewExp("created >= {:from} AND created < {:to}", dbx.Params{
			"from": from.UTC().Format(time.DateTime), "to": from.AddDate(1, 0, 0).UTC().Format(time.DateTime)}))
	}
	if len(exps) == 0 {
		return dbx.NewExp("1=1"), nil
	}
	return dbx.And(exps...), nil
}

func hazardsWorkbook(app core.App, filter dbx.Expression, now time.Time) (*excelize.File, error) {
	var hazards []*core.Record
	if err := app.RecordQuery("hazards").AndWhere(filter).OrderBy("created ASC").All(&hazards); err != nil {
		return nil, err
	}
	names, err := namesOf(app, hazards)
	if err != nil {
		return nil, err
	}
	yes := func(b bool) string {
		if b {
			return "是"
		}
		return "否"
	}
	data := make([][]string, 0, len(hazards))
	for i, r := range hazards {
		severity := "一般隐患"
		if r.GetString("severity") == "major" {
			severity = "重大隐患"
		}
		data = append(data, []string{
			strconv.Itoa(i + 1), r.GetString("title"), r.GetString("description"), severity,
			hazardSourceLabels[r.GetString("source")], names[r.GetString("site")], names[r.GetString("village")],
			chinatime.Date(r.GetDateTime("created").Time()),
			r.GetString("responsible_unit"), r.GetString("responsible_person"), chinatime.Date(r.GetDateTime("deadline").Time()),
			hazard.Status(r.GetString("status")).Label(), yes(r.GetBool("overdue")), yes(r.GetBool("supervised")),
			r.GetString("supervised_by"), chinatime.Date(r.GetDateTime("supervised_at").Time()),
			r.GetString("rectification"), chinatime.Date(r.GetDateTime("rectified_at").Time()),
			r.GetString("verification"), chinatime.Date(r.GetDateTime("verified_at").Time()), r.GetString("verified_by"),
			chinatime.Date(r.GetDateTime("closed_at").Time()), r.GetString("closed_by"),
		})
	}
	f := excelize.NewFile()
	title := "思蒙镇安全隐患台账（导出日期 " + chinatime.Date(now) + "）"
	widths := []float64{6, 20, 36, 10, 10, 16, 12, 12, 16, 10, 12, 12, 8, 8, 16, 12, 30, 12, 24, 12, 16, 12, 16}
	if err := workbook.Table(f, SheetHazards, title, HazardHeaders, data, widths); err != nil {
		return nil, err
	}
	return f, f.DeleteSheet("Sheet1")
}

// namesOf maps the ids of the sites, villages and deputies that records point
// to onto their names.
func namesOf(app core.App, records []*core.Record) (map[string]string, error) {
	names := map[string]string{}
	// Each id once: a county's 5,000 hazards name some 400 villages, and an
	// id repeated in the IN list is bound and looked up again each time.
	want := map[string]map[string]bool{"inspection_sites": {}, "villages": {}, "deputies": {}}
	for _, r := range records {
		for field, col := range map[string]string{"site": "inspection_sites", "village": "villages", "deputy": "deputies"} {
			if id := r.GetString(field); id != "" {
				want[col][id] = true
			}
		}
		for _, id := range r.GetStringSlice("participants") {
			want["deputies"][id] = true
		}
	}
	for col, set := range want {
		if len(set) == 0 {
			continue
		}
		rs, err := app.FindRecordsByIds(col, slices.Collect(maps.Keys(set)))
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			names[r.Id] = r.GetString("name")
		}
	}
	return names, nil
}
