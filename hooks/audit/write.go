package audit

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Write appends en to the audit trail. Pass the transaction of the change
// (a tx app) so the entry and the change commit or fail together; with the
// plain app it opens a transaction of its own. The entry's sequence number
// and hash are taken inside that transaction (SQLite has one writer), so
// the chain has no gaps or forks.
func Write(app core.App, en Entry) error {
	if en.Action == "" || en.Collection == "" {
		return fmt.Errorf("audit: an entry needs an action and a collection")
	}
	changes, err := canonicalJSON(en.Changes)
	if err != nil {
		return fmt.Errorf("audit: changes: %w", err)
	}
	kind := en.Actor.Kind
	if kind == "" {
		kind = KindSystem
	}
	return app.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId(Collection)
		if err != nil {
			return err
		}
		var last struct {
			Seq  int    `db:"seq"`
			Hash string `db:"hash"`
		}
		err = tx.DB().Select("seq", "hash").From(Collection).OrderBy("seq DESC").Limit(1).One(&last)
		if err != nil && !isNoRows(err) {
			return err
		}
		r := core.NewRecord(col)
		link := chainLink{
			Seq:        last.Seq + 1,
			At:         types.NowDateTime().String(),
			ActorKind:  kind,
			ActorID:    en.Actor.ID,
			ActorName:  truncate(en.Actor.Name, 100),
			Action:     en.Action,
			Collection: en.Collection,
			RecordID:   en.RecordID,
			Changes:    string(changes),
			Reason:     truncate(en.Reason, 500),
			IP:         truncate(en.Actor.IP, 64),
			Via:        truncate(en.Actor.Via, 60),
			UserAgent:  truncate(en.Actor.UserAgent, 300),
			PrevHash:   last.Hash,
		}
		link.set(r)
		r.Set("hash", link.hash())
		return tx.Save(r)
	})
}

// chainLink is what an entry's hash covers: every field but the hash, in
// a fixed order, as stored.
type chainLink struct {
	Seq        int    `json:"seq"`
	At         string `json:"at"`
	ActorKind  string `json:"actor_kind"`
	ActorID    string `json:"actor_id"`
	ActorName  string `json:"actor_name"`
	Action     string `json:"action"`
	Collection string `json:"collection"`
	RecordID   string `json:"record_id"`
	Changes    string `json:"changes"`
	Reason     string `json:"reason"`
	IP         string `json:"ip"`
	Via        string `json:"via"`
	UserAgent  string `json:"user_agent"`
	PrevHash   string `json:"prev_hash"`
}

func (l chainLink) set(r *core.Record) {
	r.Set("seq", l.Seq)
	r.Set("at", l.At)
	r.Set("actor_kind", l.ActorKind)
	r.Set("actor_id", l.ActorID)
	r.Set("actor_name", l.ActorName)
	r.Set("action", l.Action)
	r.Set("collection", l.Collection)
	r.Set("record_id", l.RecordID)
	r.Set("changes", types.JSONRaw(l.Changes))
	r.Set("reason", l.Reason)
	r.Set("ip", l.IP)
	r.Set("via", l.Via)
	r.Set("user_agent", l.UserAgent)
	r.Set("prev_hash", l.PrevHash)
}

// linkOf reads back what an entry's hash covered.
func linkOf(r *core.Record) (chainLink, error) {
	changes, err := canonicalRaw([]byte(r.GetString("changes")))
	if err != nil {
		return chainLink{}, err
	}
	return chainLink{
		Seq:        r.GetInt("seq"),
		At:         r.GetDateTime("at").String(),
		ActorKind:  r.GetString("actor_kind"),
		ActorID:    r.GetString("actor_id"),
		ActorName:  r.GetString("actor_name"),
		Action:     r.GetString("action"),
		Collection: r.GetString("collection"),
		RecordID:   r.GetString("record_id"),
		Changes:    string(changes),
		Reason:     r.GetString("reason"),
		IP:         r.GetString("ip"),
		Via:        r.GetString("via"),
		UserAgent:  r.GetString("user_agent"),
		PrevHash:   r.GetString("prev_hash"),
	}, nil
}

func (l chainLink) hash() string {
	raw, _ := json.Marshal(l) // only strings and an int: cannot fail
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// canonicalJSON is v as JSON with object keys sorted (encoding/json sorts
// map keys), "null" for no changes.
func canonicalJSON(v map[string][2]any) ([]byte, error) {
	if len(v) == 0 {
		return []byte("null"), nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return canonicalRaw(raw)
}

// canonicalRaw re-encodes stored JSON the same way whatever spacing the
// database gave it back with.
func canonicalRaw(raw []byte) ([]byte, error) {
	if len(raw) == 0 {
		return []byte("null"), nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// Verify walks the chain from the first entry and returns how many entries
// it checked, or an error naming the first entry whose hash, sequence or
// link to the one before does not hold.
func Verify(app core.App) (int, error) {
	const page = 500
	prev, n := "", 0
	for {
		recs, err := app.FindRecordsByFilter(Collection, "seq > {:after}", "seq", page, 0, dbx.Params{"after": n})
		if err != nil {
			return n, err
		}
		for _, r := range recs {
			l, err := linkOf(r)
			if err != nil {
				return n, fmt.Errorf("entry %d (%s): changes: %w", r.GetInt("seq"), r.Id, err)
			}
			switch {
			case l.Seq != n+1:
				return n, fmt.Errorf("entry %s: sequence %d after %d: an entry is missing", r.Id, l.Seq, n)
			case l.PrevHash != prev:
				return n, fmt.Errorf("entry %d (%s): does not link to the entry before it", l.Seq, r.Id)
			case l.hash() != r.GetString("hash"):
				return n, fmt.Errorf("entry %d (%s): its content does not match its hash: it was changed", l.Seq, r.Id)
			}
			prev, n = r.GetString("hash"), l.Seq
		}
		if len(recs) < page {
			return n, nil
		}
	}
}
