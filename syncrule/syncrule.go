// Package syncrule decides what the server does with a record a device
// uploads under its client-generated id (the offline sync contract, R8/X3).
//
// The rules, in the order Decide applies them:
//
//  1. The id must look like a PocketBase id (15 chars, [a-z0-9]): else
//     Reject "invalid_id". An empty owner or hash is a server-side bug and is
//     rejected too ("missing_owner", "missing_hash").
//  2. A client schema version above the supported maximum: Reject
//     "schema_too_new". The phone keeps the record and retries after the
//     app and server agree again. A version below the minimum is accepted:
//     the caller migrates it (old phones must never be stranded).
//  3. No record with that id: Create, version 1.
//  4. A record owned by someone else: Forbidden, whether or not it is
//     deleted, so a tombstone does not leak another deputy's ids.
//  5. A tombstone: Gone. The server deleted the record on purpose, so the
//     phone must not bring it back under the same id: it drops its copy, or
//     re-creates it under a new id if the deputy insists.
//  6. Same content hash: AlreadyHave, whatever BaseVersion says. This is the
//     retry after a lost reply: equal content means nothing to do.
//  7. Different hash, BaseVersion equal to the server version: Update to
//     version+1.
//  8. Different hash otherwise (BaseVersion 0, i.e. the phone thinks the
//     record is new, or a stale version): Conflict. The server copy stays;
//     the caller stores the incoming content as a conflict copy for a human.
//
// Decide is pure: the caller loads Existing and applies the Decision inside
// one transaction.
package syncrule

import (
	"fmt"
	"math"
	"net/http"
)

// Outcome is what the server does with an uploaded record.
type Outcome int

// The zero Outcome is deliberately not a valid one.
const (
	Create Outcome = iota + 1
	AlreadyHave
	Update
	Conflict
	Forbidden
	Gone
	Reject
)

func (o Outcome) String() string {
	switch o {
	case Create:
		return "Create"
	case AlreadyHave:
		return "AlreadyHave"
	case Update:
		return "Update"
	case Conflict:
		return "Conflict"
	case Forbidden:
		return "Forbidden"
	case Gone:
		return "Gone"
	case Reject:
		return "Reject"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// OutcomeHTTPStatus maps an outcome to the HTTP status of the upload reply.
// Reject is 422, not 400: the body parsed, but the record cannot be taken
// as is; 400 stays for bodies that do not parse. AlreadyHave is a 2xx so a
// retrying phone marks the record synced and stops. Unknown outcomes are 500.
func OutcomeHTTPStatus(o Outcome) int {
	switch o {
	case Create:
		return http.StatusCreated
	case AlreadyHave, Update:
		return http.StatusOK
	case Conflict:
		return http.StatusConflict
	case Forbidden:
		return http.StatusForbidden
	case Gone:
		return http.StatusGone
	case Reject:
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

// Incoming is a record as uploaded by a device.
type Incoming struct {
	ID      string // client-generated PocketBase id
	OwnerID string // the authenticated deputy, set by the server
	Hash    string // ContentHash of the canonical content fields, computed by the server
	// BaseVersion is the server version the client edited; 0 means the
	// client believes the record is new.
	BaseVersion   int
	SchemaVersion int
}

// Existing is the server's record with the same id, if any.
type Existing struct {
	Found   bool
	OwnerID string
	Hash    string
	Version int
	Deleted bool // tombstone
}

// Decision is the result of Decide.
type Decision struct {
	Outcome Outcome
	// NewVersion is the server version after applying the decision: 1 for
	// Create, Version+1 for Update, the unchanged server version for
	// AlreadyHave and Conflict, 0 otherwise.
	NewVersion int
	Reason     string // Chinese, shown to the deputy
	Code       string // stable machine code
}

// Machine codes in Decision.Code.
const (
	CodeCreated      = "created"
	CodeAlreadyHave  = "already_have"
	CodeUpdated      = "updated"
	CodeConflict     = "conflict"
	CodeForbidden    = "forbidden"
	CodeGone         = "gone"
	CodeInvalidID    = "invalid_id"
	CodeMissingOwner = "missing_owner"
	CodeMissingHash  = "missing_hash"
	CodeSchemaTooNew = "schema_too_new"
	CodeVersionLimit = "version_limit"
)

// Decide applies the sync rules in the package documentation.
// supportedSchema is the [min, max] range of client schema versions.
func Decide(in Incoming, ex Existing, supportedSchema [2]int) Decision {
	switch {
	case !ValidID(in.ID):
		return reject(CodeInvalidID, "记录编号无效，无法上传。请联系管理员。")
	case in.OwnerID == "":
		return reject(CodeMissingOwner, "未识别登录身份，请重新登录后再同步。")
	case in.Hash == "":
		return reject(CodeMissingHash, "服务器未能校验记录内容，请稍后重试或联系管理员。")
	case in.SchemaVersion > supportedSchema[1]:
		return reject(CodeSchemaTooNew, "手机上的应用版本与服务器不一致，服务器暂时无法接收这条记录。记录已保留在手机上，请更新应用或联系管理员后再同步。")
	}

	if !ex.Found {
		return Decision{Outcome: Create, NewVersion: 1, Code: CodeCreated, Reason: "已上传。"}
	}
	if ex.OwnerID != in.OwnerID {
		return Decision{Outcome: Forbidden, Code: CodeForbidden, Reason: "这条记录属于其他代表，您无权修改。"}
	}
	if ex.Deleted {
		return Decision{Outcome: Gone, Code: CodeGone, Reason: "这条记录已在服务器上删除，不能再上传。如仍需要，请重新新建一条。"}
	}
	if ex.Hash == in.Hash {
		return Decision{Outcome: AlreadyHave, NewVersion: ex.Version, Code: CodeAlreadyHave, Reason: "服务器已有这条记录，无需重复上传。"}
	}
	if in.BaseVersion == ex.Version {
		if ex.Version == math.MaxInt {
			return reject(CodeVersionLimit, "这条记录的修改次数已达上限，请联系管理员。")
		}
		return Decision{Outcome: Update, NewVersion: ex.Version + 1, Code: CodeUpdated, Reason: "已更新。"}
	}
	return Decision{Outcome: Conflict, NewVersion: ex.Version, Code: CodeConflict, Reason: "这条记录在服务器上已有不同的内容。两份都已保留，请核对后选择保留哪一份。"}
}

func reject(code, reason string) Decision {
	return Decision{Outcome: Reject, Code: code, Reason: reason}
}

// ValidID reports whether id has the PocketBase id format: 15 characters
// from [a-z0-9].
func ValidID(id string) bool {
	if len(id) != 15 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
