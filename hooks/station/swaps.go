package station

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/dutyroster"
)

// Swaps (换班). A deputy asks a colleague of the same station to take one
// of their duty days (cover, 代班) or to exchange days (exchange, 互换);
// the colleague accepts or declines in their app, the requester may
// withdraw. package dutyroster decides validity when the request is made
// and again when it is accepted (a staff edit in between may have made it
// stale): an accepted swap rewrites the duty rows, never the headcount.

type swapBody struct {
	Station   string `json:"station"`
	Kind      string `json:"kind"`
	Other     string `json:"other"`
	Date      string `json:"date"`
	OtherDate string `json:"other_date"`
	Note      string `json:"note"`
}

// swapContext is what a swap is checked against: the station's published
// days on the swap's dates and its eligible deputies (with the days they
// marked unavailable among those dates).
func swapContext(app core.App, st stationInfo, s dutyroster.Swap) ([]dutyroster.DayDuty, []dutyroster.Deputy, error) {
	days, err := stationDays(app, st.ID, s.Date, s.OtherDate)
	if err != nil {
		return nil, nil, err
	}
	recs, err := eligibleDeputies(app, st)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.Id
	}
	lo, hi := s.Date, s.Date
	if s.OtherDate != "" {
		lo, hi = min(lo, s.OtherDate), max(hi, s.OtherDate)
	}
	un, err := unavailableOn(app, ids, lo, hi)
	if err != nil {
		return nil, nil, err
	}
	eligible := make([]dutyroster.Deputy, len(ids))
	for i, id := range ids {
		eligible[i] = dutyroster.Deputy{ID: id, Unavailable: un[id]}
	}
	return days, eligible, nil
}

func swapOf(r *core.Record) dutyroster.Swap {
	return dutyroster.Swap{Kind: dutyroster.SwapKind(r.GetString("kind")), Requester: r.GetString("requester"),
		Other: r.GetString("other"), Date: r.GetString("date"), OtherDate: r.GetString("other_date")}
}

// swapRequest files a swap request from the logged-in deputy.
func swapRequest(e *core.RequestEvent) error {
	var body swapBody
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	if utf8.RuneCountInString(body.Note) > 200 {
		return badField("note", "留言不超过200字")
	}
	s := dutyroster.Swap{Kind: dutyroster.SwapKind(body.Kind), Requester: e.Auth.Id, Other: body.Other,
		Date: body.Date, OtherDate: body.OtherDate}
	if !dutyroster.ValidDate(s.Date) {
		return badField("date", "日期格式应为 2026-04-14")
	}
	filter, params := "deputy = {:me} && date = {:d}", dbx.Params{"me": e.Auth.Id, "d": s.Date}
	if body.Station != "" {
		filter += " && station = {:s}"
		params["s"] = body.Station
	}
	mine, err := publishedDuties(e.App, filter, params)
	if err != nil {
		return err
	}
	switch len(mine) {
	case 0:
		return badField("date", "您在 "+s.Date+" 没有值班安排")
	case 1:
	default:
		return badField("station", "您这一天在两个联络站都有值班，请选择联络站")
	}
	st, err := findStation(e.App, mine[0].GetString("station"))
	if err != nil {
		return err
	}
	var rec *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		days, eligible, err := swapContext(tx, st, s)
		if err != nil {
			return err
		}
		if err := dutyroster.ValidateSwap(s, days, eligible, now(tx)); err != nil {
			return err
		}
		if n, err := tx.CountRecords("duty_swaps", dbx.HashExp{"station": st.ID, "requester": e.Auth.Id, "date": s.Date, "status": "pending"}); err != nil {
			return err
		} else if n > 0 {
			return badField("date", "这一天已有一个待对方确认的换班申请，请等对方答复或先撤回")
		}
		col, err := tx.FindCachedCollectionByNameOrId("duty_swaps")
		if err != nil {
			return err
		}
		rec = core.NewRecord(col)
		rec.Set("station", st.ID)
		rec.Set("kind", string(s.Kind))
		rec.Set("requester", s.Requester)
		rec.Set("other", s.Other)
		rec.Set("date", s.Date)
		rec.Set("other_date", s.OtherDate)
		rec.Set("status", "pending")
		rec.Set("note", strings.TrimSpace(body.Note))
		return tx.Save(rec)
	})
	if err != nil {
		return answer(e, err)
	}
	return e.JSON(http.StatusOK, swapJSON(e.App, rec))
}

func findSwap(e *core.RequestEvent) (*core.Record, error) {
	r, err := e.App.FindRecordById("duty_swaps", e.Request.PathValue("id"))
	if err != nil {
		return nil, e.NotFoundError("换班申请不存在", nil)
	}
	return r, nil
}

// swapAccept: the other deputy takes the day (and, for an exchange, gives
// theirs), if the roster still allows it.
func swapAccept(e *core.RequestEvent) error {
	rec, err := findSwap(e)
	if err != nil {
		return err
	}
	if rec.GetString("other") != e.Auth.Id {
		return e.ForbiddenError("只有被请求换班的代表可以同意", nil)
	}
	if rec.GetString("status") != "pending" {
		return badField("status", "该换班申请已处理（"+rec.GetString("status")+"）")
	}
	st, err := findStation(e.App, rec.GetString("station"))
	if err != nil {
		return err
	}
	s := swapOf(rec)
	var stale error
	err = e.App.RunInTransaction(func(tx core.App) error {
		days, eligible, err := swapContext(tx, st, s)
		if err != nil {
			return err
		}
		if _, err := dutyroster.ApplySwap(s, days, eligible, now(tx)); err != nil {
			stale = err
			return nil
		}
		move := func(date, from, to string) error {
			d, err := dutyOn(tx, st.ID, date, from)
			if err != nil {
				return err
			}
			if err := releaseBookings(tx, st.ID, date, from, "原预约代表当天换班，改由当天值班代表接待"); err != nil {
				return err
			}
			d.Set("deputy", to)
			d.Set("source", sourceSwap)
			return tx.Save(d)
		}
		if err := move(s.Date, s.Requester, s.Other); err != nil {
			return err
		}
		if s.Kind == dutyroster.SwapExchange {
			if err := move(s.OtherDate, s.Other, s.Requester); err != nil {
				return err
			}
		}
		rec.Set("status", "accepted")
		rec.Set("decided_at", types.NowDateTime())
		if err := tx.Save(rec); err != nil {
			return err
		}
		// Other pending requests about the moved days can no longer hold.
		for _, moved := range [][2]string{{s.Date, s.Requester}, {s.OtherDate, s.Other}} {
			if moved[0] == "" {
				continue
			}
			if err := voidSwapsOn(tx, st.ID, moved[0], moved[1], "相关值班已换班"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return answer(e, err)
	}
	if stale != nil {
		rec.Set("status", "void")
		rec.Set("void_reason", "排班已变动，换班不再可行")
		rec.Set("decided_at", types.NowDateTime())
		if err := e.App.Save(rec); err != nil {
			return err
		}
		return answer(e, stale)
	}
	return e.JSON(http.StatusOK, swapJSON(e.App, rec))
}

// swapDecide declines (the other) or withdraws (the requester) a pending swap.
func swapDecide(status string) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		rec, err := findSwap(e)
		if err != nil {
			return err
		}
		who := "other"
		if status == "withdrawn" {
			who = "requester"
		}
		if rec.GetString(who) != e.Auth.Id {
			if who == "other" {
				return e.ForbiddenError("只有被请求换班的代表可以婉拒", nil)
			}
			return e.ForbiddenError("只有申请人可以撤回", nil)
		}
		if rec.GetString("status") != "pending" {
			return badField("status", "该换班申请已处理（"+rec.GetString("status")+"）")
		}
		rec.Set("status", status)
		rec.Set("decided_at", types.NowDateTime())
		if err := e.App.Save(rec); err != nil {
			return err
		}
		return e.JSON(http.StatusOK, swapJSON(e.App, rec))
	}
}

type swapView struct {
	ID            string `json:"id"`
	Station       string `json:"station"`
	Kind          string `json:"kind"`
	Requester     string `json:"requester"`
	RequesterName string `json:"requester_name"`
	Other         string `json:"other"`
	OtherName     string `json:"other_name"`
	Date          string `json:"date"`
	DateLabel     string `json:"date_label"`
	OtherDate     string `json:"other_date,omitempty"`
	OtherLabel    string `json:"other_date_label,omitempty"`
	Status        string `json:"status"`
	Note          string `json:"note,omitempty"`
	VoidReason    string `json:"void_reason,omitempty"`
}

func swapJSON(app core.App, r *core.Record) swapView { return swapViews(app, []*core.Record{r})[0] }

func swapViews(app core.App, rs []*core.Record) []swapView {
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.GetString("requester"), r.GetString("other"))
	}
	names := deputyNames(app, ids)
	out := make([]swapView, len(rs))
	for i, r := range rs {
		v := swapView{ID: r.Id, Station: r.GetString("station"), Kind: r.GetString("kind"),
			Requester: r.GetString("requester"), RequesterName: names[r.GetString("requester")],
			Other: r.GetString("other"), OtherName: names[r.GetString("other")],
			Date: r.GetString("date"), DateLabel: dayLabel(r.GetString("date")), OtherDate: r.GetString("other_date"),
			Status: r.GetString("status"), Note: r.GetString("note"), VoidReason: r.GetString("void_reason")}
		if v.OtherDate != "" {
			v.OtherLabel = dayLabel(v.OtherDate)
		}
		out[i] = v
	}
	return out
}
