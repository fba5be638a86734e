package visits

import (
	"database/sql"
	"errors"
	"maps"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/idlist"
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
		Sealed:           []string{"phone"},
		Dedupe:           householdDeduper{},
		TombstoneVillage: "village",
		// The village's households, the ones the deputy recorded and the
		// ones staff shared with them (householdScope), as a union of
		// lookups.
		PullScope: func(auth *core.Record) []dbx.Expression {
			p := householdScopeParams(auth)
			return []dbx.Expression{
				dbx.HashExp{"village": auth.GetString("village")},
				dbx.HashExp{"deputy": auth.Id},
				dbx.NewExp("id IN (SELECT household FROM household_shares WHERE deputy = {:me})", p),
			}
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
		if phone := r.GetString("phone"); phone != "" && !pii.IsSealed(phone) {
			phone = pii.NormalizeMobile(phone)
			if !pii.ValidMobile(phone) {
				return fielderr.New("phone", "validation_invalid_format", "手机号格式不对，请填写11位手机号。")
			}
			r.Set("phone", phone)
		}
		if household.NormalizeName(r.GetString("head_name")) == "" {
			return fielderr.New("head_name", "validation_required", "请填写户主姓名。")
		}
		if household.NormalizeAddress(r.GetString("address")) == "" {
			return fielderr.New("address", "validation_required", "请填写地址或门牌。")
		}
		r.Set("dedupe_key", householdKey(r))
		return e.Next()
	})

	// The phone is personal data (X2), sealed at rest (the engine seals
	// it): only the deputy who recorded the household and staff read it.
	app.OnRecordEnrich("households").BindFunc(func(e *core.RecordEnrichEvent) error {
		if auth := e.RequestInfo.Auth; access.IsOffice(auth) || (auth != nil && auth.Id == e.Record.GetString("deputy")) {
			e.Record.Unhide("phone")
			e.Record.Set("phone", syncengine.OpenSealed(e.Record, "phone"))
		}
		return e.Next()
	})
}

// householdScope is the households a deputy works with: their village's,
// the ones they recorded, and the ones staff shared with them
// (household_shares). Visits link only to these, pulls carry only these.
// It is a condition on the households table named t.
func householdScope(t string) string {
	return "(" + t + ".village = {:village} OR " + t + ".deputy = {:me} OR " +
		t + ".id IN (SELECT household FROM household_shares WHERE deputy = {:me}))"
}

func householdScopeParams(auth *core.Record) dbx.Params {
	return dbx.Params{"village": auth.GetString("village"), "me": auth.Id}
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

// Visible reports whether target is a household auth works with (their
// village, recorded by them, shared with them): only then does a push
// that duplicates it merge into it and name it.
func (householdDeduper) Visible(app core.App, auth *core.Record, target *core.Record) (bool, error) {
	return inScope(app, auth, target.Id)
}

// inScope reports whether the household id is stored and one auth works
// with (householdScope).
func inScope(app core.App, auth *core.Record, id string) (bool, error) {
	var found string
	params := householdScopeParams(auth)
	params["id"] = id
	err := app.DB().NewQuery("SELECT id FROM households WHERE id = {:id} AND " + householdScope("households")).Bind(params).Row(&found)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
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

// householdIndex maps the household ids a push's visits name to the kept
// household (itself, or the one an alias was merged into), as stored when
// the push began, and only those in the pusher's scope (householdScope).
type householdIndex map[string]string

// prefetchHouseholds resolves, in one query, every household the visits of
// a push name (syncengine.Collection.Prefetch).
func prefetchHouseholds(app core.App, auth *core.Record, data []syncengine.Data) (any, error) {
	var ids []string
	for _, d := range data {
		if id := d.String("household"); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	known := householdIndex{}
	if len(ids) == 0 {
		return known, nil
	}
	var rows []struct {
		Named string `db:"named"`
		Kept  string `db:"kept"`
	}
	params := householdScopeParams(auth)
	maps.Copy(params, idlist.Params(ids))
	// The scope is checked on each household named, not as the list of
	// every household in scope (a village's thousands, read at each push).
	err := app.DB().NewQuery(`SELECT c.named, c.kept FROM (
		SELECT t.id AS named, t.id AS kept FROM ` + idlist.ByID("households") + `
		UNION ALL
		SELECT t.alias_id, t.household FROM ` + idlist.From("household_aliases", "alias_id", "idx_household_aliases_alias") + `) c
		JOIN households h ON h.id = c.kept
		WHERE ` + householdScope("h")).Bind(params).All(&rows)
	for _, r := range rows {
		known[r.Named] = r.Kept
	}
	return known, err
}

// resolve is the kept household of id: from the index when the push began
// with it stored, else (made or merged earlier in this push) read again.
func (known householdIndex) resolve(app core.App, auth *core.Record, id string) (string, error) {
	if kept, ok := known[id]; ok {
		return kept, nil
	}
	return resolveHousehold(app, auth, id)
}

// resolveHousehold returns the id of the household id names, following an
// alias to the kept household; "" if there is none in auth's scope (a
// household elsewhere answers as a missing one: no oracle for ids).
func resolveHousehold(app core.App, auth *core.Record, id string) (string, error) {
	if h, err := (householdDeduper{}).AliasTarget(app, id); err != nil {
		return "", err
	} else if h != nil {
		id = h.Id
	}
	if ok, err := inScope(app, auth, id); !ok {
		return "", err
	}
	return id, nil
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
