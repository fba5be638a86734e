package meetings

import (
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/query"
	"simeng/meetingplan"
	"simeng/vocab"
)

// The year's meeting plan grid (会议计划): each kind in meeting_rhythm
// against the meetings recorded, by quarter, half year or year, flagging
// what did not happen (package meetingplan), like the inspection plan.

// Rhythm is the active rhythm staff set in meeting_rhythm.
func Rhythm(app core.App) ([]meetingplan.Rhythm, error) {
	rows, err := app.FindRecordsByFilter("meeting_rhythm", "active = true", "kind", 0, 0)
	if err != nil {
		return nil, err
	}
	out := make([]meetingplan.Rhythm, 0, len(rows))
	for _, r := range rows {
		out = append(out, meetingplan.Rhythm{Kind: r.GetString("kind"), Per: meetingplan.Per(r.GetString("per")), Count: r.GetInt("count")})
	}
	// the plan's order, not the alphabet's
	ordered := make([]meetingplan.Rhythm, 0, len(out))
	for _, k := range vocab.Values(vocab.MeetingKinds) {
		for _, r := range out {
			if r.Kind == k {
				ordered = append(ordered, r)
			}
		}
	}
	return ordered, nil
}

// PlanGrid checks the year's meetings against the rhythm at now.
func PlanGrid(app core.App, year int, now time.Time) ([]meetingplan.Row, error) {
	rhythm, err := Rhythm(app)
	if err != nil {
		return nil, err
	}
	from, to := chinatime.Span(year)
	var rows []struct {
		ID       string         `db:"id"`
		Kind     string         `db:"kind"`
		Title    string         `db:"title"`
		StartsAt types.DateTime `db:"starts_at"`
		Recorded bool           `db:"recorded"`
	}
	err = app.DB().Select("m.id", "m.kind", "m.title", "m.starts_at",
		"EXISTS (SELECT 1 FROM meeting_attendance a WHERE a.meeting = m.id) AS recorded").
		From("meetings m").
		Where(dbx.NewExp("m.starts_at >= {:from} AND m.starts_at < {:to}", dbx.Params{"from": from, "to": to})).
		OrderBy("m.starts_at").All(&rows)
	if err != nil {
		return nil, err
	}
	meetings := make([]meetingplan.Meeting, len(rows))
	for i, r := range rows {
		meetings[i] = meetingplan.Meeting{ID: r.ID, Kind: r.Kind, Title: r.Title, At: r.StartsAt.Time(), Recorded: r.Recorded}
	}
	return meetingplan.Grid(year, rhythm, meetings, now), nil
}

// handlePlan: GET /api/meetings/plan?year= (presidium, staff).
func handlePlan(e *core.RequestEvent) error {
	year, err := query.Year(e)
	if err != nil {
		return err
	}
	grid, err := PlanGrid(e.App, year, time.Now())
	if err != nil {
		return e.InternalServerError("", err)
	}
	type row struct {
		meetingplan.Row
		KindLabel string `json:"kind_label"`
	}
	out := make([]row, len(grid))
	missed := 0
	for i, r := range grid {
		out[i] = row{Row: r, KindLabel: vocab.Label(vocab.MeetingKinds, r.Kind)}
		missed += r.Missed
	}
	return e.JSON(http.StatusOK, map[string]any{"year": year, "missed": missed, "rows": out})
}

func bindPlan(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/meetings/plan", handlePlan).BindFunc(access.RequirePresidiumOrOffice("只有主席团成员和工作人员可以查看会议计划。"))
		return se.Next()
	})
}
