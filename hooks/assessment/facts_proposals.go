package assessment

import (
	"encoding/json"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/scoring"
)

// proposalsSource reads deputies' proposals (议案建议, R11) from the
// proposals themselves, replacing the counts staff typed
// (deputy_activities kinds proposal and golden_idea; see
// facts_recorded.go for old and new):
//
//   - proposals: each proposal the deputy sponsored (领衔) that was accepted
//     for handling (立案, or 转为建议), by the year it was submitted.
//     Drafts, withdrawn, rejected and merged-away ones do not count, so
//     filing many weak proposals earns nothing.
//   - co_sponsored: each accepted 议案 (including one turned into a 建议)
//     the deputy confirmed as co-sponsor (附议) in their own app.
//   - golden_ideas: each proposal named 金点子, credited to its sponsor
//     alone (proposal.GoldenCredit), by the year it was named.
var proposalsSource = factSource{
	name:    "议案建议",
	metrics: []string{scoring.MetricProposals, scoring.MetricCoSponsored, scoring.MetricGoldenIdeas},
	watch: map[string]func(core.App, *core.Record) ([]deputyYear, error){
		"proposals": proposalTouches,
	},
	gather:   gatherProposals,
	entries:  proposalEntries,
	recorded: proposalsRecorded,
}

// acceptedStatuses are proposal.InScope's.
const acceptedSQL = "status IN ('registered','assigned','answered','closed')"

func proposalTouches(app core.App, r *core.Record) ([]deputyYear, error) {
	var out []deputyYear
	for _, year := range []int{r.GetInt("year"), r.GetInt("golden_year")} {
		if year == 0 {
			continue
		}
		out = append(out, deputyYear{r.GetString("sponsor"), year})
		for _, d := range r.GetStringSlice("co_confirmed") {
			out = append(out, deputyYear{d, year})
		}
		// The year's first records replace what staff typed for it.
		more, err := typedHoldersIfFirst(app, "proposals", "year = {:y}", year, "proposal", "golden_idea")
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

type proposalRow struct {
	ID          string `db:"id"`
	Sponsor     string `db:"sponsor"`
	CoConfirmed string `db:"co_confirmed"`
	Type        string `db:"type"`
	Converted   bool   `db:"converted"`
	Title       string `db:"title"`
	Number      string `db:"number"`
	Status      string `db:"status"`
	SubmittedAt string `db:"submitted_at"`
	GoldenYear  int    `db:"golden_year"`
	Year        int    `db:"year"`
}

func (r proposalRow) coSponsors() []string {
	var out []string
	_ = json.Unmarshal([]byte(r.CoConfirmed), &out)
	return out
}

func (r proposalRow) accepted() bool {
	switch r.Status {
	case "registered", "assigned", "answered", "closed":
		return true
	}
	return false
}

func (r proposalRow) motion() bool { return r.Type == "motion" || r.Converted }

// proposalRows are the proposals of year (submitted or named 金点子 that
// year) that involve deputy ("" = all).
func proposalRows(app core.App, year int, deputy string) ([]proposalRow, error) {
	q := app.DB().Select("id", "sponsor", "co_confirmed", "type", "converted", "title", "number", "status", "submitted_at", "golden_year", "year").
		From("proposals").Where(dbx.NewExp("(year = {:y} AND "+acceptedSQL+") OR golden_year = {:y}", dbx.Params{"y": year}))
	if deputy != "" {
		q = q.AndWhere(dbx.NewExp("(sponsor = {:d} OR EXISTS (SELECT 1 FROM json_each(co_confirmed) WHERE value = {:d}))", dbx.Params{"d": deputy}))
	}
	var rows []proposalRow
	return rows, q.OrderBy("number", "id").All(&rows)
}

func gatherProposals(app core.App, span yearSpan, deputy string, sheet factSheet) error {
	rows, err := proposalRows(app, span.year, deputy)
	if err != nil {
		return err
	}
	mine := func(d string) bool { return deputy == "" || d == deputy }
	for _, r := range rows {
		if r.Year == span.year && r.accepted() {
			if mine(r.Sponsor) {
				sheet.add(r.Sponsor, scoring.MetricProposals, 1, r.ID)
			}
			if r.motion() {
				for _, d := range r.coSponsors() {
					if d != r.Sponsor && mine(d) {
						sheet.add(d, scoring.MetricCoSponsored, 1, r.ID)
					}
				}
			}
		}
		if r.GoldenYear == span.year && mine(r.Sponsor) {
			sheet.add(r.Sponsor, scoring.MetricGoldenIdeas, 1, r.ID)
		}
	}
	return nil
}

func proposalEntries(app core.App, span yearSpan, deputy string) ([]dossierEntry, error) {
	rows, err := proposalRows(app, span.year, deputy)
	if err != nil {
		return nil, err
	}
	mine := func(d string) bool { return deputy == "" || d == deputy }
	var out []dossierEntry
	for _, r := range rows {
		title := r.Title
		if r.Number != "" {
			title = r.Number + " " + r.Title
		}
		kind := "建议"
		if r.motion() {
			kind = "议案"
		}
		if r.Year == span.year && r.accepted() {
			if mine(r.Sponsor) {
				out = append(out, dossierEntry{DeputyID: r.Sponsor, Date: r.SubmittedAt, Source: "议案建议", Kind: "领衔" + kind,
					Title: title, Collection: "proposals", ID: r.ID})
			}
			if r.motion() {
				for _, d := range r.coSponsors() {
					if d != r.Sponsor && mine(d) {
						out = append(out, dossierEntry{DeputyID: d, Date: r.SubmittedAt, Source: "议案建议", Kind: "附议议案",
							Title: title, Collection: "proposals", ID: r.ID})
					}
				}
			}
		}
		if r.GoldenYear == span.year && mine(r.Sponsor) {
			out = append(out, dossierEntry{DeputyID: r.Sponsor, Date: r.SubmittedAt, Source: "议案建议", Kind: "金点子",
				Title: title, Collection: "proposals", ID: r.ID})
		}
	}
	return out, nil
}
