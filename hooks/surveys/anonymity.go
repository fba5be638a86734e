package surveys

import (
	"crypto/rand"
	"encoding/binary"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/pii"
	"simeng/survey"
)

// The anonymous collections: nobody reads or writes them through the
// records API, superusers included; their rows are written only by a
// response (RecordResponse) and read only as results.
var anonymous = []string{textsCollection, participationsCollection}

const closedMessage = "调查答卷只能以汇总结果查看（/api/surveys/{id}/results），不能逐条读取或修改。"

func bindAnonymity(app core.App) {
	app.OnRecordsListRequest(anonymous...).BindFunc(func(e *core.RecordsListRequestEvent) error {
		return e.ForbiddenError(closedMessage, nil)
	})
	deny := func(e *core.RecordRequestEvent) error { return e.ForbiddenError(closedMessage, nil) }
	app.OnRecordViewRequest(anonymous...).BindFunc(deny)
	app.OnRecordCreateRequest(anonymous...).BindFunc(deny)
	app.OnRecordUpdateRequest(anonymous...).BindFunc(deny)
	app.OnRecordDeleteRequest(anonymous...).BindFunc(deny)
	// Realtime would tell a watcher when a text arrived.
	app.OnRealtimeSubscribeRequest().BindFunc(func(e *core.RealtimeSubscribeRequestEvent) error {
		for _, s := range e.Subscriptions {
			for _, c := range anonymous {
				if s == c || strings.HasPrefix(s, c+"/") || strings.HasPrefix(s, c+"?") {
					return e.ForbiddenError(closedMessage, nil)
				}
			}
		}
		return e.Next()
	})
	// The counts are hidden from every response, superusers' too: the
	// results route shows them grouped so no small group can be read off.
	// (After e.Next(): PocketBase unhides every field for superusers there.)
	app.OnRecordEnrich(surveysCollection).BindFunc(func(e *core.RecordEnrichEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		e.Record.Hide("tally")
		return nil
	})
	// A deleted survey takes its texts and phone hashes with it (they hold
	// the survey's id, not a relation, so that no expand reaches them).
	app.OnRecordAfterDeleteSuccess(surveysCollection).BindFunc(func(e *core.RecordEvent) error {
		for _, c := range anonymous {
			if _, err := e.App.DB().Delete(c, dbx.HashExp{"survey": e.Record.Id}).Execute(); err != nil {
				return err
			}
		}
		return e.Next()
	})
}

// scatter moves a just-written row of an anonymous collection to a random
// rowid, so that neither the table's order nor the admin UI's default sort
// (newest rowid first) tells which rows arrived together or when.
func scatter(tx core.App, collection, id string) error {
	for range 8 {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		rowid := int64(binary.BigEndian.Uint64(b[:])>>2) + 1 // positive, far from the small ones SQLite hands out
		_, err := tx.DB().NewQuery("UPDATE {{" + collection + "}} SET rowid = {:r} WHERE id = {:id}").
			Bind(dbx.Params{"r": rowid, "id": id}).Execute()
		if err == nil {
			return nil
		}
		if !strings.Contains(err.Error(), "UNIQUE") {
			return err
		}
	}
	return nil // eight collisions in 2^62: keep the row where it is
}

// phoneKey is what a one-per-phone survey keeps of a number: a keyed hash,
// different for every survey, so the same resident's participations in
// two surveys cannot be matched either.
func phoneKey(surveyID, phone string) (string, error) {
	v, err := pii.VaultFromEnv()
	if err != nil {
		return "", err
	}
	return v.Hash("survey:" + surveyID + ":" + phone), nil
}

// textsOf reads a survey's short texts for its results.
func textsOf(app core.App, surveyID string) ([]survey.TextAnswer, error) {
	var rows []struct {
		Question string `db:"question"`
		Village  string `db:"village"`
		Text     string `db:"text"`
	}
	err := app.DB().Select("question", "village", "text").From(textsCollection).
		Where(dbx.HashExp{"survey": surveyID}).All(&rows)
	out := make([]survey.TextAnswer, len(rows))
	for i, r := range rows {
		out[i] = survey.TextAnswer{Question: r.Question, Village: r.Village, Text: r.Text}
	}
	return out, err
}
