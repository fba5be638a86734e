package visits

import (
	"database/sql"
	"errors"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/syncengine"
	"simeng/household"
	"simeng/pii"
)

// Households (农户) are made offline by any deputy of a village, so two
// phones can create the same household under two ids. The server keeps one:
// the first to arrive. A later one with the same dedupe key (village + head
// name + address, normalised by package household) is not created; its id
// becomes an alias (household_aliases) of the kept household, the push
// answers "merged" with merged_into, and visits that still name the alias
// are stored against the kept household.
func registerHouseholds(app core.App) {
	syncengine.AddCollection(app, syncengine.Collection{
		Name:             "households",
		OwnerField:       "deputy",
		Schema:           [2]int{1, 1},
		Fields:           []string{"village", "head_name", "address", "phone"},
		Dedupe:           householdDeduper{},
		TombstoneVillage: "village",
		PullScope: func(auth *core.Record) dbx.Expression {
			return dbx.NewExp("(village = {:village} OR deputy = {:me} OR id IN (SELECT household FROM visits WHERE deputy = {:me}))",
				dbx.Params{"village": auth.GetString("village"), "me": auth.Id})
		},
		Export: func(auth, rec *core.Record, data map[string]any) {
			if rec.GetString("deputy") == auth.Id {
				data["phone"] = rec.GetString("phone")
			}
		},
	})

	// Whatever door a household comes in by (sync, admin UI), its phone is
	// normalised and its dedupe key recomputed before validation.
	app.OnRecordValidate("households").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		r.Set("phone", pii.NormalizeMobile(r.GetString("phone")))
		if household.NormalizeName(r.GetString("head_name")) == "" {
			return fielderr.New("head_name", "validation_required", "请填写户主姓名。")
		}
		if household.NormalizeAddress(r.GetString("address")) == "" {
			return fielderr.New("address", "validation_required", "请填写地址或门牌。")
		}
		r.Set("dedupe_key", householdKey(r))
		return e.Next()
	})

	// The phone is personal data (X2): only the deputy who recorded the
	// household and staff read it.
	app.OnRecordEnrich("households").BindFunc(func(e *core.RecordEnrichEvent) error {
		if auth := e.RequestInfo.Auth; access.IsOffice(auth) || (auth != nil && auth.Id == e.Record.GetString("deputy")) {
			e.Record.Unhide("phone")
		}
		return e.Next()
	})
}

func householdKey(r *core.Record) string {
	return household.Key(r.GetString("village"), r.GetString("head_name"), r.GetString("address"))
}

// householdDeduper keeps one household where two phones made the same one
// (syncengine.Deduper).
type householdDeduper struct{}

// Duplicate returns the id of another household with rec's key.
func (householdDeduper) Duplicate(app core.App, rec *core.Record) (string, error) {
	if household.NormalizeName(rec.GetString("head_name")) == "" || household.NormalizeAddress(rec.GetString("address")) == "" {
		return "", nil // validation will name the field
	}
	var id string
	err := app.DB().NewQuery("SELECT id FROM households WHERE dedupe_key = {:key} AND id != {:id} LIMIT 1").
		Bind(dbx.Params{"key": householdKey(rec), "id": rec.Id}).Row(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

func (householdDeduper) DuplicateField() string { return "head_name" }

func (householdDeduper) MergedReason() string {
	return "同村已有这户（户主和地址相同），已合并到已有记录。"
}

// AliasTarget returns the household that id was merged into, or nil.
func (householdDeduper) AliasTarget(app core.App, id string) (*core.Record, error) {
	alias, err := app.FindFirstRecordByData("household_aliases", "alias_id", id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return app.FindRecordById("households", alias.GetString("household"))
}

// resolveHousehold returns the id of the household id names, following an
// alias to the kept household; "" if there is none.
func resolveHousehold(app core.App, id string) (string, error) {
	var found string
	err := app.DB().NewQuery("SELECT id FROM households WHERE id = {:id}").Bind(dbx.Params{"id": id}).Row(&found)
	if err == nil {
		return found, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	h, err := householdDeduper{}.AliasTarget(app, id)
	if h == nil || err != nil {
		return "", err
	}
	return h.Id, nil
}

// Merge records id as an alias of target (household_aliases): visits that
// still name id are stored against target.
func (householdDeduper) Merge(tx core.App, auth *core.Record, id string, target *core.Record) error {
	col, err := tx.FindCachedCollectionByNameOrId("household_aliases")
	if err != nil {
		return err
	}
	alias := core.NewRecord(col)
	alias.Set("alias_id", id)
	alias.Set("household", target.Id)
	alias.Set("deputy", auth.Id)
	return tx.Save(alias)
}
