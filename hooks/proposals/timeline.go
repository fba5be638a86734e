package proposals

import (
	"net/http"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/calendar"
	"simeng/proposal"
)

// Named is a deputy's or a unit's id and name: what a screen shows of
// them (never a phone).
type Named struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Confirmed bool   `json:"confirmed,omitempty"`
}

// Names reads the names of the records ids of collection (deputies or
// units), keyed by id.
func Names(app core.App, collection string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	vals := make([]any, len(ids))
	for i, id := range ids {
		vals[i] = id
	}
	if err := app.DB().Select("id", "name").From(collection).Where(dbx.In("id", vals...)).All(&rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

type timelineEvent struct {
	Action     string `json:"action"`
	Status     string `json:"status"`
	ActorKind  string `json:"actor_kind"`
	ActorLabel string `json:"actor_label"`
	Note       string `json:"note"`
	At         string `json:"at"`
	Deadline   string `json:"deadline,omitempty"`
}

type opinionView struct {
	Unit    string `json:"unit"`
	Text    string `json:"text"`
	Created string `json:"created"`
}

// handleTimeline answers the proposal with every step, the names of its
// deputies and units, and, for the main unit, the presidium and staff,
// the co-units' opinions.
func handleTimeline(e *core.RequestEvent) error {
	rec, err := findVisible(e)
	if err != nil {
		return err
	}
	app := e.App
	deputyIDs := append([]string{rec.GetString("sponsor")}, rec.GetStringSlice("co_invited")...)
	deputies, err := Names(app, "deputies", deputyIDs)
	if err != nil {
		return e.InternalServerError("", err)
	}
	unitIDs := append([]string{rec.GetString("main_unit")}, rec.GetStringSlice("co_units")...)
	units, err := Names(app, "units", unitIDs)
	if err != nil {
		return e.InternalServerError("", err)
	}
	confirmed := rec.GetStringSlice("co_confirmed")
	co := []Named{}
	for _, id := range rec.GetStringSlice("co_invited") {
		co = append(co, Named{ID: id, Name: deputies[id], Confirmed: slices.Contains(confirmed, id)})
	}
	coUnits := []Named{}
	for _, id := range rec.GetStringSlice("co_units") {
		coUnits = append(coUnits, Named{ID: id, Name: units[id]})
	}
	out := map[string]any{
		"proposal":    rec,
		"sponsor":     Named{ID: rec.GetString("sponsor"), Name: deputies[rec.GetString("sponsor")]},
		"co_sponsors": co,
		"co_units":    coUnits,
	}
	if id := rec.GetString("main_unit"); id != "" {
		out["main_unit"] = Named{ID: id, Name: units[id]}
	}
	if id := rec.GetString("main"); id != "" {
		if m, err := app.FindRecordById(Collection, id); err == nil {
			out["main"] = map[string]any{"id": m.Id, "title": m.GetString("title"), "number": m.GetString("number"), "status": m.GetString("status")}
		}
	}
	merged, err := app.FindRecordsByFilter(Collection, "main = {:id}", "number", 0, 0, dbx.Params{"id": rec.Id})
	if err != nil {
		return e.InternalServerError("", err)
	}
	list := []map[string]any{}
	for _, m := range merged {
		list = append(list, map[string]any{"id": m.Id, "title": m.GetString("title"), "number": m.GetString("number")})
	}
	out["merged"] = list

	events, err := app.FindRecordsByFilter(EventsCollection, "proposal = {:id}", "at", 0, 0, dbx.Params{"id": rec.Id})
	if err != nil {
		return e.InternalServerError("", err)
	}
	evs := []timelineEvent{}
	for _, ev := range events {
		te := timelineEvent{Action: ev.GetString("action"), Status: ev.GetString("status"), ActorKind: ev.GetString("actor_kind"),
			ActorLabel: ev.GetString("actor_label"), Note: ev.GetString("note"), At: ev.GetString("at")}
		if d := ev.GetDateTime("deadline"); !d.IsZero() {
			te.Deadline = d.String()
		}
		evs = append(evs, te)
	}
	out["events"] = evs

	role := access.Of(e.Auth)
	if role.IsPresidiumOrOffice() || (role == access.Unit && rec.GetString("main_unit") == e.Auth.Id) {
		ops, err := app.FindRecordsByFilter(OpinionsCol, "proposal = {:id}", "created", 0, 0, dbx.Params{"id": rec.Id})
		if err != nil {
			return e.InternalServerError("", err)
		}
		opNames, _ := Names(app, "units", func() []string {
			ids := []string{}
			for _, o := range ops {
				ids = append(ids, o.GetString("unit"))
			}
			return ids
		}())
		views := []opinionView{}
		for _, o := range ops {
			views = append(views, opinionView{Unit: opNames[o.GetString("unit")], Text: o.GetString("text"), Created: o.GetString("created")})
		}
		out["opinions"] = views
	}

	if proposal.Status(rec.GetString("status")) == proposal.Answered {
		if s, err := ReadSettings(app); err == nil {
			if cal, err := calendar.Of(app); err == nil {
				out["rating_due"] = proposal.RatingDue(fromRecord(rec), s.Config, cal).UTC().Format(time.RFC3339)
			}
		}
	}
	return e.JSON(http.StatusOK, out)
}
