package station

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/booking"
	"simeng/hooks/suggestions"
	"simeng/hooks/syncengine"
	"simeng/pii"
	"simeng/vocab"
)

// The reception log (接待登记). During a duty the deputy records each
// resident received, in the PWA, offline, through the same outbox as
// visits (docs/SYNC.md, collection station_receptions). Each reception
// becomes a resident's suggestion, source station, addressed to the
// receiving deputy, its clocks (24 h, 5 working days) running from the
// time of the reception. The resident's name and phone (with consent) go
// only to the suggestion, where they are sealed: the reception record
// never holds them, and the phone drops them once synced.

// contactKey holds the resident's contact between Apply and the record's
// create hook, in the record's memory only (not a field: never stored).
const contactKey = "@station.contact"

type residentContact struct {
	Name, Phone string
	Consent     bool
	Lead        time.Duration // the phone's clock lead at push
}

func bindReceptions(app core.App) {
	syncengine.AddCollection(app, syncengine.Collection{
		Name:         "station_receptions",
		OwnerField:   "deputy",
		Schema:       [2]int{1, 1},
		Fields:       []string{"station", "reception_at", "category", "content", "booking"},
		ExtraKeys:    []string{"resident_name", "resident_phone", "consent"},
		ServerFields: []string{"duty", "suggestion"},
		PhotoField:   "photos",
		PhotosPer:    "每次接待",
		Apply:        applyReception,
	})

	// Whatever door a reception comes in by, it becomes one suggestion,
	// written in the same transaction.
	app.OnRecordCreateExecute("station_receptions").BindFunc(func(e *core.RecordEvent) error {
		if err := receptionToSuggestion(e.App, e.Record); err != nil {
			return err
		}
		if err := e.Next(); err != nil {
			return err
		}
		return receiveBooking(e.App, e.Record)
	})
	// Photos arrive after the record: once they are all in, the suggestion
	// gets copies.
	app.OnRecordUpdateExecute("station_receptions").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		r := e.Record
		if !r.GetBool("complete") || r.Original().GetBool("complete") || r.GetString("suggestion") == "" {
			return nil
		}
		return copyPhotos(e.App, r)
	})
}

// applyReception checks a reception a phone pushed.
func applyReception(c *syncengine.ApplyContext) error {
	app, rec := c.App, c.Record
	if !rec.IsNew() {
		// A reception is told once: its suggestion has its own life.
		orig := rec.Original()
		for _, f := range []string{"station", "reception_at", "category", "content", "booking", "photo_manifest"} {
			if rec.GetString(f) != orig.GetString(f) {
				return validation.Errors{f: validation.NewError("validation_final", "接待记录上传后不能修改；如需更正，请在群众建议中答复说明或联系工作人员")}
			}
		}
		return nil
	}
	errs := validation.Errors{}
	received := rec.GetDateTime("reception_at").Time()
	switch c.CheckDeviceTime(received, time.Now()) {
	case syncengine.TimeMissing:
		errs["reception_at"] = validation.NewError("validation_required", "请填写接待时间")
	case syncengine.TimeInFuture:
		errs["reception_at"] = validation.NewError("future_date", "接待时间不能晚于现在，请检查手机时间")
	case syncengine.TimeTooOld:
		errs["reception_at"] = validation.NewError("too_old", "接待时间早于2020年，请检查手机时间")
	}
	st, err := findStation(app, rec.GetString("station"))
	if err != nil {
		errs["station"] = validation.NewError("not_found", "联络站不存在")
	}
	if !slices.Contains(vocab.Topics, rec.GetString("category")) {
		errs["category"] = validation.NewError("validation_invalid_value", "请从列表中选择类别")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(rec.GetString("content"))); n < 5 || n > 1000 {
		errs["content"] = validation.NewError("validation_length", "请填写群众反映的事项，5到1000个字")
	}
	contact := residentContact{Lead: c.DeviceLead}
	contact.Name = c.Data.String("resident_name")
	contact.Phone = c.Data.String("resident_phone")
	if c.Data.Decode("consent", &contact.Consent) != nil {
		contact.Consent = false // not a boolean: as if not given
	}
	contact.Name, contact.Phone = strings.TrimSpace(contact.Name), strings.TrimSpace(contact.Phone)
	if utf8.RuneCountInString(contact.Name) > 20 {
		errs["resident_name"] = validation.NewError("validation_length", "姓名不超过20个字")
	}
	if contact.Phone != "" && !pii.ValidMobile(pii.NormalizeMobile(contact.Phone)) {
		errs["resident_phone"] = validation.NewError("validation_invalid_mobile", "手机号应为11位数字，例如 13812345678")
	}
	if (contact.Name != "" || contact.Phone != "") && !contact.Consent {
		errs["consent"] = validation.NewError("validation_consent", "留下群众姓名或手机号，须群众同意并勾选")
	}
	if len(errs) > 0 {
		return errs
	}

	// The duty: the deputy is on the published roster of the station that
	// China day (the phone's clock lead taken off).
	day := today(received.Add(-c.DeviceLead))
	duty, err := dutyOn(app, st.ID, day, c.Auth.Id)
	if err != nil {
		return validation.Errors{"reception_at": validation.NewError("validation_no_duty",
			"您 "+day+" 没有在"+st.Name+"值班的安排；临时顶班请先请工作人员排上这一天，再重新上传")}
	}
	rec.Set("duty", duty.Id)
	if id := rec.GetString("booking"); id != "" {
		b, err := app.FindRecordById("bookings", id)
		switch {
		case err != nil:
			return validation.Errors{"booking": validation.NewError("not_found", "预约不存在")}
		case b.GetString("station") != st.ID || b.GetString("date") != day:
			return validation.Errors{"booking": validation.NewError("validation_other_day", "这不是本联络站当天的预约")}
		case b.GetString("reception") != "":
			return validation.Errors{"booking": validation.NewError("validation_received", "这条预约已经登记过接待")}
		}
		if err := booking.CanMark(bookingOf(b), booking.Received, time.Now()); err != nil && b.GetString("status") != string(booking.Received) {
			return validation.Errors{"booking": validation.NewError("validation_status", err.Error())}
		}
	}
	rec.Set(contactKey, contact)
	return nil
}

// receptionToSuggestion writes the reception's suggestion and links it.
func receptionToSuggestion(app core.App, r *core.Record) error {
	if r.GetString("suggestion") != "" {
		return nil
	}
	contact, _ := r.GetRaw(contactKey).(residentContact)
	received := r.GetDateTime("reception_at").Time().Add(-contact.Lead)
	if received.After(time.Now()) {
		received = time.Now()
	}
	in := suggestions.Intake{
		Source: suggestions.SourceStation, Deputy: r.GetString("deputy"), Station: r.GetString("station"),
		Category: r.GetString("category"), Content: strings.TrimSpace(r.GetString("content")), ReceivedAt: received,
		Name: contact.Name, Phone: contact.Phone, Consent: contact.Consent,
	}
	// A booked resident who gave their phone when booking keeps it.
	if id := r.GetString("booking"); id != "" && in.Phone == "" {
		if b, err := app.FindRecordById("bookings", id); err == nil && b.GetBool("consent") {
			if sealed := b.GetString("resident_phone"); sealed != "" {
				if v, err := pii.VaultFromEnv(); err == nil {
					if phone, err := v.Open(sealed); err == nil {
						in.Phone, in.Consent = phone, true
					}
				}
			}
		}
	}
	s, err := suggestions.Record(app, in)
	if err != nil {
		return err
	}
	r.Set("suggestion", s.Id)
	return nil
}

// receiveBooking marks the reception's booking received and links both.
func receiveBooking(app core.App, r *core.Record) error {
	id := r.GetString("booking")
	if id == "" {
		return nil
	}
	b, err := app.FindRecordById("bookings", id)
	if err != nil {
		return nil // checked in Apply; a door without Apply (admin UI) may name a stale one
	}
	b.Set("status", string(booking.Received))
	b.Set("reception", r.Id)
	b.Set("suggestion", r.GetString("suggestion"))
	b.Set("marked_at", types.NowDateTime())
	if dep, err := app.FindRecordById("deputies", r.GetString("deputy")); err == nil {
		b.Set("marked_by", dep.GetString("name")+"（代表）")
	}
	return app.Save(b)
}

// copyPhotos gives the suggestion copies of the reception's photos.
func copyPhotos(app core.App, r *core.Record) error {
	names := r.GetStringSlice("photos")
	if len(names) == 0 {
		return nil
	}
	fs, err := app.NewFilesystem()
	if err != nil {
		return err
	}
	defer fs.Close()
	files := make([]*filesystem.File, 0, len(names))
	for _, n := range names {
		f, err := fs.GetReuploadableFile(r.BaseFilesPath()+"/"+n, false)
		if err != nil {
			return err
		}
		files = append(files, f)
	}
	return suggestions.AddPhotos(app, r.GetString("suggestion"), files)
}
