// Package reports is the year's reports (R15, 述职评议): the township's
// statistics for a year, each figure defined and linked to its records;
// the presidium's annual work report draft (年度工作报告) and each deputy's
// 述职 draft, generated from the records, edited, printed on A4 with
// charts, and exported to Excel; and the 述职评议 results (满意 / 基本满意
// / 不满意 at a 述职评议会) that feed the assessment.
//
// The text of the drafts and the figures' arithmetic are package
// yearreport; the charts come from hooks/analysis.
//
// Routes:
//
//	GET  /api/simeng/reports/stats?year=                    presidium, staff
//	GET  /api/simeng/reports/stats/{figure}/records?year=&page=   presidium, staff
//	POST /api/simeng/reports/annual?year=[&regenerate=1]    presidium, staff: the draft
//	GET  /api/simeng/reports/annual/{year}/print            A4 page (login or print link)
//	GET  /api/simeng/reports/annual/{year}.xlsx             presidium, staff
//	POST /api/simeng/reports/duty?year=[&deputy=][&regenerate=1]  the deputy; presidium, staff for anyone
//	GET  /api/simeng/reports/duty/{id}/print                the deputy, presidium, staff (or print link)
//	GET  /api/simeng/reports/duty/{id}.xlsx                 the same
//	POST /api/simeng/reports/print-link {path}              a 10-minute link to a print page
//
// annual_reports and duty_reports are edited through the record API (the
// presidium the annual draft, each deputy their own 述职 draft);
// duty_reviews are recorded through it by the presidium and staff.
package reports

import (
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
	yr "simeng/yearreport"
)

// FigureSource adds figures to the year's statistics and the annual
// report. The proposals capability (议案建议, 民生实事; issue 14) registers
// one when its collections exist:
//
//	reports.AddFigures(app, reports.FigureSource{Name: "议案建议", Figures: func(app core.App, year int) ([]yearreport.Figure, error) {
//		n := … // proposals submitted in year
//		return []yearreport.Figure{yearreport.Count("proposals", "议案建议", "代表提出议案建议", "件", "…口径…", n)}, nil
//	}})
//
// Its figures appear after the built-in ones, in a group of their own, in
// the statistics, the annual draft and its Excel; a figure of a group not
// built in gets a paragraph of the draft's 议案建议和民生实事 section. Until
// a source registers, those figures are absent (not zero).
type FigureSource struct {
	Name    string
	Figures func(app core.App, year int) ([]yr.Figure, error)
}

const storeKey = "simeng.reports"

type desk struct {
	mu      sync.Mutex
	sources []FigureSource
	links   *linkSigner
}

func deskOf(app core.App) *desk {
	if d, ok := app.Store().Get(storeKey).(*desk); ok {
		return d
	}
	d := &desk{links: newLinkSigner()}
	app.Store().Set(storeKey, d)
	return d
}

// AddFigures registers a source of figures; call it from a capability's
// Register, in any order.
func AddFigures(app core.App, s FigureSource) {
	d := deskOf(app)
	d.mu.Lock()
	d.sources = append(d.sources, s)
	d.mu.Unlock()
}

func figureSources(app core.App) []FigureSource {
	d := deskOf(app)
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]FigureSource(nil), d.sources...)
}

// Register wires the reports: the review records' rules, the draft
// records' rules and the routes.
func Register(app core.App) {
	deskOf(app)
	// 述职评议 results feed the assessment; a report's status says it is final.
	audit.Watch(app, "duty_reviews")
	audit.Watch(app, "annual_reports", "status")
	audit.Watch(app, "duty_reports", "status")
	bindReviews(app)
	bindDrafts(app)
	bindRoutes(app)
}
