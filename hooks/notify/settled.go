package notify

import (
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	nt "simeng/notify"
)

// stillOpen says, per template of the units' and sponsors' events, in
// which states of which collection the event still matters.
var stillOpen = map[nt.TemplateID][]struct {
	col      string
	statuses []string
}{
	nt.TplAssigned:        {{"problems", []string{"forwarded"}}, {"proposals", []string{"assigned"}}, {"hazards", []string{"open", "rectifying"}}},
	nt.TplRedo:            {{"proposals", []string{"assigned"}}},
	nt.TplProposalReplied: {{"proposals", []string{"answered"}}},
	nt.TplCosponsorInvite: {{"proposals", []string{"inviting"}}},
}

// DropSettled removes the messages still waiting in the outbox about
// matters settled since they were queued (a problem forwarded and closed,
// an invitation answered): for a township's history entered in one go (the
// demo), so that nobody is told today of what ended months ago. It
// returns how many it removed.
func DropSettled(app core.App) (int, error) {
	var rows []struct {
		ID       string `db:"id"`
		EventKey string `db:"event_key"`
		Template string `db:"template"`
	}
	err := app.DB().NewQuery("SELECT [[id]], [[event_key]], [[template]] FROM " + Outbox + " WHERE [[state]] = 'pending'").All(&rows)
	if err != nil {
		return 0, err
	}
	dropped := 0
	for _, r := range rows {
		where, ok := stillOpen[nt.TemplateID(r.Template)]
		if !ok {
			continue
		}
		parts := strings.Split(r.EventKey, "/")
		if len(parts) < 2 {
			continue
		}
		open := false
		for _, w := range where {
			if rec, err := app.FindRecordById(w.col, parts[1]); err == nil {
				open = slices.Contains(w.statuses, rec.GetString("status"))
				break
			}
		}
		if open {
			continue
		}
		if _, err := app.DB().NewQuery("DELETE FROM " + Outbox + " WHERE [[id]] = {:id}").Bind(dbx.Params{"id": r.ID}).Execute(); err != nil {
			return dropped, err
		}
		dropped++
	}
	return dropped, nil
}
