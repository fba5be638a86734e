package syncengine

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/idlist"
	"simeng/syncrule"
	"simeng/vocab"
)

// maxPushRecords bounds one push (docs/SYNC.md).
const maxPushRecords = 100

// maxPushBody bounds the push body: 100 records of at most a few KB each.
const maxPushBody = 4 << 20

// maxPhotoBody bounds a photo upload: one photo of at most
// vocab.MaxPhotoBytes, with room for the handler to see it is too large.
const maxPhotoBody = vocab.MaxPhotoBytes + 64<<10

type pushRequest struct {
	Device string `json:"device"`
	// SentAt is the device's clock when it sent the push. A phone whose
	// clock runs ahead stamps honest records "in the future"; knowing how
	// far ahead it runs, the server judges its device times by its own
	// clock (see deviceLead).
	SentAt  string       `json:"sent_at"`
	Records []pushRecord `json:"records"`
}

type pushRecord struct {
	Collection    string          `json:"collection"`
	ID            string          `json:"id"`
	BaseVersion   int             `json:"base_version"`
	SchemaVersion int             `json:"schema_version"`
	Data          json.RawMessage `json:"data"`
}

type photoState struct {
	Expected []string `json:"expected"`
	Present  []string `json:"present"`
}

// pushResult is one record's answer, in the order of the request.
type pushResult struct {
	Collection string       `json:"collection"`
	ID         string       `json:"id"`
	Outcome    string       `json:"outcome"`
	Version    int          `json:"version,omitempty"`
	MergedInto string       `json:"merged_into,omitempty"`
	Code       string       `json:"code,omitempty"`
	Reason     string       `json:"reason,omitempty"`
	Errors     any          `json:"errors,omitempty"`
	Photos     *photoState  `json:"photos,omitempty"`
	Complete   *bool        `json:"complete,omitempty"`
	Status     int          `json:"status"` // the HTTP-like status of the outcome
	record     *core.Record // the stored record after the push, if any
}

// Outcomes on the wire (docs/SYNC.md).
const (
	outcomeCreated     = "created"
	outcomeAlreadyHave = "already_have"
	outcomeUpdated     = "updated"
	outcomeMerged      = "merged"
	outcomeConflict    = "conflict"
	outcomeRejected    = "rejected"
	outcomeForbidden   = "forbidden"
	outcomeGone        = "gone"
)

func handlePush(e *core.RequestEvent) error {
	var req pushRequest
	dec := json.NewDecoder(e.Request.Body)
	if err := dec.Decode(&req); err != nil {
		if errors.Is(err, apis.ErrRequestEntityTooLarge) {
			return err
		}
		return e.BadRequestError("请求内容不是有效的 JSON。", fielderr.New("records", "invalid_json", err.Error()))
	}
	if err := validatePushShape(e.App, &req); err != nil {
		return e.BadRequestError("请求内容有误。", err)
	}

	var results []*pushResult
	run := func(savepoints bool) error {
		var partial *core.TxAppInfo
		defer func() { forgetPartial(e.App, partial) }()
		return e.App.RunInTransaction(func(tx core.App) error {
			if savepoints {
				partial = markPartial(tx)
			}
			p, err := newPush(tx, e.Auth, req.Device, req.Records, savepoints)
			if err != nil {
				return err
			}
			p.lead = deviceLead(req.SentAt, time.Now())
			defer p.close()
			results = make([]*pushResult, 0, len(req.Records))
			for i := range req.Records {
				res, err := p.one(i)
				if err != nil {
					return fmt.Errorf("record %d (%s/%s): %w", i, req.Records[i].Collection, req.Records[i].ID, err)
				}
				results = append(results, res)
			}
			return saveSeqFloor(tx)
		})
	}
	// Most pushes refuse no record: they run without a savepoint per
	// record, which cost SQLite a copy of every page each record touched
	// (the statement journal). A push with a refused record is rolled back
	// whole and run again with them.
	err := run(false)
	if errors.Is(err, errRefusedRecord) {
		err = run(true)
	}
	if err != nil {
		// Nothing of the push was applied: the phone retries the whole push.
		e.App.Logger().Error("sync push failed", "deputy", e.Auth.Id, "error", err)
		return e.InternalServerError("服务器暂时无法保存，本批记录都未保存，请稍后重试。", nil)
	}
	cursor, err := currentSeq(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"results": results, "cursor": cursor})
}

// validatePushShape answers the malformed bodies that no record result can:
// too many records, an unknown collection, data that is not an object.
func validatePushShape(app core.App, req *pushRequest) error {
	if len(req.Device) > 40 {
		return fielderr.New("device", "too_long", "设备编号最长40个字符。")
	}
	if req.SentAt != "" {
		if _, err := time.Parse(time.RFC3339, req.SentAt); err != nil {
			return fielderr.New("sent_at", "invalid_date", "sent_at 应是手机发送时的时间，格式 2026-03-05T09:30:00+08:00。")
		}
	}
	if len(req.Records) == 0 {
		return fielderr.New("records", "validation_required", "没有要上传的记录。")
	}
	if len(req.Records) > maxPushRecords {
		return fielderr.New("records", "too_many", fmt.Sprintf("每批最多上传%d条记录。", maxPushRecords))
	}
	reg := registryOf(app)
	for i, r := range req.Records {
		if reg.get(r.Collection) == nil {
			return fielderr.New(fmt.Sprintf("records.%d.collection", i), "unknown_collection", fmt.Sprintf("不能同步到集合 %q。", r.Collection))
		}
		if d := bytes.TrimSpace(r.Data); len(d) == 0 || d[0] != '{' {
			return fielderr.New(fmt.Sprintf("records.%d.data", i), "invalid_data", "data 必须是一个对象。")
		}
	}
	return nil
}

// errRefusedRecord ends a push run without savepoints at its first
// refused record: the push is run again with them.
var errRefusedRecord = errors.New("syncengine: a record was refused")

// one applies one record inside the push transaction. A record that is
// answered but not applied (rejected, forbidden, gone, conflict) leaves no
// trace but its conflict copy: with savepoints, one rolls back anything
// its hooks wrote; without, a refused record ends the run
// (errRefusedRecord). Any other error return is a server fault and aborts
// the whole push.
func (p *pushRun) one(i int) (*pushResult, error) {
	tx, in := p.tx, &p.records[i]
	if p.savepoint != nil {
		if _, err := p.savepoint.Execute(); err != nil {
			return nil, err
		}
	}
	res, err := p.decideAndApply(i)
	if err == nil && (res.Outcome == outcomeRejected || res.Outcome == outcomeForbidden || res.Outcome == outcomeGone) {
		if p.savepoint == nil {
			return nil, errRefusedRecord
		}
		_, err = tx.DB().NewQuery("ROLLBACK TO sync_record").Execute()
	}
	if err != nil {
		return nil, err
	}
	if p.release != nil {
		if _, err := p.release.Execute(); err != nil {
			return nil, err
		}
	}
	if res.record != nil && res.record.Collection().Name == in.Collection && res.record.Id == in.ID {
		p.existing[in.Collection][in.ID] = res.record
	}
	if res.record != nil && res.Photos == nil {
		if s := registryOf(tx).get(in.Collection); s.PhotoField != "" {
			exp, pres := photoStatus(res.record, s.PhotoField)
			complete := len(exp) == len(pres)
			res.Photos, res.Complete = &photoState{exp, pres}, &complete
		}
	}
	return res, nil
}

func (p *pushRun) decideAndApply(i int) (*pushResult, error) {
	tx, auth, device, in := p.tx, p.auth, p.device, &p.records[i]
	s := registryOf(tx).get(in.Collection)
	res := &pushResult{Collection: in.Collection, ID: in.ID}
	if s.ReadOnly {
		res.Outcome, res.Code, res.Status = outcomeForbidden, "read_only", http.StatusForbidden
		res.Reason = "这类记录只能在手机上查看，不能上传。"
		res.Errors = fielderr.New("collection", "read_only", res.Reason)
		return res, nil
	}
	incoming := syncrule.Incoming{ID: in.ID, OwnerID: auth.Id, BaseVersion: in.BaseVersion, SchemaVersion: in.SchemaVersion}

	if !syncrule.ValidID(in.ID) || in.SchemaVersion > s.Schema[1] {
		incoming.Hash = "-"
		return answerDecision(res, syncrule.Decide(incoming, syncrule.Existing{}, s.Schema)), nil
	}
	if s.Dedupe != nil {
		if target, err := s.Dedupe.AliasTarget(tx, in.ID); err != nil {
			return nil, err
		} else if target != nil {
			if ok, err := s.Dedupe.Visible(tx, auth, target); err != nil || !ok {
				return hiddenDuplicate(res, s.Dedupe), err
			}
			return mergedAnswer(res, s.Dedupe, target), nil
		}
	}

	ex, existing := p.lookup(s, in.ID)
	var rec *core.Record
	if existing != nil {
		rec = existing.Fresh()
	} else {
		col, err := tx.FindCachedCollectionByNameOrId(s.Name)
		if err != nil {
			return nil, err
		}
		rec = core.NewRecord(col)
		rec.Id = in.ID
	}

	verr := p.decodeErr[i]
	if verr == nil {
		verr = applyData(&ApplyContext{App: tx, Auth: auth, Record: rec, Data: p.data[i],
			Prefetched: p.prefetched[s.Name], DeviceLead: p.lead}, s)
	}
	var ve validation.Errors
	if verr != nil && !errors.As(verr, &ve) {
		return nil, verr
	}
	// An owner claimed in the body is another deputy's: forbidden, whatever
	// else is wrong with the record.
	if ve != nil && ve[s.OwnerField] != nil {
		res.Outcome, res.Code, res.Status = outcomeForbidden, "owner_mismatch", http.StatusForbidden
		res.Reason, res.Errors = "不能替其他代表上传记录。", ve
		return res, nil
	}

	// Only a record the server already has is compared by content; a new
	// one is hashed lazily, if a phone ever sends it again (storedHash).
	// Even a copy that no longer validates (the phone's clock was since
	// corrected, its household deleted) is compared: content the server
	// already holds is answered already_have, never rejected.
	incoming.Hash = "-"
	if ex.Found {
		incoming.Hash = s.hashContent(rec)
	}
	d := syncrule.Decide(incoming, ex, s.Schema)
	if ve != nil && (d.Outcome == syncrule.Create || d.Outcome == syncrule.Update || d.Outcome == syncrule.Conflict) {
		res.Outcome, res.Code, res.Status = outcomeRejected, "invalid_data", http.StatusBadRequest
		res.Reason, res.Errors = "记录内容有误，服务器无法接收："+fielderr.First(ve), ve
		return res, nil
	}

	switch d.Outcome {
	case syncrule.Create:
		if s.Dedupe != nil {
			target, err := s.Dedupe.Duplicate(tx, rec)
			if err != nil {
				return nil, err
			}
			if target != "" {
				return merge(tx, s.Dedupe, auth, res, in.ID, target)
			}
		}
		rec.Set("version", d.NewVersion)
		return p.save(s, rec, in, res, outcomeCreated, d)
	case syncrule.Update:
		if s.Dedupe != nil {
			target, err := s.Dedupe.Duplicate(tx, rec)
			if err != nil {
				return nil, err
			}
			if target != "" && target != rec.Id {
				ve := fielderr.New(s.Dedupe.DuplicateField(), "duplicate", "已有相同的记录，不能改成与它相同。")
				res.Outcome, res.Code, res.Status = outcomeRejected, "duplicate", http.StatusBadRequest
				res.Reason, res.Errors = "修改后与已有记录重复。", ve
				return res, nil
			}
		}
		rec.Set("version", d.NewVersion)
		rec.Set("content_hash", incoming.Hash)
		return p.save(s, rec, in, res, outcomeUpdated, d)
	case syncrule.Conflict:
		if err := saveConflictCopy(tx, s, auth, device, in, incoming.Hash, ex.Version); err != nil {
			return nil, err
		}
		res.record = existing
		return answerDecision(res, d), nil
	case syncrule.AlreadyHave:
		res.record = existing
		return answerDecision(res, d), nil
	}
	return answerDecision(res, d), nil
}

// save writes an incoming record. Its record hooks get the phone's clock
// lead through the save's context (CheckDeviceTime).
func (p *pushRun) save(s *Collection, rec *core.Record, in *pushRecord, res *pushResult, outcome string, d syncrule.Decision) (*pushResult, error) {
	rec.Set("schema_version", in.SchemaVersion)
	rec.Set("device", p.device)
	if err := p.tx.SaveWithContext(withScratch(withLead(context.Background(), p.lead), p.scratch), rec); err != nil {
		var ve validation.Errors
		if errors.As(err, &ve) {
			res.Outcome, res.Code, res.Status = outcomeRejected, "invalid_data", http.StatusBadRequest
			res.Reason, res.Errors = "记录内容有误，服务器无法接收："+fielderr.First(ve), ve
			return res, nil
		}
		return nil, err
	}
	res.Outcome, res.Version, res.Status, res.record = outcome, rec.GetInt("version"), syncrule.OutcomeHTTPStatus(d.Outcome), rec
	return res, nil
}

// answerDecision fills res from a decision that needs no write (or whose write is done).
func answerDecision(res *pushResult, d syncrule.Decision) *pushResult {
	res.Code, res.Reason = d.Code, d.Reason
	res.Version = d.NewVersion
	res.Status = syncrule.OutcomeHTTPStatus(d.Outcome)
	switch d.Outcome {
	case syncrule.Create:
		res.Outcome = outcomeCreated
	case syncrule.AlreadyHave:
		res.Outcome = outcomeAlreadyHave
	case syncrule.Update:
		res.Outcome = outcomeUpdated
	case syncrule.Conflict:
		res.Outcome = outcomeConflict
	case syncrule.Forbidden:
		res.Outcome = outcomeForbidden
		res.Errors = map[string]any{"id": map[string]string{"code": d.Code, "message": d.Reason}}
	case syncrule.Gone:
		res.Outcome = outcomeGone
		res.Errors = map[string]any{"id": map[string]string{"code": d.Code, "message": d.Reason}}
	default:
		res.Outcome = outcomeRejected
		res.Status = http.StatusBadRequest
		res.Errors = map[string]any{"id": map[string]string{"code": d.Code, "message": d.Reason}}
		if d.Code == syncrule.CodeSchemaTooNew {
			res.Errors = map[string]any{"schema_version": map[string]string{"code": d.Code, "message": d.Reason}}
		}
	}
	return res
}

// decodeData splits a record's data into its keys, each left as JSON for
// whoever handles it to decode once into its own type.
func decodeData(raw json.RawMessage) (Data, error) {
	var data Data
	if err := json.Unmarshal(raw, &data); err != nil {
		return nil, fielderr.New("data", "invalid_json", "data 不是有效的 JSON 对象。")
	}
	return data, nil
}

// applyData copies the client's fields onto the record, applies the photo
// manifest and lets the collection check the rest. Server-owned fields in
// the body are ignored; an unknown key is an error naming it (a client bug
// to surface, not to drop).
func applyData(c *ApplyContext, s *Collection) error {
	auth, rec, data := c.Auth, c.Record, c.Data
	if raw, ok := data[s.OwnerField]; ok {
		var owner any
		if err := json.Unmarshal(raw, &owner); err != nil || (owner != auth.Id && owner != "") {
			return fielderr.New(s.OwnerField, "owner_mismatch", "记录的代表必须是当前登录的代表本人。")
		}
	}
	errs := validation.Errors{}
	for k, raw := range data {
		switch {
		case k == s.OwnerField || serverOwned[k] || slices.Contains(s.ServerFields, k):
		case s.accepts(k):
			if slices.Contains(s.Fields, k) {
				if str, ok := plainString(raw); ok {
					rec.Set(k, str)
					continue
				}
				var v any
				if err := json.Unmarshal(raw, &v); err != nil {
					return err // decodeData checked the whole object
				}
				rec.Set(k, v)
			}
		default:
			errs[k] = validation.NewError("unknown_field", "服务器不认识这个字段。")
		}
	}
	if rec.GetString(s.OwnerField) == "" {
		rec.Set(s.OwnerField, auth.Id)
	}
	if len(errs) > 0 {
		return errs
	}
	var photosErr error
	if s.PhotoField != "" {
		photosErr = applyManifest(rec, s.PhotoField, data, s.MaxPhotos, s.PhotosPer)
	}
	var err error
	if s.Apply != nil {
		err = s.Apply(c)
	}
	if photosErr == nil {
		return err
	}
	// The photos' error joins the collection's own, so one answer names
	// every bad field.
	ve, ok := err.(validation.Errors)
	if err != nil && !ok {
		return err
	}
	if ve == nil {
		ve = validation.Errors{}
	}
	ve[manifestKey] = photosErr
	return ve
}

var serverOwned = map[string]bool{"id": true, "version": true, "seq": true, "received_at": true,
	"content_hash": true, "schema_version": true, "device": true, "created": true, "updated": true,
	"complete": true, "collectionId": true, "collectionName": true}

// pushRun is one push being applied: its transaction, its deputy, and the
// records and tombstones its ids already have, read up front in one query
// per collection rather than two per record.
type pushRun struct {
	tx       core.App
	auth     *core.Record
	device   string
	lead     time.Duration  // how far the device's clock runs ahead
	scratch  map[string]any // PushScratch: the capabilities' per-push state
	records  []pushRecord
	existing map[string]map[string]*core.Record
	tombs    map[string]map[string]*core.Record

	// Each record's data decoded once (or why it could not be), in the
	// order of records, and each collection's Prefetch result.
	data       []Data
	decodeErr  []error
	prefetched map[string]any

	// The per-record savepoint statements, prepared once per push; nil in
	// a run without savepoints.
	savepoint, release *dbx.Query
}

func (p *pushRun) close() {
	if p.savepoint != nil {
		p.savepoint.Close()
		p.release.Close()
	}
}

func newPush(tx core.App, auth *core.Record, device string, records []pushRecord, savepoints bool) (*pushRun, error) {
	p := &pushRun{tx: tx, auth: auth, device: device, records: records, scratch: map[string]any{},
		existing: map[string]map[string]*core.Record{}, tombs: map[string]map[string]*core.Record{},
		data: make([]Data, len(records)), decodeErr: make([]error, len(records)), prefetched: map[string]any{}}
	if savepoints {
		p.savepoint = tx.DB().NewQuery("SAVEPOINT sync_record").Prepare()
		p.release = tx.DB().NewQuery("RELEASE sync_record").Prepare()
	}
	reg := registryOf(tx)
	ids := map[string][]any{}
	batch := map[string][]Data{}
	for i, r := range records {
		ids[r.Collection] = append(ids[r.Collection], r.ID)
		s := reg.get(r.Collection)
		data, err := decodeData(r.Data)
		if err == nil && s.Migrate != nil && r.SchemaVersion < s.Schema[1] {
			data = s.Migrate(r.SchemaVersion, data)
		}
		p.data[i], p.decodeErr[i] = data, err
		if err == nil && s.Prefetch != nil {
			batch[r.Collection] = append(batch[r.Collection], data)
		}
	}
	pushed := map[string][]Data{}
	for i, r := range records {
		if p.decodeErr[i] == nil {
			pushed[r.Collection] = append(pushed[r.Collection], p.data[i])
		}
	}
	p.scratch[pushedKey] = pushed
	for name, list := range batch {
		got, err := reg.get(name).Prefetch(tx, auth, list)
		if err != nil {
			p.close()
			return nil, err
		}
		p.prefetched[name] = got
	}
	for name, list := range ids {
		p.existing[name], p.tombs[name] = map[string]*core.Record{}, map[string]*core.Record{}
		recs, err := storedRecords(tx, name, list)
		if err != nil {
			p.close()
			return nil, err
		}
		for _, r := range recs {
			p.existing[name][r.Id] = r
		}
		var tombs []*core.Record
		if err := tx.RecordQuery("sync_tombstones").AndWhere(dbx.HashExp{"collection": name}).
			AndWhere(dbx.In("record_id", list...)).All(&tombs); err != nil {
			p.close()
			return nil, err
		}
		for _, t := range tombs {
			p.tombs[name][t.GetString("record_id")] = t
		}
	}
	return p, nil
}

// storedRecords are the records of collection with the given ids that are
// stored (usually none: a push mostly creates). The ids are first looked up
// one by one in the primary key, in that order whatever the planner's
// statistics say: those of a new township say its tables are empty, and a
// plain "id IN (…)" then read the whole table at every push.
func storedRecords(tx core.App, collection string, ids []any) ([]*core.Record, error) {
	var found []string
	err := tx.DB().NewQuery(storedIDsSQL(collection)).Bind(idlist.Params(ids)).Column(&found)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return tx.FindRecordsByIds(collection, found)
}

// storedIDsSQL selects the ids of the JSON list {:ids} stored in
// collection (a name from the registry, not from a request).
func storedIDsSQL(collection string) string {
	return "SELECT t.id FROM " + idlist.ByID(collection)
}

func (p *pushRun) lookup(s *Collection, id string) (syncrule.Existing, *core.Record) {
	if rec := p.existing[s.Name][id]; rec != nil {
		return syncrule.Existing{Found: true, OwnerID: rec.GetString(s.OwnerField), Hash: storedHash(s, rec), Version: rec.GetInt("version")}, rec
	}
	if t := p.tombs[s.Name][id]; t != nil {
		return syncrule.Existing{Found: true, Deleted: true, OwnerID: t.GetString("deputy")}, nil
	}
	return syncrule.Existing{}, nil
}

func saveConflictCopy(tx core.App, s *Collection, auth *core.Record, device string, in *pushRecord, hash string, serverVersion int) error {
	col, err := tx.FindCachedCollectionByNameOrId("sync_conflicts")
	if err != nil {
		return err
	}
	_, err = tx.FindFirstRecordByFilter(col, "collection = {:c} && record_id = {:id} && content_hash = {:h}",
		dbx.Params{"c": in.Collection, "id": in.ID, "h": hash})
	if err == nil {
		return nil // the same conflicting copy was kept by an earlier try
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	c := core.NewRecord(col)
	c.Set("collection", in.Collection)
	c.Set("record_id", in.ID)
	c.Set("deputy", auth.Id)
	c.Set("device", device)
	c.Set("base_version", in.BaseVersion)
	c.Set("server_version", serverVersion)
	c.Set("schema_version", in.SchemaVersion)
	// Hidden fields (a household's phone) are sealed apart: the presidium
	// reads conflict copies, not what the household record hides from it.
	data, sealed, err := splitConflictData(tx, s, in.Data)
	if err != nil {
		return err
	}
	c.Set("data", data)
	c.Set("sealed", sealed)
	c.Set("content_hash", hash)
	return tx.Save(c)
}

// merge keeps the pushed id as an alias of targetID and answers "merged";
// a target auth may not know is not named (hiddenDuplicate).
func merge(tx core.App, d Deduper, auth *core.Record, res *pushResult, id, targetID string) (*pushResult, error) {
	target, err := tx.FindRecordById(res.Collection, targetID)
	if err != nil {
		return nil, err
	}
	if ok, err := d.Visible(tx, auth, target); err != nil {
		return nil, err
	} else if !ok {
		return hiddenDuplicate(res, d), nil
	}
	if err := d.Merge(tx, auth, id, target); err != nil {
		var ve validation.Errors
		if errors.As(err, &ve) {
			res.Outcome, res.Code, res.Status, res.Errors = outcomeRejected, "invalid_data", http.StatusBadRequest, ve
			return res, nil
		}
		return nil, err
	}
	return mergedAnswer(res, d, target), nil
}

// hiddenDuplicate rejects a record that duplicates one the deputy may not
// read, without its id: staff can share it with them.
func hiddenDuplicate(res *pushResult, d Deduper) *pushResult {
	ve := fielderr.New(d.DuplicateField(), "duplicate_elsewhere", "这户已由其他代表登记；如需走访，请联系工作人员共享给您。")
	res.Outcome, res.Code, res.Status = outcomeRejected, "duplicate_elsewhere", http.StatusBadRequest
	res.Reason, res.Errors = "这户已由其他代表登记，请联系工作人员共享。", ve
	return res
}

// mergedAnswer answers that the pushed record is kept as target.
func mergedAnswer(res *pushResult, d Deduper, target *core.Record) *pushResult {
	res.Outcome, res.MergedInto, res.Version, res.Status, res.record = outcomeMerged, target.Id, target.GetInt("version"), http.StatusOK, target
	res.Code, res.Reason = "merged", d.MergedReason()
	return res
}
