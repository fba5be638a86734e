package notify

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/pocketbase/pocketbase/core"

	nt "simeng/notify"
)

// unitLink is where a handling unit acts on what it is told.
const unitLink = "#/inbox"

// Kinds as messages name them (the template variable kind, ≤ 6 characters).
const (
	kindProposal      = "议案建议"
	kindProblem       = "急难愁盼问题"
	kindHazard        = "隐患"
	kindRectification = "整改事项"
	kindMilestone     = "民生实事节点"
	kindTask          = "督办任务"
)

// bindUnitEvents turns assignments to handling units (承办单位) and the
// steps of a proposal (议案建议) into messages: a proposal assigned (to
// its 主办 and 协办 units), sent back for 重新办理 (to the units), replied
// (to the sponsor), co-sponsors invited (to each invitee); a problem
// (急难愁盼) forwarded to a unit and a hazard assigned to one (to the unit).
// Each in the transaction of the change; deadlines soon and passed are in
// RunDeadlines.
func bindUnitEvents(app core.App) {
	for _, c := range []struct {
		col     string
		changed func(core.App, *core.Record, *core.Record) []nt.Message
	}{
		{"proposals", proposalChanged},
		{"problems", problemChanged},
		{"hazards", hazardChanged},
		{"unit_returns", returnChanged},
	} {
		changed := c.changed
		app.OnRecordCreateExecute(c.col).BindFunc(func(e *core.RecordEvent) error {
			if err := e.Next(); err != nil {
				return err
			}
			return enqueueLogged(e.App, changed(e.App, nil, e.Record))
		})
		app.OnRecordUpdateExecute(c.col).BindFunc(func(e *core.RecordEvent) error {
			if err := e.Next(); err != nil {
				return err
			}
			return enqueueLogged(e.App, changed(e.App, e.Record.Original(), e.Record))
		})
	}
}

// toEach is m for each recipient (in-app and SMS), skipping blanks and
// repeats.
func toEach(m nt.Message, recipients ...string) []nt.Message {
	var out []nt.Message
	seen := map[string]bool{}
	for _, r := range recipients {
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		m.Recipient = r
		out = append(out, both(m)...)
	}
	return out
}

// get reads field of r, "" (or nil) when r is nil: the state before a
// create.
func get(r *core.Record, field string) string {
	if r == nil {
		return ""
	}
	return r.GetString(field)
}

func proposalChanged(app core.App, old, r *core.Record) []nt.Message {
	var msgs []nt.Message
	title := itemTitle(r.GetString("title"))
	units := append([]string{r.GetString("main_unit")}, r.GetStringSlice("co_units")...)
	status, round := r.GetString("status"), r.GetInt("round")
	oldRound := 0
	if old != nil {
		oldRound = old.GetInt("round")
	}
	due := r.GetDateTime("deadline").Time()
	switch {
	case status == "assigned" && round == 2 && oldRound < 2:
		// 不满意 → 重新办理: the same units, a new deadline.
		msgs = append(msgs, toEach(nt.Message{EventKey: nt.EventKey(nt.TplRedo, r.Id), Template: nt.TplRedo,
			Params: map[string]string{"title": title, "due": day(due), "link": unitLink}}, units...)...)
	case status == "assigned" && (get(old, "status") != "assigned" || get(old, "main_unit") != r.GetString("main_unit")):
		// Each assignment is its own event (a proposal returned by a unit
		// (退办) and assigned again tells the new units).
		at := r.GetDateTime("assigned_at").Time()
		msgs = append(msgs, toEach(nt.Message{EventKey: nt.EventKey(nt.TplAssigned, r.Id, strconv.FormatInt(at.Unix(), 10)), Template: nt.TplAssigned,
			Params: map[string]string{"kind": kindProposal, "title": title, "due": day(due), "link": unitLink}}, units...)...)
	}
	if status == "answered" && get(old, "status") != "answered" {
		msgs = append(msgs, toEach(nt.Message{EventKey: nt.EventKey(nt.TplProposalReplied, r.Id, strconv.Itoa(round)), Template: nt.TplProposalReplied,
			Params: map[string]string{"title": title, "link": "#/proposals"}}, r.GetString("sponsor"))...)
	}
	var before []string
	if old != nil {
		before = old.GetStringSlice("co_invited")
	}
	var invited []string
	for _, d := range r.GetStringSlice("co_invited") {
		if !slices.Contains(before, d) {
			invited = append(invited, d)
		}
	}
	if len(invited) > 0 {
		msgs = append(msgs, toEach(nt.Message{EventKey: nt.EventKey(nt.TplCosponsorInvite, r.Id), Template: nt.TplCosponsorInvite,
			Params: map[string]string{"deputy": recordName(app, "deputies", r.GetString("sponsor")), "title": title, "link": "#/proposals"}}, invited...)...)
	}
	return msgs
}

func problemChanged(_ core.App, old, r *core.Record) []nt.Message {
	unit := r.GetString("unit")
	if unit == "" || r.GetString("status") != "forwarded" || (get(old, "status") == "forwarded" && get(old, "unit") == unit) {
		return nil
	}
	// A forward is one event per unit; forwarded again after a reopen
	// (reopens counts them) is another.
	due := r.GetDateTime("deadline").Time()
	return toEach(nt.Message{EventKey: nt.EventKey(nt.TplAssigned, r.Id, "r"+strconv.Itoa(r.GetInt("reopens"))), Template: nt.TplAssigned,
		Params: map[string]string{"kind": kindProblem, "title": itemTitle(r.GetString("description")), "due": day(due), "link": unitLink}}, unit)
}

// itemTitle is a text as a message's item name: without the full stop or
// comma it may end with (the templates go on after it).
func itemTitle(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("。，、；：！？.,;:!?", r)
	})
}

func hazardChanged(_ core.App, old, r *core.Record) []nt.Message {
	unit := r.GetString("unit")
	st := r.GetString("status")
	if unit == "" || get(old, "unit") == unit || (st != "open" && st != "rectifying") {
		return nil
	}
	return toEach(nt.Message{EventKey: nt.EventKey(nt.TplAssigned, r.Id), Template: nt.TplAssigned,
		Params: map[string]string{"kind": kindHazard, "title": itemTitle(r.GetString("title")), "due": day(r.GetDateTime("deadline").Time()), "link": unitLink}}, unit)
}

// returnKinds names the items a unit may return (退办), as messages do.
var returnKinds = map[string]string{"proposal": kindProposal, "problem": kindProblem, "rectification": kindRectification, "hazard": kindHazard}

// returnChanged: a unit's request to return an item (退办) goes to the
// office (each active staff member in the app, and the office group's
// robot); the office's decision goes back to the unit. A reassignment also
// tells the new unit, through the item's own assignment event.
func returnChanged(app core.App, old, r *core.Record) []nt.Message {
	kind, title := returnKinds[r.GetString("kind")], itemTitle(r.GetString("title"))
	status := r.GetString("status")
	switch {
	case old == nil && status == "pending":
		key := nt.EventKey(nt.TplReturnRequested, r.Id)
		params := map[string]string{"unit": recordName(app, "units", r.GetString("unit")), "kind": kind, "title": title, "link": "#/returns"}
		msgs := []nt.Message{{EventKey: key, Recipient: OfficeRobot, Channel: nt.WeCom, Template: nt.TplReturnRequested, Params: params}}
		staff, err := app.FindRecordsByFilter("staff", "active = true", "", 0, 0)
		if err != nil {
			app.Logger().Error("notify: staff for a return request", "error", err)
		}
		for _, st := range staff {
			msgs = append(msgs, nt.Message{EventKey: key, Recipient: st.Id, Channel: nt.InApp, Template: nt.TplReturnRequested, Params: params})
		}
		return msgs
	case status != "pending" && get(old, "status") == "pending":
		decision := "已改派其他单位办理"
		if status == "insisted" {
			decision = "维持交办，请继续办理"
		}
		return toEach(nt.Message{EventKey: nt.EventKey(nt.TplReturnDecided, r.Id), Template: nt.TplReturnDecided,
			Params: map[string]string{"kind": kind, "title": title, "decision": decision, "link": unitLink}}, r.GetString("unit"))
	}
	return nil
}
