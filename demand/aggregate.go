package demand

import "time"

// Doc is one record (suggestion, problem, reception log, comment) as the
// analysis sees it: its terms as Extract returned them (distinct per doc).
type Doc struct {
	ID       string // unique across sources, e.g. "suggestions/<id>"
	Village  string // village id; "" when the record names none
	Category string
	At       time.Time // when it was received or raised
	Words    []string
	Phrases  []string
}

// Trend is how a term moved against the previous period.
type Trend string

// Trends: 新出现, 上升, 下降, 持平.
const (
	New     Trend = "new"
	Rising  Trend = "rising"
	Falling Trend = "falling"
	Steady  Trend = "steady"
)

// TermStat is one term or phrase of a period.
type TermStat struct {
	Term     string   `json:"term"`
	Count    int      `json:"count"`    // records of the period that contain it
	Previous int      `json:"previous"` // records of the previous period that contain it
	Delta    int      `json:"delta"`    // Count - Previous
	Change   *float64 `json:"change"`   // Delta / Previous; nil when Previous is 0
	Trend    Trend    `json:"trend"`
	IDs      []string `json:"ids"` // records of the period that contain it, oldest first
}

// TopOptions select what Top counts. Zero values mean the defaults.
type TopOptions struct {
	Period   Period
	Village  string // only this village; "" for all
	Category string // only this category; "" for all
	Limit    int    // terms and phrases listed; default 20
	// MinCount is the fewest records of the period a term or phrase must be
	// in to be listed; default 2, so a phrase is listed only if it recurs.
	MinCount int
	MaxIDs   int // record ids per term; 0 for all
}

// Defaults of TopOptions.
const (
	DefaultLimit    = 20
	DefaultMinCount = 2
)

// Top is a period's most frequent terms and phrases.
type Top struct {
	Period          Period     `json:"-"`
	Records         int        `json:"records"`          // records in the period (after filters)
	PreviousRecords int        `json:"previous_records"` // records in the previous period
	Words           []TermStat `json:"words"`
	Phrases         []TermStat `json:"phrases"`
	// Falling are the words that lost most against the previous period,
	// including those gone altogether, which Words cannot show.
	Falling []TermStat `json:"falling"`
}

// TopTerms counts, for the period and filters of o, in how many records each
// term and phrase appears, compares with the previous period and lists the
// most frequent with their records. Cost is linear in len(docs); a server
// holding all records keeps a Corpus instead of building one per call.
func TopTerms(docs []Doc, o TopOptions) Top { return NewCorpus(docs...).Top(o) }

// VillageTop is one village's Top.
type VillageTop struct {
	Village string `json:"village"`
	Top
}

// TopTermsByVillage is TopTerms for each village that has records in the
// period or the one before (o.Village is ignored), ordered by village.
func TopTermsByVillage(docs []Doc, o TopOptions) []VillageTop {
	return NewCorpus(docs...).TopByVillage(o)
}

func (o TopOptions) withDefaults() TopOptions {
	if o.Limit <= 0 {
		o.Limit = DefaultLimit
	}
	if o.MinCount <= 0 {
		o.MinCount = DefaultMinCount
	}
	if o.Period.Kind == "" {
		o.Period = PeriodOf(Month, o.Period.Start)
	}
	return o
}
