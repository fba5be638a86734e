package problems

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/problem"
)

// AssignedTo lists the problems forwarded to the handling unit unitID that
// still involve it (forwarded, waiting for its answer, or answered and not
// yet closed), for the unit's home screen: overdue first (listed for
// supervision, then reported to the presidium), then by deadline. The unit
// answers through POST /api/problems/{id}/answer or the records API
// (status answered with a reply); the same rules apply at both.
func AssignedTo(app core.App, unitID string) ([]*core.Record, error) {
	if unitID == "" {
		return []*core.Record{}, nil
	}
	return app.FindRecordsByFilter("problems", "unit = {:u} && (status = 'forwarded' || status = 'answered')",
		"-overdue,-escalation,deadline,created", 0, 0, dbx.Params{"u": unitID})
}

// PublicStep is a step of a problem as a resident may read it on the
// status page of the suggestion it came from: what happened and when,
// never who in the office did it.
type PublicStep struct {
	At   time.Time
	Text string
	Note string // what someone wrote (a reply, a reason): the page masks numbers in it
}

// PublicProgress is the progress of problem id for a resident: its status
// in words, the deadline of the current forward (zero if none), whether it
// is overdue, and each step.
func PublicProgress(app core.App, id string) (status string, due time.Time, overdue bool, steps []PublicStep, err error) {
	p, err := app.FindRecordById("problems", id)
	if err != nil {
		return "", time.Time{}, false, nil, err
	}
	events, err := Timeline(app, id)
	if err != nil {
		return "", time.Time{}, false, nil, err
	}
	for _, ev := range events {
		at, _ := types.ParseDateTime(ev.At)
		text, note := "", ""
		switch ev.Action {
		case "raise":
			text = "列入急难愁盼清单，由镇人大主席团跟踪督办"
		case "forward":
			text = "转交" + ev.Note + "办理（代表直通车）"
			if d, err := types.ParseDateTime(ev.Deadline); err == nil && !d.IsZero() {
				text += "，办理期限 " + d.Time().In(chinatime.Location()).Format("2006年1月2日")
			}
		case "answer":
			text, note = "承办单位已答复：", ev.Note
		case "close":
			text = "已办结"
		case "reopen":
			text, note = "重新办理：", ev.Note
		case "escalate":
			text = "办理超期，已报主席团督办"
		default:
			continue
		}
		steps = append(steps, PublicStep{At: at.Time(), Text: text, Note: note})
	}
	s := problem.Status(p.GetString("status"))
	return s.Label(), p.GetDateTime("deadline").Time(), p.GetBool("overdue"), steps, nil
}
