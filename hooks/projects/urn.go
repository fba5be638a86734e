package projects

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"simeng/ballot"
	"simeng/evaluation"
)

// The urns are plain tables created by the migration (ballot_urn,
// evaluation_urn): no collection, so no records API, admin screen, filter,
// expand, realtime event or export reaches them. Only this file reads or
// writes them.

// urnID is a fresh random id (crypto/rand), unrelated to anything else.
func urnID() string {
	return security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789")
}

// dropBallot puts one ballot in vote's urn (in the caller's transaction).
func dropBallot(tx core.App, vote string, choices []string, spoiled bool) error {
	raw, err := json.Marshal(choices)
	if err != nil {
		return err
	}
	sp := 0
	if spoiled {
		sp = 1
	}
	_, err = tx.DB().NewQuery("INSERT INTO ballot_urn (vote, id, choices, spoiled) VALUES ({:v}, {:id}, {:c}, {:s})").
		Bind(dbx.Params{"v": vote, "id": urnID(), "c": string(raw), "s": sp}).Execute()
	return err
}

// ballots reads vote's urn, in the order of the ballots' random ids.
func ballots(app core.App, vote string) ([]ballot.Ballot, error) {
	var rows []struct {
		ID      string `db:"id"`
		Choices string `db:"choices"`
		Spoiled int    `db:"spoiled"`
	}
	err := app.DB().NewQuery("SELECT id, choices, spoiled FROM ballot_urn WHERE vote = {:v} ORDER BY id").
		Bind(dbx.Params{"v": vote}).All(&rows)
	if err != nil {
		return nil, err
	}
	out := make([]ballot.Ballot, len(rows))
	for i, r := range rows {
		out[i] = ballot.Ballot{ID: r.ID, Spoiled: r.Spoiled == 1}
		_ = json.Unmarshal([]byte(r.Choices), &out[i].Choices)
		if out[i].Choices == nil {
			out[i].Choices = []string{}
		}
	}
	return out, nil
}

func urnCount(app core.App, table, column, id string) (int, error) {
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = {:id}").
		Bind(dbx.Params{"id": id}).Row(&n)
	return n, err
}

// paperTyped is what a secret count's paper forms allow: paper, the
// deputies registered as handing in paper, and typed, the paper forms
// already in the urn (all it holds less one per deputy who used the app).
// Typing in more than paper allows is refused by the callers.
func paperTyped(tx core.App, register, urn, key, id string) (typed, paper int64, err error) {
	if paper, err = tx.CountRecords(register, dbx.HashExp{key: id, "method": "paper"}); err != nil {
		return 0, 0, err
	}
	app, err := tx.CountRecords(register, dbx.HashExp{key: id, "method": "app"})
	if err != nil {
		return 0, 0, err
	}
	inUrn, err := urnCount(tx, urn, key, id)
	if err != nil {
		return 0, 0, err
	}
	return int64(inUrn) - app, paper, nil
}

// dropSheet puts one evaluation sheet in evaluation's urn.
func dropSheet(tx core.App, eval string, marks []evaluation.Mark) error {
	raw, err := json.Marshal(marks)
	if err != nil {
		return err
	}
	_, err = tx.DB().NewQuery("INSERT INTO evaluation_urn (evaluation, id, marks) VALUES ({:e}, {:id}, {:m})").
		Bind(dbx.Params{"e": eval, "id": urnID(), "m": string(raw)}).Execute()
	return err
}

// sheets reads evaluation's urn, in the order of the sheets' random ids.
func sheets(app core.App, eval string) ([]evaluation.Sheet, error) {
	var rows []struct {
		ID    string `db:"id"`
		Marks string `db:"marks"`
	}
	err := app.DB().NewQuery("SELECT id, marks FROM evaluation_urn WHERE evaluation = {:e} ORDER BY id").
		Bind(dbx.Params{"e": eval}).All(&rows)
	if err != nil {
		return nil, err
	}
	out := make([]evaluation.Sheet, len(rows))
	for i, r := range rows {
		out[i] = evaluation.Sheet{ID: r.ID}
		_ = json.Unmarshal([]byte(r.Marks), &out[i].Marks)
	}
	return out, nil
}

// deleteUrn drops the ballots or sheets of a deleted vote or evaluation
// (only drafts can be deleted, which have none; and a cascade from a
// deleted meeting).
func deleteUrn(app core.App, table, column, id string) error {
	_, err := app.DB().NewQuery("DELETE FROM " + table + " WHERE " + column + " = {:id}").Bind(dbx.Params{"id": id}).Execute()
	return err
}

// urnName finds an urn named in a view query, however quoted.
var urnName = regexp.MustCompile(`(ballot|evaluation)_urn`)

// anyOpen reports whether a vote or an evaluation is open.
func anyOpen(app core.App) (bool, error) {
	v, err := app.CountRecords(VotesCol, dbx.HashExp{"status": "open"})
	if err != nil {
		return false, err
	}
	ev, err := app.CountRecords(EvaluationsCol, dbx.HashExp{"status": "open"})
	return v+ev > 0, err
}

// bindSecrecy keeps the urns out of reach: no view collection may read
// them (a superuser could otherwise SELECT them next to the register), no
// collection may take their names, no backup is taken while a vote or an
// evaluation is open (two backups compared would split the urn by time),
// and the records of what was cast are not deleted by hand.
func bindSecrecy(app core.App) {
	app.OnCollectionValidate().BindFunc(func(e *core.CollectionEvent) error {
		name := strings.ToLower(e.Collection.Name)
		if urnName.MatchString(name) {
			return validation.Errors{"name": validation.NewError("validation_reserved", "这个名称留给选票箱，不能使用")}
		}
		if e.Collection.IsView() {
			q := strings.ToLower(e.Collection.ViewQuery)
			q = strings.NewReplacer("\"", "", "`", "", "[", "", "]", "", "'", "", " ", "", "\n", "", "\t", "").Replace(q)
			if urnName.MatchString(q) {
				return validation.Errors{"viewQuery": validation.NewError("validation_secret_ballot", "视图不能读取选票箱：选票不记名，不能与投票登记关联")}
			}
		}
		return e.Next()
	})
	app.OnBackupCreate().BindFunc(func(e *core.BackupEvent) error {
		open, err := anyOpen(e.App)
		if err != nil {
			return err
		}
		if open {
			return validation.Errors{"name": validation.NewError("validation_vote_open", "票决或年终评议正在进行，结束前不能备份（备份会留下投票的先后顺序）")}
		}
		return e.Next()
	})
	for _, col := range []string{RegisterCol, EvalRegister} {
		app.OnRecordDeleteRequest(col).BindFunc(func(e *core.RecordRequestEvent) error {
			return e.ForbiddenError("投票登记不能删除。", nil)
		})
		app.OnRecordUpdateRequest(col).BindFunc(func(e *core.RecordRequestEvent) error {
			return e.ForbiddenError("投票登记不能修改。", nil)
		})
		app.OnRecordCreateRequest(col).BindFunc(func(e *core.RecordRequestEvent) error {
			return e.ForbiddenError("请通过投票或登记纸质选票，不能直接添加投票登记。", nil)
		})
	}
	app.OnRecordAfterDeleteSuccess(VotesCol).BindFunc(func(e *core.RecordEvent) error {
		if err := deleteUrn(e.App, "ballot_urn", "vote", e.Record.Id); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordAfterDeleteSuccess(EvaluationsCol).BindFunc(func(e *core.RecordEvent) error {
		if err := deleteUrn(e.App, "evaluation_urn", "evaluation", e.Record.Id); err != nil {
			return err
		}
		return e.Next()
	})
}

// checkpoint folds the write-ahead log into the database file once a vote
// or an evaluation closes, so its frames (in commit order) do not linger.
func checkpoint(app core.App) {
	if _, err := app.DB().NewQuery("PRAGMA wal_checkpoint(TRUNCATE)").Execute(); err != nil {
		app.Logger().Warn("wal checkpoint after a vote", "error", err)
	}
}
