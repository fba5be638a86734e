package verification

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
	"simeng/hooks/internal/fielderr"
)

// Households found to be the same later (a typo in the head's name, a
// door plate written two ways) are merged by the presidium or the office
// through the alias mechanism the sync engine already follows: the
// duplicate's visits and problems move to the kept household, its id
// becomes an alias of it (a phone still naming it is redirected), and the
// duplicate is deleted with a tombstone so phones drop it. The ≥12 count
// and the assessment follow, since they count distinct households.
//
//	POST /api/verification/households/{id}/merge {"into": ID}
func handleMerge(e *core.RequestEvent) error {
	if err := reviewer(e); err != nil {
		return err
	}
	var body struct {
		Into string `json:"into"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("请求格式不对。", fielderr.New("into", "invalid_body", "请求应为 {\"into\":保留的农户编号}。"))
	}
	id := e.Request.PathValue("id")
	dup, err := e.App.FindRecordById("households", id)
	if err != nil {
		return e.NotFoundError("农户不存在。", nil)
	}
	if body.Into == "" || body.Into == id {
		return e.BadRequestError("请选择要保留的另一户。", fielderr.New("into", "validation_required", "请选择要保留的另一户。"))
	}
	keep, err := e.App.FindRecordById("households", body.Into)
	if err != nil {
		return e.BadRequestError("要保留的农户不存在。", fielderr.New("into", "not_found", "要保留的农户不存在。"))
	}
	moved := 0
	err = e.App.RunInTransaction(func(tx core.App) error {
		visits, err := tx.FindRecordsByFilter("visits", "household = {:h}", "", 0, 0, dbx.Params{"h": dup.Id})
		if err != nil {
			return err
		}
		for _, v := range visits {
			v.Set("household", keep.Id)
			if err := tx.Save(v); err != nil {
				return err
			}
		}
		moved = len(visits)
		if _, err := tx.DB().Update("problems", dbx.Params{"household": keep.Id}, dbx.HashExp{"household": dup.Id}).Execute(); err != nil {
			return err
		}
		// Earlier aliases of the duplicate now name the kept household.
		if _, err := tx.DB().Update("household_aliases", dbx.Params{"household": keep.Id}, dbx.HashExp{"household": dup.Id}).Execute(); err != nil {
			return err
		}
		col, err := tx.FindCachedCollectionByNameOrId("household_aliases")
		if err != nil {
			return err
		}
		alias := core.NewRecord(col)
		alias.Set("alias_id", dup.Id)
		alias.Set("household", keep.Id)
		alias.Set("deputy", dup.GetString("deputy"))
		if err := tx.Save(alias); err != nil {
			return err
		}
		if err := tx.Delete(dup); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "verification"), Action: "merge", Collection: "households",
			RecordID: dup.Id, Changes: map[string][2]any{"merged_into": {nil, keep.Id}, "visits": {nil, moved}}})
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"merged": dup.Id, "into": keep.Id, "visits_moved": moved})
}
