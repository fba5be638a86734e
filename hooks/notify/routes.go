package notify

import (
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	nt "simeng/notify"
)

// bindRoutes adds the workbench's outbox routes (office only) and the
// read mark for a notice read online.
func bindRoutes(se *core.ServeEvent) {
	office := access.RequireOffice("只有工作人员可以处理通知发件箱。")
	se.Router.GET("/api/simeng/notify/status", handleStatus).BindFunc(office)
	se.Router.POST("/api/simeng/notify/outbox/{id}/resend", handleResend).BindFunc(office)
	se.Router.POST("/api/simeng/notices/{id}/read", handleRead)
	se.Router.POST("/api/simeng/meetings/{id}/notify", handleMeetingNotice).BindFunc(office)
}

// handleStatus says which channels are on and how many messages wait or
// are dead.
func handleStatus(e *core.RequestEvent) error {
	out := map[string]any{}
	for _, ch := range nt.Channels {
		var counts []struct {
			State string `db:"state"`
			N     int    `db:"n"`
		}
		e.App.DB().NewQuery("SELECT [[state]], count(*) AS n FROM " + Outbox + " WHERE [[channel]] = {:ch} GROUP BY [[state]]").
			Bind(map[string]any{"ch": string(ch)}).All(&counts)
		byState := map[string]int{}
		for _, c := range counts {
			byState[c.State] = c.N
		}
		out[string(ch)] = map[string]any{"on": ChannelOn(e.App, ch), "states": byState}
	}
	return e.JSON(http.StatusOK, out)
}

// handleResend puts a dead message back in line: staff decided to send it
// again (for an SMS whose outcome was unknown, knowing it may arrive twice).
func handleResend(e *core.RequestEvent) error {
	rec, err := e.App.FindRecordById(Outbox, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("没有这条通知。", nil)
	}
	s := serviceOf(e.App)
	d, err := s.store.delivery(rec.GetString("key"))
	if err != nil {
		return err
	}
	if d.State != nt.Dead {
		return e.BadRequestError("只能重新发送已放弃的通知。", nil)
	}
	if !ChannelOn(e.App, d.Channel) {
		return e.BadRequestError("该渠道尚未开通，无法发送。", nil)
	}
	next := d.Revive(time.Now(), s.worker.Policies[d.Channel])
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := (&store{app: tx}).Save(e.Request.Context(), next); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: "resend", Collection: Outbox, RecordID: rec.Id,
			Changes: map[string][2]any{"state": {string(d.State), string(next.State)}}, Reason: d.LastError})
	})
	if err != nil {
		return err
	}
	s.kickNow()
	return e.JSON(http.StatusOK, map[string]any{"state": string(next.State)})
}

// handleRead marks the caller's own notice read (the workbench, and a
// deputy online; offline phones push read_at with the sync).
func handleRead(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("请先登录。", nil)
	}
	n, err := e.App.FindRecordById(Notices, e.Request.PathValue("id"))
	if err != nil || !(n.GetString("deputy") == e.Auth.Id && access.IsActiveDeputy(e.Auth) ||
		n.GetString("staff") == e.Auth.Id && access.IsOffice(e.Auth)) {
		return e.NotFoundError("没有这条通知。", nil)
	}
	if n.GetString("read_at") == "" {
		n.Set("read_at", time.Now())
		if err := e.App.Save(n); err != nil {
			return err
		}
	}
	return e.JSON(http.StatusOK, map[string]any{"id": n.Id, "read_at": n.GetString("read_at")})
}

// handleMeetingNotice sends the meeting notice (会议通知) to everyone
// expected: staff press 发送通知; {"urgent": true} sends SMS at night too.
// Pressing it again sends nothing twice.
func handleMeetingNotice(e *core.RequestEvent) error {
	m, err := e.App.FindRecordById("meetings", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("没有这个会议。", nil)
	}
	var body struct {
		Urgent bool `json:"urgent"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("请求格式不正确。", nil)
	}
	start := m.GetDateTime("starts_at").Time()
	if !start.After(time.Now()) {
		return e.BadRequestError("会议已经开始，不能再发通知。", nil)
	}
	params := map[string]string{"meeting": m.GetString("title"), "start": minute(start), "place": m.GetString("place"), "link": "#/meetings"}
	var msgs []nt.Message
	for _, dep := range m.GetStringSlice("expected") {
		msgs = append(msgs, both(nt.Message{EventKey: nt.EventKey(nt.TplMeetingNotice, m.Id), Recipient: dep,
			Template: nt.TplMeetingNotice, Params: params, Urgent: body.Urgent, NotAfter: start})...)
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := Enqueue(tx, msgs...); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: "notify", Collection: "meetings", RecordID: m.Id,
			Reason: "发送会议通知"})
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"recipients": len(m.GetStringSlice("expected"))})
}
