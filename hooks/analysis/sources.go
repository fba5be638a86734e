package analysis

import (
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/vocab"
)

// States put every source's statuses on one scale (vocab.DemandStates),
// so the analysis can count and filter what is still open across sources.
const (
	StateOpen       = "open"        // 待办理
	StateInProgress = "in_progress" // 办理中
	StateAnswered   = "answered"    // 已答复
	StateClosed     = "closed"      // 已办结
)

// stateLabels and stateOrder are vocab.DemandStates'.
var (
	stateLabels = func() map[string]string {
		out := map[string]string{}
		for _, t := range vocab.DemandStates {
			out[t.Value] = t.Label
		}
		return out
	}()
	stateOrder = vocab.Values(vocab.DemandStates)
)

// Source is one collection whose records are demands residents raised. A
// capability adds its own with one call in its Register:
//
//	analysis.AddSource(app, analysis.Source{
//		Collection: "deliberation_comments", Label: "议事评论",
//		TextFields: []string{"body"}, AtField: "created", VillageField: "village",
//		States: map[string]string{"approved": analysis.StateClosed},
//		Skip:   func(r *core.Record) bool { return r.GetString("moderation") != "approved" },
//	})
//
// From then on its records are indexed on every write, whatever door they
// come in by, and appear in every view, search and export.
type Source struct {
	Collection string // e.g. "suggestions"
	Label      string // Chinese, shown as the source: 群众建议
	TextFields []string
	AtField    string // a date field; "created" when empty
	// Optional fields; "" when the collection has none.
	VillageField, CategoryField, StatusField, DeputyField, ChannelField string
	// ChannelLabels name the channel values (扫码, 热线…).
	ChannelLabels map[string]string
	// States maps the collection's statuses to the analysis' states
	// (StateOpen…); a status not listed is StateOpen.
	States map[string]string
	// StatusLabels name the collection's own statuses.
	StatusLabels map[string]string
	// Skip reports whether a record is not a demand (spam; a problem that
	// is a suggestion already counted). Optional.
	Skip func(r *core.Record) bool
	// ReplyField is the answer residents were given, shown and exported.
	ReplyField string
	// Personal data for the export with personal data (staff only):
	// the resident's name, their sealed phone and whether they consented.
	NameField, PhoneField, ConsentField string
}

// AddSource makes the records of s.Collection demands: indexed on every
// create, update and delete from now on (a rebuild indexes those already
// there). Call it from a capability's Register; the order of registration
// does not matter.
func AddSource(app core.App, s Source) {
	d := deskOf(app)
	if s.AtField == "" {
		s.AtField = "created"
	}
	src := &s
	d.mu.Lock()
	d.sources = append(d.sources, src)
	d.mu.Unlock()
	bindIndexHooks(app, d, src)
}

// sourceOf returns the source of a collection, nil if none.
func (d *desk) sourceOf(collection string) *Source {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, s := range d.sources {
		if s.Collection == collection {
			return s
		}
	}
	return nil
}

func (d *desk) allSources() []*Source {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]*Source(nil), d.sources...)
}

// text is what residents wrote, the text fields joined.
func (s *Source) text(r *core.Record) string {
	parts := make([]string, 0, len(s.TextFields))
	for _, f := range s.TextFields {
		if v := strings.TrimSpace(r.GetString(f)); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, "\n")
}

func (s *Source) field(r *core.Record, name string) string {
	if name == "" {
		return ""
	}
	return r.GetString(name)
}

func (s *Source) at(r *core.Record) time.Time {
	if t := r.GetDateTime(s.AtField); !t.IsZero() {
		return t.Time()
	}
	return r.GetDateTime("created").Time()
}

func (s *Source) state(status string) string {
	if st, ok := s.States[status]; ok {
		return st
	}
	return StateOpen
}

// channelLabel is how a row's source reads: 群众建议·热线.
func (s *Source) channelLabel(channel string) string {
	if l := s.ChannelLabels[channel]; l != "" {
		return s.Label + "·" + l
	}
	return s.Label
}

// builtinSources are the demands the platform holds today: residents'
// suggestions of every channel (not spam) and the problems list
// (急难愁盼) — except problems that came from a suggestion, which are
// counted as that suggestion. Reception logs of the liaison station
// become suggestions with source station, so they are counted there.
func builtinSources() []Source {
	return []Source{
		{
			Collection: "suggestions", Label: "群众建议",
			TextFields: []string{"content"}, AtField: "received_at",
			VillageField: "village", CategoryField: "category", StatusField: "status", DeputyField: "deputy",
			ChannelField: "source",
			ChannelLabels: map[string]string{"qr": "扫码", "hotline": "热线", "station": "联络站", "paper": "来信",
				"visit": "走访", "enterprise": "企业直报"},
			States: map[string]string{"received": StateOpen, "acknowledged": StateInProgress,
				"transferred": StateInProgress, "answered": StateAnswered, "closed": StateClosed},
			StatusLabels: map[string]string{"received": "待响应", "acknowledged": "已响应，办理中",
				"answered": "已答复", "transferred": "已转交（代表直通车）", "closed": "已办结"},
			Skip:       func(r *core.Record) bool { return r.GetString("moderation") == "spam" },
			ReplyField: "reply",
			NameField:  "resident_name", PhoneField: "resident_phone", ConsentField: "consent",
		},
		{
			Collection: "problems", Label: "急难愁盼问题",
			TextFields: []string{"description"}, AtField: "created",
			VillageField: "village", CategoryField: "category", StatusField: "status", DeputyField: "deputy",
			ChannelField:  "source",
			ChannelLabels: map[string]string{"visit": "走访", "hotline": "热线", "station": "联络站", "inspection": "视察检查"},
			States: map[string]string{"open": StateOpen, "forwarded": StateInProgress,
				"answered": StateAnswered, "closed": StateClosed},
			StatusLabels: map[string]string{"open": "待办理", "forwarded": "已转交（代表直通车）",
				"answered": "已答复", "closed": "已办结"},
			Skip:       func(r *core.Record) bool { return r.GetString("source") == "suggestion" },
			ReplyField: "reply",
		},
	}
}
