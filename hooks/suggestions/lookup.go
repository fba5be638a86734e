package suggestions

import (
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
	"simeng/pii"
)

// phoneRepeatLimit: more suggestions than this from one phone number in a
// day are stored for staff review rather than trusted outright.
const phoneRepeatLimit = 5

func bindSuggestionLookup(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// POST, not GET: request logs keep URLs, and the phone must not be in them.
		se.Router.POST("/api/simeng/suggestions/by-phone", suggestionsByPhone).BindFunc(access.RequireOffice("只有工作人员可以按手机号查找建议。"))
		return se.Next()
	})
}

// suggestionsByPhone lets staff find every suggestion a resident sent, by
// the keyed hash of their phone number: the number itself is never stored in
// a searchable form.
func suggestionsByPhone(e *core.RequestEvent) error {
	var body struct {
		Phone string `json:"phone"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("Invalid body.", err)
	}
	phone := pii.NormalizeMobile(body.Phone)
	if !pii.ValidMobile(phone) {
		return e.BadRequestError("Invalid phone.", validation.Errors{
			"phone": validation.NewError("validation_invalid_mobile", "手机号应为11位数字，例如 13812345678"),
		})
	}
	v, err := pii.VaultFromEnv()
	if err != nil {
		return err
	}
	recs, err := e.App.FindRecordsByFilter("suggestions", "resident_phone_hash = {:h}", "-received_at", 200, 0, dbx.Params{"h": v.Hash(phone)})
	if err != nil {
		return err
	}
	type item struct {
		ID         string `json:"id"`
		Tracking   string `json:"tracking"`
		Status     string `json:"status"`
		Deputy     string `json:"deputy"`
		Category   string `json:"category"`
		ReceivedAt string `json:"received_at"`
	}
	items := make([]item, 0, len(recs))
	for _, r := range recs {
		items = append(items, item{r.Id, r.GetString("tracking"), r.GetString("status"), r.GetString("deputy"),
			r.GetString("category"), r.GetDateTime("received_at").String()})
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// phoneRepeats counts the suggestions sent from phone in the day before now.
func phoneRepeats(app core.App, phone string, now time.Time) int {
	v, err := pii.VaultFromEnv()
	if err != nil {
		return 0
	}
	n, err := app.CountRecords("suggestions", dbx.NewExp("resident_phone_hash = {:h} AND received_at > {:since}",
		dbx.Params{"h": v.Hash(phone), "since": now.Add(-24 * time.Hour).UTC().Format("2006-01-02 15:04:05.000Z")}))
	if err != nil {
		return 0
	}
	return int(n)
}
