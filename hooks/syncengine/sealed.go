package syncengine

import (
	"encoding/json"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
	"simeng/pii"
)

// openSealed is v in the clear: v itself when it is not sealed, "" when it
// cannot be opened (a key changed without re-sealing: never shown sealed).
func openSealed(v string) string {
	if !pii.IsSealed(v) {
		return v
	}
	vault, err := pii.VaultFromEnv()
	if err != nil {
		return ""
	}
	plain, err := vault.Open(v)
	if err != nil {
		return ""
	}
	return plain
}

// sealFields seals s's Sealed fields of rec that are in the clear.
func sealFields(s *Collection, rec *core.Record) error {
	for _, f := range s.Sealed {
		v := rec.GetString(f)
		if v == "" || pii.IsSealed(v) {
			continue
		}
		vault, err := pii.VaultFromEnv()
		if err != nil {
			return err
		}
		sealed, err := vault.Seal(v)
		if err != nil {
			return err
		}
		rec.Set(f, sealed)
	}
	return nil
}

// OpenSealed returns rec's field in the clear (for the hooks that show it
// to its owner and staff).
func OpenSealed(rec *core.Record, field string) string { return openSealed(rec.GetString(field)) }

// OpenValue returns a sealed value read by SQL in the clear ("" when it
// cannot be opened); a value in the clear is returned as it is.
func OpenValue(v string) string { return openSealed(v) }

// splitConflictData takes the hidden fields of the target collection (and
// s's Sealed ones) out of a pushed copy's data: what is left is readable,
// what is taken is returned sealed ("" when nothing was taken).
func splitConflictData(app core.App, s *Collection, raw []byte) (readable []byte, sealed string, err error) {
	var data map[string]any
	if json.Unmarshal(raw, &data) != nil {
		return raw, "", nil
	}
	hidden := map[string]bool{}
	for _, f := range s.Sealed {
		hidden[f] = true
	}
	if col, err := app.FindCachedCollectionByNameOrId(s.Name); err == nil {
		for _, f := range col.Fields {
			if f.GetHidden() {
				hidden[f.GetName()] = true
			}
		}
	}
	taken := map[string]any{}
	for k, v := range data {
		if hidden[k] {
			taken[k] = v
			delete(data, k)
		}
	}
	if len(taken) == 0 {
		return raw, "", nil
	}
	plain, err := json.Marshal(taken)
	if err != nil {
		return nil, "", err
	}
	vault, err := pii.VaultFromEnv()
	if err != nil {
		return nil, "", err
	}
	if sealed, err = vault.Seal(string(plain)); err != nil {
		return nil, "", err
	}
	readable, err = json.Marshal(data)
	return readable, sealed, err
}

// handleConflictCopy answers GET /api/sync/conflicts/{id}: the copy with
// its sealed fields put back, for the deputy who pushed it and for staff.
// Anyone else gets the 404 of a copy that does not exist.
func handleConflictCopy(e *core.RequestEvent) error {
	c, err := e.App.FindRecordById("sync_conflicts", e.Request.PathValue("id"))
	if err != nil || !(access.IsOffice(e.Auth) || (access.IsActiveDeputy(e.Auth) && c.GetString("deputy") == e.Auth.Id)) {
		return e.NotFoundError("", nil)
	}
	data := map[string]any{}
	if err := json.Unmarshal([]byte(c.GetString("data")), &data); err != nil {
		data = map[string]any{}
	}
	if sealed := c.GetString("sealed"); sealed != "" {
		taken := map[string]any{}
		if json.Unmarshal([]byte(openSealed(sealed)), &taken) == nil {
			for k, v := range taken {
				data[k] = v
			}
		}
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, map[string]any{
		"id": c.Id, "collection": c.GetString("collection"), "record_id": c.GetString("record_id"),
		"deputy": c.GetString("deputy"), "base_version": c.GetInt("base_version"), "server_version": c.GetInt("server_version"),
		"created": c.GetString("created"), "resolved": c.GetBool("resolved"), "data": data,
	})
}

// SealColumn seals the values of table.field still stored in the clear
// (rows written before the field was sealed) and returns how many it
// sealed. It writes the column directly: the content is unchanged, so no
// version, sequence or audit entry moves.
func SealColumn(app core.App, table, field string) (int, error) {
	type row struct {
		ID    string `db:"id"`
		Value string `db:"value"`
	}
	var rows []row
	q := "SELECT id, [[" + field + "]] AS value FROM {{" + table + "}} WHERE [[" + field + "]] != '' AND [[" + field + "]] NOT LIKE 'v1:%'"
	if err := app.DB().NewQuery(q).All(&rows); err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		return 0, nil
	}
	vault, err := pii.VaultFromEnv()
	if err != nil {
		return 0, err
	}
	err = app.RunInTransaction(func(tx core.App) error {
		for _, r := range rows {
			sealed, err := vault.Seal(r.Value)
			if err != nil {
				return err
			}
			if _, err := tx.DB().Update(table, dbx.Params{field: sealed}, dbx.HashExp{"id": r.ID}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	return len(rows), err
}

// sealConflictCopies moves the hidden fields of conflict copies kept
// before copies were split (a household's phone in data) into sealed.
func sealConflictCopies(app core.App) (int, error) {
	type row struct {
		ID         string `db:"id"`
		Collection string `db:"collection"`
		Data       string `db:"data"`
	}
	var rows []row
	if err := app.DB().NewQuery("SELECT id, collection, data FROM sync_conflicts WHERE sealed = ''").All(&rows); err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rows {
		s := registryOf(app).get(r.Collection)
		if s == nil {
			continue
		}
		readable, sealed, err := splitConflictData(app, s, []byte(r.Data))
		if err != nil {
			return n, err
		}
		if sealed == "" {
			continue
		}
		if _, err := app.DB().Update("sync_conflicts", dbx.Params{"data": string(readable), "sealed": sealed}, dbx.HashExp{"id": r.ID}).Execute(); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// sealLegacy seals, when the server starts, what registered collections
// stored in the clear before their fields were sealed, and the hidden
// fields of older conflict copies.
func sealLegacy(app core.App) {
	if n, err := sealConflictCopies(app); err != nil {
		app.Logger().Error("seal conflict copies", "error", err)
	} else if n > 0 {
		app.Logger().Info("sealed the hidden fields of conflict copies", "rows", n)
	}
	for _, s := range registryOf(app).all() {
		for _, f := range s.Sealed {
			if n, err := SealColumn(app, s.Name, f); err != nil {
				app.Logger().Error("seal stored personal data", "collection", s.Name, "field", f, "error", err)
			} else if n > 0 {
				app.Logger().Info("sealed stored personal data", "collection", s.Name, "field", f, "rows", n)
			}
		}
	}
}
