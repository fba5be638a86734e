package vocab_test

import (
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	_ "simeng/migrations"
	"simeng/scoring"
	"simeng/vocab"
)

// The schema the (frozen) migrations built takes its values and limits from
// the same lists the server validates with and the PWA shows: a new topic,
// status or photo limit needs a migration as well as a change here.
func TestSchemaMatchesVocab(t *testing.T) {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir()})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	defer app.ResetBootstrapState()
	if err := app.RunAllMigrations(); err != nil {
		t.Fatal(err)
	}
	field := func(collection, name string) core.Field {
		t.Helper()
		c, err := app.FindCollectionByNameOrId(collection)
		if err != nil {
			t.Fatal(err)
		}
		f := c.Fields.GetByName(name)
		if f == nil {
			t.Fatalf("%s has no field %s", collection, name)
		}
		return f
	}
	selects := []struct {
		collection, field string
		want              []string
	}{
		{"visits", "topics", vocab.Topics},
		{"problems", "category", vocab.Topics},
		{"suggestions", "category", vocab.Topics},
		{"suggestions", "enterprise_topic", vocab.EnterpriseTopics},
		{"inspections", "departments", vocab.Departments},
		{"inspections", "kind", vocab.Values(vocab.InspectionKinds)},
		{"problems", "status", vocab.Values(vocab.ProblemStatuses)},
		{"hazards", "status", vocab.Values(vocab.HazardStatuses)},
		{"suggestions", "status", vocab.Values(vocab.SuggestionStatuses)},
		{"suggestions", "source", vocab.Values(vocab.SuggestionSources)},
		{"suggestions", "satisfaction", vocab.Values(vocab.Satisfaction)},
		{"meetings", "kind", vocab.Values(vocab.MeetingKinds)},
		{"meeting_rhythm", "kind", vocab.Values(vocab.MeetingKinds)},
		{"meeting_tasks", "status", vocab.Values(vocab.TaskStatuses)},
		{"problems", "escalation", vocab.Values(vocab.EscalationStages)},
		{"problem_events", "status", vocab.Values(vocab.ProblemStatuses)},
		{"proposals", "type", vocab.Values(vocab.ProposalTypes)},
		{"proposals", "status", vocab.Values(vocab.ProposalStatuses)},
		{"proposals", "grade", vocab.Values(vocab.ProposalGrades)},
		{"proposals", "reply_class", vocab.Values(vocab.ReplyClasses)},
		{"proposals", "rating", vocab.Values(vocab.ProposalRatings)},
		{"proposals", "escalation", vocab.Values(vocab.EscalationStages)},
		{"proposal_events", "action", vocab.Values(vocab.ProposalActions)},
		{"projects", "status", vocab.Values(vocab.ProjectStatuses)},
		{"projects", "source_kind", vocab.Values(vocab.ProjectSources)},
		{"votes", "status", vocab.Values(vocab.VoteStatuses)},
		{"evaluations", "status", vocab.Values(vocab.EvaluationStatuses)},
		{"inquiries", "status", vocab.Values(vocab.InquiryStatuses)},
		{"unit_returns", "kind", vocab.Values(vocab.ReturnKinds)},
		{"unit_returns", "status", vocab.Values(vocab.ReturnStatuses)},
		{"supervision_reports", "status", vocab.Values(vocab.ReportStatuses)},
		{"rectification_items", "status", vocab.Values(vocab.RectificationStatuses)},
		{"units", "kind", vocab.Values(vocab.UnitKinds)},
		{"stations", "holiday_policy", vocab.Values(vocab.HolidayPolicies)},
		{"station_rosters", "status", vocab.Values(vocab.RosterStatuses)},
		{"station_duties", "source", vocab.Values(vocab.DutySources)},
		{"station_duties", "status", vocab.Values(vocab.DutyStatuses)},
		{"station_duties", "checkin_method", vocab.Values(vocab.CheckinMethods)},
		{"duty_swaps", "kind", vocab.Values(vocab.SwapKinds)},
		{"duty_swaps", "status", vocab.Values(vocab.SwapStatuses)},
		{"bookings", "status", vocab.Values(vocab.BookingStatuses)},
		{"station_receptions", "category", vocab.Topics},
		{"topics", "status", vocab.Values(vocab.TopicStatuses)},
		{"topics", "audience", vocab.Values(vocab.TopicAudiences)},
		{"topics", "outcome", vocab.Values(vocab.TopicOutcomes)},
		{"topic_comments", "author", vocab.Values(vocab.CommentAuthors)},
		{"topic_comments", "moderation", vocab.Values(vocab.CommentModeration)},
		{"surveys", "status", vocab.Values(vocab.SurveyStatuses)},
		{"research_reports", "status", vocab.Values(vocab.ResearchStatuses)},
		{"articles", "category", vocab.Values(vocab.ArticleCategories)},
	}
	var metrics []string
	for _, m := range scoring.Metrics() {
		metrics = append(metrics, m.Name)
	}
	selects = append(selects, struct {
		collection, field string
		want              []string
	}{"assessment_rules", "no_cases", []string{string(scoring.NoCasesFull), string(scoring.NoCasesZero), string(scoring.NoCasesRescale)}})
	if got := field("assessment_rules", "metric").(*core.SelectField).Values; !slices.Equal(slices.Sorted(slices.Values(got)), metrics) {
		t.Errorf("assessment_rules.metric: schema %v, scoring %v", got, metrics)
	}
	for _, s := range selects {
		got := field(s.collection, s.field).(*core.SelectField).Values
		if !slices.Equal(got, s.want) {
			t.Errorf("%s.%s: schema %v, vocab %v", s.collection, s.field, got, s.want)
		}
	}
	for _, name := range []string{"visits", "inspections", "hazards", "hazard_followups", "station_receptions"} {
		f := field(name, "photos").(*core.FileField)
		want := vocab.PhotosPerRecord
		if name == "visits" {
			want++ // the household's signature (hooks/verification) travels as one more file
		}
		if f.MaxSelect != want || f.MaxSize != vocab.MaxPhotoBytes || !slices.Equal(f.MimeTypes, vocab.PhotoTypes) {
			t.Errorf("%s.photos: %d photos of %d bytes, %v; vocab %d of %d, %v", name, f.MaxSelect, f.MaxSize, f.MimeTypes,
				vocab.PhotosPerRecord, vocab.MaxPhotoBytes, vocab.PhotoTypes)
		}
	}
	if f := field("suggestions", "photos").(*core.FileField); f.MaxSize != vocab.MaxPhotoBytes || !slices.Equal(f.MimeTypes, vocab.SuggestionPhotoTypes) {
		t.Errorf("suggestions.photos: %d bytes, %v; vocab %d, %v", f.MaxSize, f.MimeTypes, vocab.MaxPhotoBytes, vocab.SuggestionPhotoTypes)
	}
}
