package testapp

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// ResearchSummary is a summary long enough for a research report.
const ResearchSummary = "围绕留守儿童课后看护，代表走访了思蒙湾村、桥头村28户家庭，发现放学后无人照看的有9户，建议依托村部开设四点半课堂，由志愿者和退休教师轮流值守。"

// ReportPDF is a small document a report can carry.
func ReportPDF() (*filesystem.File, error) {
	return filesystem.NewFileFromBytes([]byte("%PDF-1.4\n% research report\n"), "report.pdf")
}

// Research reports: IDs["report_submitted"] (Deputy's, Deputy2 co-author,
// drawing on topic_closed and survey_closed, waiting for review) and
// IDs["report_accepted"] (Presidium's, accepted this year; not Deputy2's,
// whom the roster's tests delete: a report's author cannot be deleted).
func seedResearch(app core.App, f *Fixture) error {
	col := mustCollection(app, "research_reports")
	for _, row := range []struct {
		key, deputy, status string
		coauthors           []string
	}{
		{"report_submitted", f.Deputy, "submitted", []string{f.Deputy2}},
		{"report_accepted", f.Presidium, "accepted", nil},
	} {
		doc, err := ReportPDF()
		if err != nil {
			return err
		}
		r := core.NewRecord(col)
		r.Set("title", "关于留守儿童课后看护情况的调研报告")
		r.Set("summary", ResearchSummary)
		r.Set("document", doc)
		r.Set("deputy", row.deputy)
		r.Set("coauthors", row.coauthors)
		r.Set("topics", []string{f.IDs["topic_closed"]})
		r.Set("surveys", []string{f.IDs["survey_closed"]})
		r.Set("status", row.status)
		if err := app.Save(r); err != nil {
			return err
		}
		f.IDs[row.key] = r.Id
	}
	return nil
}
