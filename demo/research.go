package demo

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"simeng/chinatime"
	"simeng/hooks/assessment"
)

// demoReportPDF stands in for a report's document: a one-page PDF that
// says it is a demo (the demo invents no report text beyond its summary).
func demoReportPDF(name string) (*filesystem.File, error) {
	const pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
		"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n" +
		"4 0 obj<</Length 44>>stream\nBT /F1 24 Tf 72 760 Td (DEMO REPORT) Tj ET\nendstream endobj\n" +
		"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
	return filesystem.NewFileFromBytes([]byte(pdf), name)
}

// Demo 调研报告: one accepted (it counts in the assessment, through the
// item the demo township added to its scheme), drawing on the parking
// topic and its 微协商; one waiting for the presidium.
func seedResearch(app core.App) error {
	deputies, err := demoDeputies(app)
	if err != nil {
		return err
	}
	topic, err := app.FindFirstRecordByData("topics", "title", "思蒙湾村集镇赶集日停车难怎么解决")
	if err != nil {
		return err
	}
	parking, err := app.FindFirstRecordByData("surveys", "title", "集镇赶集日停车收费标准微协商")
	if err != nil {
		return err
	}
	kids, err := app.FindFirstRecordByData("surveys", "title", "留守儿童课后看护需求微调研")
	if err != nil {
		return err
	}
	// The township scores research reports: a bonus of 2 points each, at
	// most 4 (the plan asks for two good reports a year).
	if _, err := save(app, "assessment_rules", map[string]any{
		"key": "research_reports", "group": "加分项目", "title": "形成调研报告（经主席团采纳）", "metric": "research_reports",
		"kind": "per_unit", "points": 2, "cap": 4, "bonus": true, "position": 135,
	}); err != nil {
		return err
	}
	for _, r := range []struct {
		title, summary, status string
		lead                   int
		coauthors              []int
		topics, surveys        []string
	}{
		{"关于思蒙湾村集镇赶集日停车问题的调研报告（演示）",
			"演示数据：代表走访集镇主街商户和赶集群众，结合“云端议事”的意见和36份微协商问卷，建议在老粮站空坪设赶集日停车区，" +
				"摩托车每次收费不超过1元并公示收支，配专人引导和人行便道，先试行三个月再评估。",
			"accepted", 0, []int{6}, []string{topic.Id}, []string{parking.Id}},
		{"关于留守儿童课后看护情况的调研报告（演示）",
			"演示数据：围绕留守儿童课后看护，代表走访了思蒙湾村、桥头村的有留守儿童家庭，了解放学后由谁照看、孩子在做什么，" +
				"建议依托村部和学校开设“四点半课堂”，由志愿者和退休教师轮流值守，镇财政给予少量补助。",
			"submitted", 5, nil, nil, []string{kids.Id}},
	} {
		doc, err := demoReportPDF("demo-report.pdf")
		if err != nil {
			return err
		}
		var co []string
		for _, i := range r.coauthors {
			co = append(co, deputies[i].Id)
		}
		fields := map[string]any{
			"title": r.title, "summary": r.summary, "document": doc, "deputy": deputies[r.lead].Id,
			"coauthors": co, "topics": r.topics, "surveys": r.surveys, "status": r.status,
		}
		if r.status == "accepted" {
			fields["review_note"] = "调研扎实，建议报镇政府研究采纳。"
			fields["reviewed_by"] = deputies[1].GetString("name") + "（主席团）"
		}
		if _, err := save(app, "research_reports", fields); err != nil {
			return err
		}
	}
	// The rules changed (a new item): score the year again.
	_, err = assessment.RecomputeYear(app, chinatime.In(time.Now()).Year())
	return err
}
