package verification

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/fieldset"
	"simeng/hooks/syncengine"
	"simeng/imageguard"
	"simeng/vocab"
)

// Confirmation by the household (农户确认): the phone sends
//
//	"confirmation": {"name": "向德胜", "at": "2026-03-05T09:41:00+08:00", "sms": true}
//
// with the visit ("sms", optional: the household agreed to a text message
// about the visit, which the callback check may send instead of calling), and declares the signature drawn on the screen as the
// photo manifest's entry SignatureKey; the PNG then travels through the
// outbox and PUT /api/sync/photos/visits/{id}/signature like a photo, and
// the visit is complete once it arrived. The confirmation (with the
// signature's sha256) is part of the visit's content hash, and once stored
// it cannot be changed or removed: it is the household's statement.

// SignatureKey is the manifest key of the household's signature.
const SignatureKey = "signature"

// Limits of a signature image: a cropped stroke drawing scaled to at most
// 600×300 on the phone is 5–15 KB.
const (
	maxSignatureBytes  = 64 << 10
	maxSignaturePixels = 1200 * 800
	maxConfirmName     = 20
)

// confirmation is what the visit stores.
type confirmation struct {
	Name      string `json:"name"`
	At        string `json:"at"`
	Signature string `json:"signature"` // sha256 of the PNG, as declared
	// SMS: the household agreed that the office may text it about the
	// visit (the callback notice).
	SMS bool `json:"sms,omitempty"`
}

func storedConfirmation(rec *core.Record) (confirmation, bool) {
	var c confirmation
	raw, _ := rec.Get("confirmation").(types.JSONRaw)
	if len(raw) == 0 || string(raw) == "null" || json.Unmarshal(raw, &c) != nil || c.Name == "" {
		return confirmation{}, false
	}
	return c, true
}

// ApplyConfirmation checks the confirmation a phone pushed with a visit
// (visits' Apply calls it in the push transaction) and the photo count
// besides the signature. It returns errors by field, nil if all is well.
func ApplyConfirmation(c *syncengine.ApplyContext) validation.Errors {
	rec := c.Record
	errs := validation.Errors{}
	var sig *syncengine.Photo
	photos := 0
	for _, p := range syncengine.ReadManifest(rec) {
		if p.Key == SignatureKey {
			sig = &p
			continue
		}
		photos++
	}
	if photos > vocab.PhotosPerRecord {
		errs["photos"] = validation.NewError("too_many_photos", fmt.Sprintf("每次走访最多%d张照片（农户签名另计）。", vocab.PhotosPerRecord))
	}
	stored, locked := storedConfirmation(rec)
	if !c.Data.Has("confirmation") {
		if locked {
			return nilIfEmpty(errs) // left out: unchanged
		}
		if sig != nil {
			errs["confirmation"] = validation.NewError("validation_required", "有签名时请填写确认人姓名和确认时间。")
		}
		return nilIfEmpty(errs)
	}
	if c.Data.IsNull("confirmation") {
		if locked {
			rec.Set("confirmation", nil) // hashed as sent: a changed record, refused
			errs["confirmation"] = validation.NewError("confirmation_locked", "农户确认已保存，不能撤销。")
		} else if sig != nil {
			errs["confirmation"] = validation.NewError("validation_required", "有签名时请填写确认人姓名和确认时间。")
		}
		return nilIfEmpty(errs)
	}
	var in struct {
		Name string `json:"name"`
		At   string `json:"at"`
		SMS  bool   `json:"sms"`
	}
	if err := c.Data.Decode("confirmation", &in); err != nil {
		errs["confirmation"] = validation.NewError("invalid_confirmation", "农户确认格式应为 {\"name\":确认人姓名,\"at\":确认时间,\"sms\":是否同意短信核实}。")
		return errs
	}
	if Load(c.App).Confirmation == ConfirmationOff {
		errs["confirmation"] = validation.NewError("confirmation_off", "本镇未启用农户确认。")
		return errs
	}
	name := strings.TrimSpace(in.Name)
	at, err := time.Parse(time.RFC3339, in.At)
	visited := rec.GetDateTime("visited_at").Time()
	switch {
	case name == "":
		errs["confirmation"] = validation.NewError("validation_required", "请填写确认人姓名。")
	case utf8.RuneCountInString(name) > maxConfirmName:
		errs["confirmation"] = validation.NewError("too_long", "确认人姓名不能超过20个字。")
	case err != nil:
		errs["confirmation"] = validation.NewError("invalid_date", "确认时间格式应为 2026-03-05T09:41:00+08:00。")
	case !visited.IsZero() && (at.Before(visited.Add(-time.Hour)) || at.After(visited.Add(12*time.Hour))):
		errs["confirmation"] = validation.NewError("out_of_range", "确认时间应在走访时间前1小时到走访后12小时之间。")
	case sig == nil:
		errs["confirmation"] = validation.NewError("signature_missing", "请让农户签名后再确认。")
	}
	if len(errs) > 0 {
		return errs
	}
	next := confirmation{Name: name, At: at.UTC().Format(time.RFC3339), Signature: strings.ToLower(sig.SHA256), SMS: in.SMS}
	if locked && next != stored {
		rec.Set("confirmation", next) // hashed as sent: a changed record, refused
		errs["confirmation"] = validation.NewError("confirmation_locked", "农户确认已保存，不能更改。")
		return errs
	}
	rec.Set("confirmation", next)
	return nilIfEmpty(errs)
}

func nilIfEmpty(errs validation.Errors) validation.Errors {
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// markSigned keeps visits.signed: the confirmation stored and its
// signature file arrived.
func markSigned(rec *core.Record) {
	c, ok := storedConfirmation(rec)
	signed := false
	if ok {
		for _, p := range syncengine.ReadManifest(rec) {
			if p.Key == SignatureKey && p.File != "" && strings.EqualFold(p.SHA256, c.Signature) {
				signed = true
			}
		}
	}
	if rec.GetBool("signed") != signed {
		fieldset.Set(rec, "signed", signed)
	}
}

// guardSignatureUpload checks a signature PUT to the sync photo route
// before the sync engine stores it: a PNG of at most 64 KB and 1200×800
// pixels, read from its header by imageguard (photos get the engine's
// checks; the signature is smaller and stricter).
func guardSignatureUpload(e *core.RequestEvent) error {
	p := e.Request.URL.Path
	if e.Request.Method != http.MethodPut || !strings.HasPrefix(p, "/api/sync/photos/visits/") || !strings.HasSuffix(p, "/"+SignatureKey) {
		return e.Next()
	}
	body, err := io.ReadAll(io.LimitReader(e.Request.Body, maxSignatureBytes+1))
	if err != nil {
		return e.BadRequestError("签名图片没有收全，请重试。", fielderr.New("signature", "read_failed", "签名图片没有收全，请重试。"))
	}
	if len(body) > maxSignatureBytes {
		return e.BadRequestError("签名图片太大。", fielderr.New("signature", "too_large", "签名图片不能超过64KB。"))
	}
	info, err := imageguard.CheckBytes(body, maxSignaturePixels)
	if errors.Is(err, imageguard.ErrTooLarge) {
		return e.BadRequestError("签名图片像素太大。", fielderr.New("signature", "too_many_pixels", "签名图片最多1200×800像素。"))
	}
	if err != nil {
		return e.BadRequestError("签名图片无效。", fielderr.New("signature", "invalid_image", imageguard.Message(err)))
	}
	if info.Format != imageguard.PNG {
		return e.BadRequestError("签名图片应为PNG。", fielderr.New("signature", "invalid_type", "签名图片应为PNG格式。"))
	}
	e.Request.Body = io.NopCloser(bytes.NewReader(body))
	e.Request.ContentLength = int64(len(body))
	return e.Next()
}
