package verification

import (
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/notify"
	"simeng/hooks/syncengine"
	nt "simeng/notify"
	"simeng/plausibility"
)

// Callback spot-checks (回访): each month a random sample of the previous
// month's visits, to households with a phone, is drawn once (the cron on
// the 1st at 08:00 China time, or the first request for the month) and
// called back by staff or the presidium; the result is recorded against
// the visit, and a denial raises a flag.

// sendNotice queues, instead of a call, the SMS notice to the household of
// a sampled visit (template visit_notice: the visit's date and the office's
// number to call if it did not happen; nothing about anyone else) where
// the township's sms_notice setting is on with an office number, SMS is
// configured (notify.ChannelOn) and the household agreed to a text when
// it confirmed the visit (confirmation.sms). It reports whether a notice
// was queued: then the callback's method is sms_notice and no result is
// expected. The outbox sends it outside the night's quiet hours, to the
// household's phone opened from its seal at sending.
func sendNotice(tx core.App, s Settings, visitID string) (bool, error) {
	if !s.SMSNotice || s.OfficePhone == "" || !notify.ChannelOn(tx, nt.SMS) {
		return false, nil
	}
	v, err := tx.FindRecordById("visits", visitID)
	if err != nil {
		return false, err
	}
	if c, ok := storedConfirmation(v); !ok || !c.SMS {
		return false, nil
	}
	date := chinatime.In(v.GetDateTime("visited_at").Time()).Format(time.DateOnly)
	err = notify.Enqueue(tx, nt.Message{EventKey: nt.EventKey(nt.TplVisitNotice, visitID),
		Recipient: notify.HouseholdRecipient(v.GetString("household")), Channel: nt.SMS, Template: nt.TplVisitNotice,
		Params: map[string]string{"date": date, "office": s.OfficePhone}})
	return err == nil, err
}

var monthPattern = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

const maxCallbackNote = 300

func bindCallbacks(app core.App) {
	app.Cron().MustAdd("verificationCallbackSample", "0 0 1 * *", func() { // 00:00 UTC = 08:00 China time
		prev := chinatime.In(time.Now()).AddDate(0, 0, -1)
		if _, err := DrawSample(app, prev.Format("2006-01")); err != nil {
			app.Logger().Error("callback sample", "error", err)
		}
	})
}

// DrawSample returns the month's (YYYY-MM) callback sample, drawing it
// first if it was not: once a month, whoever asks first.
func DrawSample(app core.App, month string) (*core.Record, error) {
	var out *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindFirstRecordByFilter("callback_samples", "month = {:m}", dbx.Params{"m": month})
		if err == nil {
			out = r
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		start, err := time.ParseInLocation("2006-01", month, chinatime.Location())
		if err != nil {
			return err
		}
		from, to := start, start.AddDate(0, 1, 0)
		var rows []struct {
			ID        string `db:"id"`
			Deputy    string `db:"deputy"`
			Household string `db:"household"`
			Called    int    `db:"called"`
		}
		err = tx.DB().Select("v.id", "v.deputy", "v.household",
			"(SELECT COUNT(*) FROM callbacks c WHERE c.visit = v.id) AS called").
			From("visits v").InnerJoin("households h", dbx.NewExp("h.id = v.household")).
			Where(dbx.NewExp("v.visited_at >= {:from} AND v.visited_at < {:to} AND h.phone != ''",
				dbx.Params{"from": dateString(from), "to": dateString(to)})).
			OrderBy("v.deputy", "v.id").All(&rows)
		if err != nil {
			return err
		}
		cands := make([]plausibility.CallbackCandidate, 0, len(rows))
		for _, r := range rows {
			cands = append(cands, plausibility.CallbackCandidate{Visit: r.ID, Deputy: r.Deputy, Household: r.Household, CalledBack: r.Called > 0})
		}
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return err
		}
		seed := plausibility.MonthSeed(secret, start.Year(), start.Month())
		size := Load(tx).CallbackSampleSize
		picked := plausibility.SampleCallbacks(seed, size, cands)
		col, err := tx.FindCachedCollectionByNameOrId("callback_samples")
		if err != nil {
			return err
		}
		r = core.NewRecord(col)
		r.Set("month", month)
		r.Set("seed", fmt.Sprintf("%016x", seed))
		r.Set("size", size)
		r.Set("visits", picked)
		r.Set("drawn_at", types.NowDateTime())
		if err := tx.Save(r); err != nil {
			return err
		}
		cbCol, err := tx.FindCachedCollectionByNameOrId("callbacks")
		if err != nil {
			return err
		}
		byID := map[string]int{}
		for i, row := range rows {
			byID[row.ID] = i
		}
		settings := Load(tx)
		for _, id := range picked {
			row := rows[byID[id]]
			cb := core.NewRecord(cbCol)
			cb.Set("sample", r.Id)
			cb.Set("visit", id)
			cb.Set("deputy", row.Deputy)
			cb.Set("household", row.Household)
			cb.Set("method", "phone")
			sent, err := sendNotice(tx, settings, id)
			if err != nil {
				return err
			}
			if sent {
				cb.Set("method", "sms_notice")
			}
			if err := tx.Save(cb); err != nil {
				return err
			}
		}
		out = r
		return audit.Write(tx, audit.Entry{Actor: audit.System("verification"), Action: "draw", Collection: "callback_samples",
			RecordID: r.Id, Changes: map[string][2]any{"visits": {nil, len(picked)}}, Reason: month})
	})
	return out, err
}

type callbackItem struct {
	ID         string `json:"id"`
	Visit      string `json:"visit"`
	DeputyName string `json:"deputy_name"`
	Village    string `json:"village"`
	HeadName   string `json:"head_name"`
	Phone      string `json:"phone"` // unmasked: only the office and the presidium call
	VisitedAt  string `json:"visited_at"`
	Result     string `json:"result"`
	Method     string `json:"method"`
	Note       string `json:"note"`
	By         string `json:"by"`
	At         string `json:"at"`
}

// handleCallbackList: GET /api/verification/callbacks?month=YYYY-MM
// (default: last month), drawing the month's sample on first request.
func handleCallbackList(e *core.RequestEvent) error {
	if err := reviewer(e); err != nil {
		return err
	}
	month := e.Request.URL.Query().Get("month")
	if month == "" {
		month = chinatime.PrevMonthStart(time.Now()).Format("2006-01")
	}
	if !monthPattern.MatchString(month) {
		return e.BadRequestError("月份无效。", fielderr.New("month", "invalid_month", "月份格式应为 2026-03。"))
	}
	if month >= chinatime.In(time.Now()).Format("2006-01") {
		return e.BadRequestError("只能抽查已结束月份的走访。", fielderr.New("month", "month_open", "只能抽查已结束月份的走访。"))
	}
	sample, err := DrawSample(e.App, month)
	if err != nil {
		return e.InternalServerError("", err)
	}
	var rows []struct {
		ID         string         `db:"id"`
		Visit      string         `db:"visit"`
		DeputyName string         `db:"deputy_name"`
		Village    string         `db:"village"`
		HeadName   string         `db:"head_name"`
		Phone      string         `db:"phone"`
		VisitedAt  types.DateTime `db:"visited_at"`
		Result     string         `db:"result"`
		Method     string         `db:"method"`
		Note       string         `db:"note"`
		By         string         `db:"by"`
		At         types.DateTime `db:"at"`
	}
	err = e.App.DB().Select("c.id", "c.visit", "COALESCE(d.name, '') AS deputy_name", "COALESCE(vl.name, '') AS village",
		"COALESCE(h.head_name, '') AS head_name", "COALESCE(h.phone, '') AS phone", "v.visited_at",
		"c.result", "c.method", "c.note", "c.by", "c.at").
		From("callbacks c").InnerJoin("visits v", dbx.NewExp("v.id = c.visit")).
		LeftJoin("deputies d", dbx.NewExp("d.id = v.deputy")).
		LeftJoin("households h", dbx.NewExp("h.id = v.household")).
		LeftJoin("villages vl", dbx.NewExp("vl.id = h.village")).
		Where(dbx.HashExp{"c.sample": sample.Id}).OrderBy("v.visited_at", "c.id").All(&rows)
	if err != nil {
		return e.InternalServerError("", err)
	}
	items := make([]callbackItem, 0, len(rows))
	for _, r := range rows {
		items = append(items, callbackItem{ID: r.ID, Visit: r.Visit, DeputyName: r.DeputyName, Village: r.Village,
			HeadName: r.HeadName, Phone: syncengine.OpenValue(r.Phone), VisitedAt: r.VisitedAt.String(), Result: r.Result, Method: r.Method,
			Note: r.Note, By: r.By, At: r.At.String()})
	}
	return e.JSON(http.StatusOK, map[string]any{"month": month, "seed": sample.GetString("seed"),
		"size": sample.GetInt("size"), "items": items})
}

// handleCallbackResult: POST /api/verification/callbacks/{id} {result, note}.
func handleCallbackResult(e *core.RequestEvent) error {
	if err := reviewer(e); err != nil {
		return err
	}
	cb, err := e.App.FindRecordById("callbacks", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("回访记录不存在。", nil)
	}
	if access.IsSelf(e.Auth, cb.GetString("deputy")) {
		return e.ForbiddenError("不能回访本人的走访。", fielderr.New("visit", "own_visit", "不能回访本人的走访，请由其他人回访。"))
	}
	var body struct {
		Result string `json:"result"`
		Note   string `json:"note"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("请求格式不对。", fielderr.New("result", "invalid_body", "请求应为 {\"result\":…,\"note\":…}。"))
	}
	switch plausibility.CallbackResult(body.Result) {
	case plausibility.Confirmed, plausibility.Denied, plausibility.Unreachable:
	default:
		return e.BadRequestError("回访结果无效。", fielderr.New("result", "invalid_result", "回访结果应为 confirmed（属实）、denied（否认）或 unreachable（未联系上）。"))
	}
	body.Note = strings.TrimSpace(body.Note)
	if utf8.RuneCountInString(body.Note) > maxCallbackNote {
		return e.BadRequestError("备注太长。", fielderr.New("note", "too_long", "备注不能超过300字。"))
	}
	if body.Result == string(plausibility.Denied) && body.Note == "" {
		return e.BadRequestError("请记下农户怎么说的。", fielderr.New("note", "validation_required", "农户否认走访时，请记下农户的原话，代表会看到。"))
	}
	if err := RecordCallback(e.App, cb.Id, body.Result, body.Note, access.ActorName(e.Auth), audit.ActorOf(e, "verification")); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"id": cb.Id, "visit": cb.GetString("visit"), "result": body.Result})
}

// RecordCallback records a callback's result against its visit (the
// latest result on visits.callback) and raises or resolves the callback
// denial flag, with an audit entry, in one transaction. by names the
// caller on the callback row.
func RecordCallback(app core.App, callbackID, result, note, by string, actor audit.Actor) error {
	now := types.NowDateTime()
	return app.RunInTransaction(func(tx core.App) error {
		cb, err := tx.FindRecordById("callbacks", callbackID)
		if err != nil {
			return err
		}
		old := cb.GetString("result")
		cb.Set("result", result)
		cb.Set("note", note)
		cb.Set("by", by)
		cb.Set("at", now)
		if err := tx.Save(cb); err != nil {
			return fmt.Errorf("callback: %w", err)
		}
		visit, err := tx.FindRecordById("visits", cb.GetString("visit"))
		if err != nil {
			return err
		}
		visit.Set("callback", result)
		denied := result == string(plausibility.Denied)
		prior := setCallbackFlag(visit, denied, now.Time())
		if err := tx.Save(visit); err != nil {
			return fmt.Errorf("visit: %w", err)
		}
		if prior != nil && !denied {
			if err := resolveFlag(tx, visit.Id, visit.GetString("deputy"), *prior); err != nil {
				return fmt.Errorf("flag: %w", err)
			}
		}
		return audit.Write(tx, audit.Entry{Actor: actor, Action: "callback", Collection: "visits",
			RecordID: visit.Id, Changes: map[string][2]any{"callback": {old, result}}, Reason: note})
	})
}

// setCallbackFlag adds or drops the callback denial on the visit's open
// flags and gives back the one it had, if any. A denial repeated keeps the
// time it was first raised.
func setCallbackFlag(visit *core.Record, denied bool, at time.Time) *visitFlag {
	var f *plausibility.Flag
	if denied {
		cf := plausibility.CallbackFlag(visit.Id, at)
		f = &cf
	}
	out, prior := replaceKind(openFlags(visit), plausibility.CallbackDenied, f)
	visit.Set("flags", out)
	return prior
}
