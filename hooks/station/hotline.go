package station

import (
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
	"simeng/hooks/suggestions"
)

// The hotline (民情直通车): its number is a setting (station_settings)
// shown on the public pages; a call is logged by staff as a suggestion
// with source hotline, its clocks running from the time of the call. The
// staff workbench gives this route its screen.

type hotlineBody struct {
	ReceivedAt string `json:"received_at"` // the call's time, RFC 3339; default now
	Deputy     string `json:"deputy"`      // who answers it; "" for the presidium
	Category   string `json:"category"`
	Content    string `json:"content"`
	Name       string `json:"resident_name"`
	Phone      string `json:"resident_phone"`
	Consent    bool   `json:"consent"`
}

// hotlineCall logs a hotline call as a suggestion.
func hotlineCall(e *core.RequestEvent) error {
	var body hotlineBody
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	at := time.Now()
	if s := strings.TrimSpace(body.ReceivedAt); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return badField("received_at", "来电时间格式应为 2026-04-14T09:30:00+08:00")
		}
		at = t
	}
	if (body.Name != "" || body.Phone != "") && !body.Consent {
		return badField("consent", "留下群众姓名或手机号，须群众同意")
	}
	if body.Deputy != "" {
		if d, err := e.App.FindRecordById("deputies", body.Deputy); err != nil || !d.GetBool("active") {
			return badField("deputy", "请选择在任代表，或留空由主席团答复")
		}
	}
	s, err := suggestions.Record(e.App, suggestions.Intake{
		Source: suggestions.SourceHotline, Deputy: body.Deputy, Category: body.Category,
		Content: strings.TrimSpace(body.Content), ReceivedAt: at,
		Name: strings.TrimSpace(body.Name), Phone: strings.TrimSpace(body.Phone), Consent: body.Consent,
	})
	if err != nil {
		return answer(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"id": s.Id, "tracking": s.GetString("tracking"), "source": s.GetString("source"),
		"received_at": s.GetString("received_at"), "ack_due": s.GetString("ack_due"), "feedback_due": s.GetString("feedback_due"),
		"logged_by": access.ActorLabel(e.Auth),
	})
}
