package analysis

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"simeng/chinatime"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/workbook"
	"simeng/pii"
)

// maxExportRows bounds one export; a larger one asks for a narrower filter.
const maxExportRows = 20000

// exportRoute is the Excel shared with 信访 and 综治 (诉求清单): the
// demands of the filter with Chinese headers, a village × category sheet
// and a sheet saying what was removed. Residents' names and phones are not
// in it and numbers in the texts are masked; staff may include them
// (include_pii=1) with a written reason, for the records whose resident
// consented, and the export is logged with the reason before it is sent.
// The presidium's exports are logged too; a department's key never gets
// personal data.
func exportRoute(e *core.RequestEvent) error {
	v := viewerOf(e)
	f, err := parseFilters(e, v)
	if err != nil {
		return err
	}
	q := e.Request.URL.Query()
	withPII := q.Get("include_pii") == "1" || q.Get("include_pii") == "true"
	reason := strings.TrimSpace(q.Get("reason"))
	if withPII {
		if !v.seesPersonal() {
			if v.kind == kindDepartment {
				logRefused(e, v, "include_pii")
			}
			return fielderr.Forbidden("include_pii", "只有工作人员可以导出含个人信息的清单。")
		}
		if utf8.RuneCountInString(reason) < 5 || utf8.RuneCountInString(reason) > 500 {
			return badParam(e, "reason", "导出个人信息须写明理由和法律依据（5到500字），例如 信访办依《信访工作条例》核实办理情况")
		}
	}
	keys, err := allKeys(e.App, v, f, maxExportRows+1)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if len(keys) > maxExportRows {
		return badParam(e, "period", fmt.Sprintf("一次最多导出%d条，请缩小期间或加筛选条件", maxExportRows))
	}
	f2, err := exportWorkbook(e.App, v, f, keys, withPII, reason)
	if err != nil {
		return e.InternalServerError("", err)
	}
	setResults(e, len(keys))
	if err := logExport(e, v, withPII, reason); err != nil {
		f2.Close()
		return e.InternalServerError("", err)
	}
	day := chinatime.Date(time.Now())
	name := "群众诉求清单_" + f.period.Key() + "_" + day
	if withPII {
		name += "_含个人信息"
	}
	return workbook.Send(e, f2, "demands-"+f.period.Key()+"-"+day+".xlsx", name+".xlsx")
}

func exportWorkbook(app core.App, v *viewer, f filters, keys []string, withPII bool, reason string) (*excelize.File, error) {
	x := excelize.NewFile()
	names, err := villageNames(app)
	if err != nil {
		return nil, err
	}
	d := deskOf(app)
	var vault *pii.Vault
	if withPII {
		if vault, err = pii.VaultFromEnv(); err != nil {
			return nil, err
		}
	}

	headers := []string{"编号", "来源", "类别", "村（社区）", "收到时间", "状态", "内容", "答复"}
	widths := []float64{24, 16, 12, 14, 18, 16, 60, 40}
	if withPII {
		headers = append(headers, "群众姓名", "联系电话")
		widths = append(widths, 12, 16)
	}
	var rows [][]string
	deputies := map[string]string{}
	for start := 0; start < len(keys); start += 500 {
		batch := keys[start:min(start+500, len(keys))]
		records, err := loadRecords(app, batch)
		if err != nil {
			return nil, err
		}
		for _, k := range batch {
			r := records[k]
			if r == nil {
				continue
			}
			it, ok := itemOf(app, d, r, names, deputies)
			if !ok {
				continue
			}
			text, reply := it.Text, it.Reply
			s := d.sourceOf(it.Kind)
			if withPII {
				text, reply = s.text(r), s.field(r, s.ReplyField)
			}
			row := []string{it.ID, it.Source, it.Category, it.VillageName, displayTime(it.At), it.StatusLabel, text, reply}
			if withPII {
				name, phone := personal(r, s, vault)
				row = append(row, name, phone)
			}
			rows = append(rows, row)
		}
	}
	scope := f.period.Label()
	if f.village != "" {
		scope += " · " + villageLabel(names, f.village)
	}
	if f.category != "" {
		scope += " · " + f.category
	}
	if err := workbook.Table(x, "诉求清单", "思蒙镇群众诉求清单（"+scope+"）", headers, rows, widths); err != nil {
		return nil, err
	}

	// 分类统计: the hotspot table of the same filter.
	counts, err := groups(app, v, f)
	if err != nil {
		return nil, err
	}
	t := hotspots(counts, names)
	head := []string{"村（社区）"}
	for _, c := range t.Categories {
		head = append(head, c.Label)
	}
	head = append(head, "合计")
	var table [][]string
	for i, vl := range t.Villages {
		row := []string{vl.Label}
		for j := range t.Categories {
			cell := fmt.Sprint(t.Cells[i][j])
			if t.Hot[i][j] {
				cell += "（热点）"
			}
			row = append(row, cell)
		}
		table = append(table, append(row, fmt.Sprint(vl.Count)))
	}
	if err := workbook.Table(x, "分类统计", "各村（社区）各类诉求件数（"+scope+"）", head, table, nil); err != nil {
		return nil, err
	}

	note := [][]string{
		{"导出时间", chinatime.In(time.Now()).Format("2006-01-02 15:04")},
		{"导出人", v.name},
		{"范围", scope},
		{"件数", fmt.Sprint(len(rows))},
		{"统计口径", "群众建议（不含垃圾信息）与急难愁盼问题（由群众建议转入的不重复计算）；收到时间为北京时间。"},
		{"热点", fmt.Sprintf("某村某类诉求不少于%d件，且该类在该村诉求中的占比不低于全镇该类占比的%.1f倍（区位熵）。", hotspotMin, hotspotRatio)},
	}
	if withPII {
		note = append(note, []string{"个人信息", "本表含群众姓名和联系电话（仅限群众同意留下联系方式的记录），仅限依法核实办理使用，不得外传。"},
			[]string{"导出理由", reason})
	} else {
		note = append(note, []string{"个人信息", "本表不含群众姓名、联系电话；内容中的手机号、身份证号、银行卡号等已打码。"})
	}
	if err := workbook.Table(x, "说明", "导出说明", []string{"项目", "内容"}, note, []float64{14, 80}); err != nil {
		return nil, err
	}
	x.DeleteSheet("Sheet1")
	return x, nil
}

// personal is a record's resident's name and phone for an export with
// personal data: only where the resident consented to leave them.
func personal(r *core.Record, s *Source, vault *pii.Vault) (string, string) {
	if s.NameField == "" && s.PhoneField == "" {
		return "", ""
	}
	if s.ConsentField != "" && !r.GetBool(s.ConsentField) {
		return "（未同意提供）", "（未同意提供）"
	}
	return opened(r.GetString(s.NameField), vault), opened(r.GetString(s.PhoneField), vault)
}

// opened is v, opened from the vault when it is sealed (both the name and
// the phone are sealed at rest).
func opened(v string, vault *pii.Vault) string {
	if !pii.IsSealed(v) {
		return v
	}
	if p, err := vault.Open(v); err == nil {
		return p
	}
	return "（无法解密）"
}
