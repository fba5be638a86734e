package learning_test

import (
	"net/http"
	"testing"

	"simeng/internal/testapp"
)

// The role × collection × operation matrix of the learning board, denied
// cases first: deputies read published articles, staff write them; read
// receipts come through the sync routes only, each deputy reads their
// own, the presidium all.
func TestRulesArticles(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/articles/records"
	one := list + "/" + f.IDs["article_policy"]
	draft := list + "/" + f.IDs["article_draft"]
	create := `{"title":"代表议案建议写作要点","category":"training","body":"写清问题、原因和建议。","published":true}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodGet, URL: draft, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodGet, URL: draft, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: []string{"Failed to create record."}},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: []string{"Failed to create record."}},
		{Role: unit, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: []string{"Failed to create record."}},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodPatch, URL: one, Body: `{"title":"改"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: one, Body: `{"title":"改"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodDelete, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":3`}, Absent: []string{f.IDs["article_draft"]}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"title":"","category":"news"}`, Status: 400, Contains: []string{`"title":{`, `"category":{`}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{`"published_at":"2`, `"version":1`}},
		{Role: superuser, Method: http.MethodDelete, URL: one, Status: 204},
		{Role: staff, Method: http.MethodGet, URL: draft, Status: 200, Contains: []string{f.IDs["article_draft"]}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: `{"title":"","category":"news"}`, Status: 400, Contains: []string{`"title":{`}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{`"published_at":"2`, `"version":1`}},
		{Role: staff, Method: http.MethodPatch, URL: one, Body: `{"title":"改过的标题"}`, Status: 200, Contains: []string{"改过的标题"}},
		{Role: staff, Method: http.MethodDelete, URL: one, Status: 204},
	})
}

func TestRulesArticleReads(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/article_reads/records"
	mine := list + "/" + f.IDs["read_policy"]
	body := `{"article":"` + f.IDs["article_rules"] + `","deputy":"` + f.Deputy + `"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: mine, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: body, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPatch, URL: mine, Body: `{"read_at":"2020-01-01 00:00:00.000Z"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodDelete, URL: mine, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":1`}},
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":1`}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: body, Status: 200, Contains: []string{`"read_at":"2`}},
	})
}

// Who has read what: presidium and staff.
func TestRulesReading(t *testing.T) {
	f := testapp.F(t)
	readers := "/api/learning/articles/" + f.IDs["article_policy"] + "/readers"
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: "/api/learning/overview", Status: 401, Contains: []string{`"status":401`}},
		{Role: deputy, Method: http.MethodGet, URL: "/api/learning/overview", Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodGet, URL: readers, Status: 403, Contains: testapp.Forbidden},
		{Role: inactive, Method: http.MethodGet, URL: "/api/learning/reads.xlsx", Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodGet, URL: "/api/learning/articles/nosucharticle00/readers", Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodGet, URL: "/api/learning/overview", Status: 200,
			Contains: []string{`"read":1`, `"deputies":3`, "一图读懂代表建议办理流程"}, Absent: []string{"草稿"}},
		{Role: superuser, Method: http.MethodGet, URL: readers, Status: 200, Contains: []string{`"name":"张三"`, `"name":"李四","village":"桥头村","read_at":""`}},
	})
}
