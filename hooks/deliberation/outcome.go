package deliberation

import (
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/problems"
	"simeng/topic"
	"simeng/vocab"
)

// ProposalsCollection is where proposals (议案建议, R11) live once that
// capability exists; until then a topic cannot become one.
const ProposalsCollection = "proposals"

func bindOutcomes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/deliberation/topics/{id}/convert", convertTopic).
			Bind(apis.BodyLimit(8 << 10)).
			BindFunc(access.RequirePresidiumOrOffice("只有主席团成员和工作人员可以转办议题。"))
		return se.Next()
	})
}

// convertRequest turns a closed topic into a problem or a proposal.
type convertRequest struct {
	To       string `json:"to"`       // problem, proposal
	Category string `json:"category"` // problem: one of vocab.Topics; proposal: the proposal category
	Village  string `json:"village"`  // problem: the village concerned (optional)
	Sponsor  string `json:"sponsor"`  // proposal: the sponsoring deputy (default: the presidium member asking)
	Type     string `json:"type"`     // proposal: motion or suggestion (default suggestion, 建议)
}

// convertTopic: POST /api/deliberation/topics/{id}/convert. A retry of the
// same conversion answers the same record.
func convertTopic(e *core.RequestEvent) error {
	var req convertRequest
	if err := json.NewDecoder(e.Request.Body).Decode(&req); err != nil {
		return e.BadRequestError("请求内容不是有效的 JSON。", fielderr.New("to", "invalid_json", "请求内容应为 JSON。"))
	}
	var out struct {
		Outcome string `json:"outcome"`
		ID      string `json:"id"`
	}
	err := e.App.RunInTransaction(func(tx core.App) error {
		t, err := tx.FindRecordById(topicsCollection, e.Request.PathValue("id"))
		if errors.Is(err, sql.ErrNoRows) {
			return e.NotFoundError("议题不存在。", nil)
		}
		if err != nil {
			return err
		}
		to, done := topic.Outcome(req.To), topic.Outcome(t.GetString("outcome"))
		if refusal := ruleView(t).ConvertRefusal(to, done); refusal != nil {
			return fielderr.New(refusal.Field, refusal.Code, refusal.Message)
		}
		if done == to && t.GetString("outcome_id") != "" {
			out.Outcome, out.ID = string(done), t.GetString("outcome_id")
			return nil
		}
		id, err := convert(tx, e.Auth, t, to, req)
		out.Outcome, out.ID = string(to), id
		return err
	})
	var verrs validation.Errors
	if errors.As(err, &verrs) {
		return e.BadRequestError("无法转办："+firstMessage(verrs), verrs)
	}
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, out)
}

// convert turns the closed topic t into to and keeps the link on it.
func convert(tx core.App, auth, t *core.Record, to topic.Outcome, req convertRequest) (string, error) {
	var id string
	var err error
	switch to {
	case topic.ToProblem:
		id, err = toProblem(tx, auth, t, req)
	case topic.ToProposal:
		id, err = toProposal(tx, auth, t, req)
	}
	if err != nil {
		return "", err
	}
	t.Set("outcome", string(to))
	t.Set("outcome_id", id)
	return id, tx.Save(t)
}

// ToProblem turns the closed topic topicID into a problem (急难愁盼) of
// category in village, raised by the presidium member by ("" for staff),
// as POST /api/deliberation/topics/{id}/convert does; the demo uses it.
func ToProblem(app core.App, by *core.Record, topicID, category, village string) (string, error) {
	var id string
	err := app.RunInTransaction(func(tx core.App) error {
		t, err := tx.FindRecordById(topicsCollection, topicID)
		if err != nil {
			return err
		}
		if refusal := ruleView(t).ConvertRefusal(topic.ToProblem, topic.Outcome(t.GetString("outcome"))); refusal != nil {
			return fielderr.New(refusal.Field, refusal.Code, refusal.Message)
		}
		id, err = convert(tx, by, t, topic.ToProblem, convertRequest{To: string(topic.ToProblem), Category: category, Village: village})
		return err
	})
	return id, err
}

// toProblem puts the topic's conclusion on the problems list (急难愁盼),
// where the presidium forwards it through 代表直通车; its source is the
// topic.
func toProblem(app core.App, auth *core.Record, t *core.Record, req convertRequest) (string, error) {
	if !slices.Contains(vocab.Topics, req.Category) {
		return "", fielderr.New("category", "validation_required", "请选择问题类别。")
	}
	if req.Village != "" {
		if _, err := app.FindRecordById("villages", req.Village); err != nil {
			return "", fielderr.New("village", "not_found", "村不存在。")
		}
	}
	deputy := ""
	if access.IsDeputyAccount(auth) {
		deputy = auth.Id
	}
	description := truncateRunes("云端议事「"+t.GetString("title")+"」结论："+t.GetString("conclusion"), 990)
	return problems.OpenFor(app, problems.Origin{Source: ProblemSource, SourceID: t.Id, Village: req.Village, Deputy: deputy},
		req.Category, description)
}

// toProposal files the topic's conclusion as a proposal (议案建议) in the
// proposals collection, submitted by the sponsoring deputy, with the fields
// that collection has: title, body, type, category, sponsor, status
// submitted, submitted_at, and the topic's id in source_topic (or topic)
// when it has such a field. The proposals capability's own hooks check it;
// what they refuse is answered as it is.
func toProposal(app core.App, auth *core.Record, t *core.Record, req convertRequest) (string, error) {
	col, err := app.FindCollectionByNameOrId(ProposalsCollection)
	if err != nil {
		return "", fielderr.New("to", "proposals_unavailable", "议案建议功能尚未启用，暂不能转为议案建议。")
	}
	sponsor := req.Sponsor
	if sponsor == "" && access.IsActiveDeputy(auth) {
		sponsor = auth.Id
	}
	if dep, err := app.FindRecordById("deputies", sponsor); sponsor == "" || err != nil || !dep.GetBool("active") {
		return "", fielderr.New("sponsor", "validation_required", "请指定领衔代表（在任的人大代表）。")
	}
	kind := req.Type
	if kind == "" {
		kind = "suggestion"
	}
	body := strings.TrimSpace(t.GetString("background")) + "\n\n【云端议事结论】\n" + strings.TrimSpace(t.GetString("conclusion"))
	p := core.NewRecord(col)
	set := func(field string, v any) {
		if col.Fields.GetByName(field) != nil {
			p.Set(field, v)
		}
	}
	set("title", t.GetString("title"))
	set("body", body)
	set("type", kind)
	set("category", req.Category)
	set("sponsor", sponsor)
	// Waiting for the sponsor (状态「征集附议」) to submit: only the sponsoring deputy may
	// submit a proposal (the proposals' rules), which then numbers it and
	// counts it in its year like any other.
	set("status", "inviting")
	set("source_topic", t.Id)
	set("topic", t.Id)
	if err := app.Save(p); err != nil {
		return "", err
	}
	return p.Id, nil
}

func firstMessage(verrs validation.Errors) string {
	keys := make([]string, 0, len(verrs))
	for k := range verrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	msg := verrs[keys[0]].Error()
	if utf8.RuneCountInString(msg) > 200 {
		msg = string([]rune(msg)[:200])
	}
	return msg
}
