package station

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/booking"
	"simeng/dutyroster"
	"simeng/hooks/internal/fielderr"
)

// Defaults a new station gets (staff change them in the admin UI).
const (
	defaultPerDay = 2
)

// stationInfo is a station's settings as the rules read them.
type stationInfo struct {
	ID, Name, Code, Address, Notes string
	PerDay                         int
	Policy                         dutyroster.HolidayPolicy
	Booking                        booking.Policy
	BookingOpen                    bool     // capacity > 0
	Deputies                       []string // explicit list; empty = every active deputy
	Active                         bool
}

func infoOf(r *core.Record) stationInfo {
	return stationInfo{
		ID: r.Id, Name: r.GetString("name"), Code: r.GetString("code"), Address: r.GetString("address"),
		Notes:       r.GetString("opening_notes"),
		PerDay:      max(1, r.GetInt("duty_per_day")),
		Policy:      dutyroster.HolidayPolicy(r.GetString("holiday_policy")),
		Booking:     booking.Policy{Capacity: r.GetInt("booking_capacity"), Horizon: r.GetInt("booking_horizon_days")},
		BookingOpen: r.GetInt("booking_capacity") > 0,
		Deputies:    r.GetStringSlice("deputies"),
		Active:      r.GetBool("active"),
	}
}

func findStation(app core.App, id string) (stationInfo, error) {
	r, err := app.FindRecordById("stations", id)
	if err != nil {
		return stationInfo{}, err
	}
	return infoOf(r), nil
}

// stationByKey finds an active station by its public code or its id.
func stationByKey(app core.App, key string) (stationInfo, error) {
	if len(key) < 2 || len(key) > 32 {
		return stationInfo{}, sql.ErrNoRows
	}
	r, err := app.FindFirstRecordByFilter("stations", "(code = {:k} || id = {:k}) && active = true", dbx.Params{"k": key})
	if err != nil {
		return stationInfo{}, err
	}
	return infoOf(r), nil
}

// activeStations lists the active stations by name.
func activeStations(app core.App) ([]stationInfo, error) {
	rs, err := app.FindRecordsByFilter("stations", "active = true", "name", 0, 0)
	if err != nil {
		return nil, err
	}
	out := make([]stationInfo, len(rs))
	for i, r := range rs {
		out[i] = infoOf(r)
	}
	return out, nil
}

// eligibleDeputies are the station's active deputies, by id.
func eligibleDeputies(app core.App, st stationInfo) ([]*core.Record, error) {
	var rs []*core.Record
	q := app.RecordQuery("deputies").AndWhere(dbx.HashExp{"active": true}).OrderBy("id")
	if len(st.Deputies) > 0 {
		ids := make([]any, len(st.Deputies))
		for i, id := range st.Deputies {
			ids[i] = id
		}
		q = q.AndWhere(dbx.In("id", ids...))
	}
	return rs, q.All(&rs)
}

func isEligible(app core.App, st stationInfo, deputy string) (bool, error) {
	if len(st.Deputies) > 0 && !slices.Contains(st.Deputies, deputy) {
		return false, nil
	}
	d, err := app.FindRecordById("deputies", deputy)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return d.GetBool("active"), nil
}

// selfcheckResult is one item of a yearly self-check.
type selfcheckResult struct {
	Item string `json:"item"`
	Met  bool   `json:"met"`
	Note string `json:"note,omitempty"`
}

func bindStationRecords(app core.App) {
	// A new station gets the defaults; staff may later set booking
	// capacity 0 to close online bookings.
	app.OnRecordCreate("stations").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		if r.GetInt("duty_per_day") == 0 {
			r.Set("duty_per_day", defaultPerDay)
		}
		if r.GetInt("booking_capacity") == 0 {
			r.Set("booking_capacity", booking.DefaultCapacity)
		}
		if r.GetInt("booking_horizon_days") == 0 {
			r.Set("booking_horizon_days", booking.DefaultHorizon)
		}
		if r.GetString("holiday_policy") == "" {
			r.Set("holiday_policy", string(dutyroster.HolidayKeep))
		}
		return e.Next()
	})
	app.OnRecordValidate("stations").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetInt("duty_per_day") == 0 {
			return fielderr.Merge(e.Next(), validation.Errors{"duty_per_day": validation.NewError("validation_required", "每个赶集日至少1人值班")})
		}
		return e.Next()
	})

	// The yearly self-check (六有自查) covers every item of its station's
	// checklist, once; met and total are counted here.
	app.OnRecordValidate("station_selfchecks").BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		if err := checkSelfcheck(e.App, e.Record); err != nil {
			errs["results"] = err
		}
		if len(errs) > 0 {
			return fielderr.Merge(e.Next(), errs)
		}
		return e.Next()
	})

	app.OnRecordAfterCreateSuccess("station_settings").BindFunc(forgetHotline)
	app.OnRecordAfterUpdateSuccess("station_settings").BindFunc(forgetHotline)
	app.OnRecordAfterDeleteSuccess("station_settings").BindFunc(forgetHotline)

	// One settings row: the hotline is the township's.
	app.OnRecordCreate("station_settings").BindFunc(func(e *core.RecordEvent) error {
		var n int
		if err := e.App.DB().Select("count(*)").From("station_settings").Row(&n); err != nil {
			return err
		}
		if n > 0 {
			return fielderr.New("hotline", "validation_single_row", "热线设置只有一条，请修改已有的那一条")
		}
		return e.Next()
	})
}

func checkSelfcheck(app core.App, r *core.Record) validation.Error {
	var results []selfcheckResult
	raw, _ := r.Get("results").(types.JSONRaw)
	if len(raw) == 0 || string(raw) == "null" || json.Unmarshal(raw, &results) != nil {
		return validation.NewError("validation_invalid_results", `自查结果格式应为 [{"item":"项目id","met":true,"note":"说明"}]`)
	}
	var items []string
	if err := app.DB().Select("id").From("station_items").Where(dbx.HashExp{"station": r.GetString("station")}).Column(&items); err != nil {
		return validation.NewError("validation_invalid_results", "读取六有项目失败")
	}
	if len(items) == 0 {
		return validation.NewError("validation_no_items", "请先为该联络站建立“六有”项目，再填写自查")
	}
	seen := map[string]bool{}
	met := 0
	for i, res := range results {
		if !slices.Contains(items, res.Item) {
			return validation.NewError("validation_unknown_item", fmt.Sprintf("第%d项不是本联络站的六有项目", i+1))
		}
		if seen[res.Item] {
			return validation.NewError("validation_duplicate_item", fmt.Sprintf("第%d项重复", i+1))
		}
		seen[res.Item] = true
		if res.Met {
			met++
		}
	}
	if len(seen) != len(items) {
		return validation.NewError("validation_missing_items", fmt.Sprintf("六有共%d项，自查结果只填了%d项，请逐项填写", len(items), len(seen)))
	}
	r.Set("met", met)
	r.Set("total", len(items))
	return nil
}

// Hotline is the hotline (民情直通车) number and its hours, "" when staff
// have not set one. Every resident page shows it: it is read once and kept
// until the setting changes.
func Hotline(app core.App) (number, hours string) {
	d := deskOf(app)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.hotline == nil {
		h := [2]string{}
		if r, err := app.FindFirstRecordByFilter("station_settings", "id != ''"); err == nil {
			h = [2]string{strings.TrimSpace(r.GetString("hotline")), strings.TrimSpace(r.GetString("hotline_hours"))}
		}
		d.hotline = &h
	}
	return d.hotline[0], d.hotline[1]
}

// forgetHotline drops the kept hotline after a change of the setting.
func forgetHotline(e *core.RecordEvent) error {
	d := deskOf(e.App)
	d.mu.Lock()
	d.hotline = nil
	d.mu.Unlock()
	return e.Next()
}

// sixStatus is a station's 六有 status: its checklist and the latest
// yearly self-check.
type sixStatus struct {
	Items                []sixItem
	Year, Met, Total     int
	CheckedBy, CheckedAt string
}

type sixItem struct {
	Title, Description string
	Met, Checked       bool
	Evidence           int
}

func stationSix(app core.App, station string) (sixStatus, error) {
	items, err := app.FindRecordsByFilter("station_items", "station = {:s}", "sort,created", 0, 0, dbx.Params{"s": station})
	if err != nil {
		return sixStatus{}, err
	}
	var out sixStatus
	checks, err := app.FindRecordsByFilter("station_selfchecks", "station = {:s}", "-year", 1, 0, dbx.Params{"s": station})
	if err != nil {
		return sixStatus{}, err
	}
	met := map[string]bool{}
	if len(checks) == 1 {
		c := checks[0]
		out.Year, out.Met, out.Total = c.GetInt("year"), c.GetInt("met"), c.GetInt("total")
		out.CheckedBy = c.GetString("checked_by")
		out.CheckedAt = chinaDay(c.GetDateTime("checked_at").Time())
		var results []selfcheckResult
		if raw, _ := c.Get("results").(types.JSONRaw); len(raw) > 0 {
			json.Unmarshal(raw, &results)
		}
		for _, res := range results {
			met[res.Item] = res.Met
		}
	}
	for _, it := range items {
		m, checked := met[it.Id]
		out.Items = append(out.Items, sixItem{Title: it.GetString("title"), Description: it.GetString("description"),
			Met: m, Checked: checked, Evidence: len(it.GetStringSlice("evidence"))})
	}
	return out, nil
}
