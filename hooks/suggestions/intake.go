package suggestions

import (
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"simeng/workdays"
)

// Sources other capabilities record suggestions from (vocab.SuggestionSources).
const (
	SourceStation = "station" // received at the liaison station (代表联络站)
	SourceHotline = "hotline" // a call to the hotline (民情直通车)
)

// Intake is a resident's suggestion that another capability takes down on
// the resident's behalf: a reception at the liaison station, a hotline
// call. It becomes an ordinary suggestion: the same tracking code, the
// same 24-hour and 5-working-day deadlines from ReceivedAt, the same
// sealed phone.
type Intake struct {
	Source     string // SourceStation or SourceHotline
	Deputy     string // the deputy who answers it; "" for the presidium
	Station    string // the liaison station it was received at, if any
	Category   string // one of vocab.Topics
	Content    string
	ReceivedAt time.Time // when the resident was received or called; the clocks run from it
	// The resident's name and phone, only with their consent (X2); the
	// phone in clear, sealed on save.
	Name, Phone string
	Consent     bool
	Photos      []*filesystem.File
}

// Record stores in as a suggestion (in app, which may be a transaction)
// and returns it. Bad input is a validation.Errors naming the
// suggestion's fields (category, content, received_at, resident_phone…).
func Record(app core.App, in Intake) (*core.Record, error) {
	col, err := app.FindCachedCollectionByNameOrId("suggestions")
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Set("source", in.Source)
	r.Set("deputy", in.Deputy)
	r.Set("station", in.Station)
	r.Set("category", in.Category)
	r.Set("content", in.Content)
	r.Set("received_at", in.ReceivedAt.UTC())
	if in.Consent {
		r.Set("resident_name", in.Name)
		r.Set("resident_phone", in.Phone)
	}
	r.Set("consent", in.Consent && (in.Name != "" || in.Phone != ""))
	if len(in.Photos) > 0 {
		r.Set("photos", in.Photos)
	}
	if err := app.Save(r); err != nil {
		return nil, err
	}
	return r, nil
}

// AddPhotos appends photos to a suggestion (a reception's photos arrive
// after the record, through the sync photo route).
func AddPhotos(app core.App, id string, photos []*filesystem.File) error {
	if len(photos) == 0 {
		return nil
	}
	r, err := app.FindRecordById("suggestions", id)
	if err != nil {
		return err
	}
	r.Set("photos+", photos)
	return app.Save(r)
}

// PublicBaseURL is the configured application URL without a trailing
// slash (what QR codes encode), or the address r came in on when none is set.
func PublicBaseURL(app core.App, r *http.Request) string { return publicBaseURL(app, r) }

// Calendar is the working-day calendar the deadlines are computed on:
// lunar-go's official schedules plus staff's calendar_overrides.
func Calendar(app core.App) (*workdays.Calendar, error) {
	if d := deskOf(app); d != nil {
		return d.cal.get()
	}
	return workdays.New(), nil
}

// DeputyReception is what a deputy's public page (/d/{code}) says about
// meeting the deputy at the liaison station (R13): the deputy's next duty
// days with a link to book each, and where the station is.
type DeputyReception struct {
	Station, Address string
	StationURL       string // the station's public page, /s/{code}
	Days             []ReceptionDay
	BookURL          string // book "whoever is on duty" when the deputy has no duty day soon
}

// ReceptionDay is one duty day on the deputy's page.
type ReceptionDay struct {
	Label   string // e.g. 4月14日（周二）农历二月廿七
	BookURL string // "" when bookings are full or closed
	Note    string // e.g. 已约满
}

// PublicExtras are what the liaison station adds to the resident pages:
// the deputy's receptions on /d/{code} and the hotline in every footer.
type PublicExtras struct {
	// Reception answers for a deputy; ok false keeps the page's generic
	// market-day line.
	Reception func(app core.App, deputy *core.Record, now time.Time) (r DeputyReception, ok bool)
	// Hotline is the 民情直通车 number and its hours, "" when none is set.
	Hotline func(app core.App) (number, hours string)
	// Changes names the collections whose writes change what Reception or
	// Hotline answer: the kept deputy pages are forgotten on them.
	Changes []string
}

const extrasStoreKey = "simeng.suggestions.extras"

// SetPublicExtras lets the liaison station capability fill in its parts of
// the resident pages (it registers after this package, so it cannot be
// imported from here).
func SetPublicExtras(app core.App, x PublicExtras) {
	app.Store().Set(extrasStoreKey, x)
	if d := deskOf(app); d != nil {
		d.pages.Watch(app, x.Changes...)
		d.pages.ForgetAll()
	}
}

func extrasOf(app core.App) PublicExtras {
	x, _ := app.Store().Get(extrasStoreKey).(PublicExtras)
	return x
}
