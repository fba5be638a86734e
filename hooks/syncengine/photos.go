package syncengine

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"slices"

	"github.com/gabriel-vasile/mimetype"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/images"
	"simeng/vocab"
)

var photoExt = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}

// loadSyncedForDeputy finds the record a photo or status route names and
// checks that the caller owns it.
func loadSyncedForDeputy(e *core.RequestEvent) (*Collection, *core.Record, error) {
	s := registryOf(e.App).get(e.Request.PathValue("collection"))
	if s == nil || s.PhotoField == "" && e.Request.Method == http.MethodPut {
		return nil, nil, e.NotFoundError("这个集合不能上传照片。", fielderr.New("collection", "unknown_collection", "不能同步到这个集合。"))
	}
	rec, err := e.App.FindRecordById(s.Name, e.Request.PathValue("id"))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, e.NotFoundError("服务器还没有这条记录：请先上传记录，再上传照片。", nil)
	}
	if err != nil {
		return nil, nil, e.InternalServerError("", err)
	}
	if rec.GetString(s.OwnerField) != e.Auth.Id {
		return nil, nil, e.ForbiddenError("这条记录属于其他代表。", nil)
	}
	return s, rec, nil
}

// handlePhotoUpload stores one declared photo. Idempotent: the same bytes
// again change nothing; bytes that do not match the declared sha256 and
// size are refused, so a truncated upload never counts.
func handlePhotoUpload(e *core.RequestEvent) error {
	s, rec, err := loadSyncedForDeputy(e)
	if err != nil {
		return err
	}
	key := e.Request.PathValue("key")
	manifest := ReadManifest(rec)
	idx := -1
	for i, p := range manifest {
		if p.Key == key {
			idx = i
		}
	}
	if idx < 0 {
		return e.BadRequestError("这张照片没有在记录中声明：请先上传包含它的记录。", fielderr.New("key", "not_declared", "记录的照片清单里没有这个 key。"))
	}
	want := manifest[idx]

	body, err := io.ReadAll(io.LimitReader(e.Request.Body, vocab.MaxPhotoBytes+1))
	if err != nil {
		return e.BadRequestError("照片没有传完，请重试。", fielderr.New("photo", "incomplete", "读取照片失败。"))
	}
	if len(body) > vocab.MaxPhotoBytes {
		return e.BadRequestError("照片超过5MB。", fielderr.New("photo", "too_large", "照片不能超过5MB，请压缩后重传。"))
	}
	sum := sha256.Sum256(body)
	if int64(len(body)) != want.Size || hex.EncodeToString(sum[:]) != want.SHA256 {
		return e.BadRequestError("照片内容与声明不符（可能没有传完），请重传。", fielderr.New("photo", "sha256_mismatch", "照片的大小或 sha256 与记录中声明的不一致。"))
	}
	mt := mimetype.Detect(body).String()
	ext, ok := photoExt[mt]
	if !ok {
		return e.BadRequestError("只能上传 JPEG、PNG 或 WebP 图片。", fielderr.New("photo", "not_image", "文件不是 JPEG、PNG 或 WebP 图片。"))
	}
	// The pixel size from the header, before anything decodes it (a
	// decompression bomb is small on the wire).
	if _, err := images.Guard().Check(bytes.NewReader(body)); images.FieldError(err) != nil {
		ferr := images.FieldError(err)
		return e.BadRequestError(ferr.Error(), validation.Errors{"photo": ferr})
	}

	if _, present := photoStatus(rec, s.PhotoField); want.File == "" || !slices.Contains(present, key) {
		err = e.App.RunInTransaction(func(tx core.App) error {
			fresh, err := tx.FindRecordById(s.Name, rec.Id)
			if err != nil {
				return err
			}
			f, err := filesystem.NewFileFromBytes(body, key+ext)
			if err != nil {
				return err
			}
			m := ReadManifest(fresh)
			matched := false
			for i := range m {
				if m[i].Key == key && m[i].SHA256 == want.SHA256 {
					if m[i].File != "" {
						fresh.Set(s.PhotoField+"-", m[i].File)
					}
					m[i].File = f.Name
					matched = true
				}
			}
			// An edit changed the photo list since this upload began: a
			// file kept now would belong to no entry and never be removed.
			if !matched {
				return errPhotoListChanged
			}
			writeManifest(fresh, m)
			fresh.Set(s.PhotoField+"+", f)
			if err := tx.Save(fresh); err != nil {
				return err
			}
			rec = fresh
			return nil
		})
		var ve validation.Errors
		if errors.As(err, &ve) {
			return e.BadRequestError("照片保存失败。", ve)
		}
		if errors.Is(err, errPhotoListChanged) {
			return e.Error(http.StatusConflict, "这张照片已不在记录的照片清单中（记录刚被修改），请先同步记录再上传。", fielderr.New("photo", "not_declared", "照片清单已变更。"))
		}
		if err != nil {
			return e.InternalServerError("照片保存失败，请稍后重试。", err)
		}
	}
	return e.JSON(http.StatusOK, syncStatus(s, rec))
}

func handleSyncStatus(e *core.RequestEvent) error {
	s, rec, err := loadSyncedForDeputy(e)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, syncStatus(s, rec))
}

func syncStatus(s *Collection, rec *core.Record) map[string]any {
	out := map[string]any{"collection": s.Name, "id": rec.Id, "version": rec.GetInt("version"), "seq": rec.GetInt("seq"), "complete": true}
	if s.PhotoField != "" {
		exp, pres := photoStatus(rec, s.PhotoField)
		out["photos"] = photoState{exp, pres}
		out["complete"] = len(exp) == len(pres)
	}
	return out
}

var errPhotoListChanged = errors.New("photo no longer in the record's manifest")
