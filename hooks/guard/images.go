package guard

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/images"
	"simeng/imageguard"
)

// bindImages keeps decompression bombs out by every door. Every save of
// every collection (the records API and batch, the admin UI, the resident
// and enterprise forms, the sync photo route, seeders) validates its new
// files: an image's dimensions are read from its header, never decoded,
// and an image above the pixel cap is refused with a field error. Then the
// thumbnails: PocketBase decodes the whole original to make one, so a
// thumbnail is made only for an image within the cap (one stored before
// the cap existed answers 404) and waits its turn in the process's decode
// budget.
func bindImages(app core.App) {
	app.OnRecordValidate().BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		for _, f := range e.Record.Collection().Fields {
			field, ok := f.(*core.FileField)
			if !ok {
				continue
			}
			for _, file := range e.Record.GetUnsavedFiles(field.Name) {
				if err := images.CheckFile(file); err != nil {
					errs[field.Name] = err
					break
				}
			}
		}
		if len(errs) > 0 {
			return fielderr.Merge(e.Next(), errs)
		}
		return e.Next()
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{Id: "simengThumbGuard", Func: guardThumb})
		return se.Next()
	})
}

// thumbWait is how long a thumbnail waits for the decode budget before
// the phone is told to try again.
const thumbWait = 20 * time.Second

// guardThumb runs before PocketBase's file download makes a thumbnail.
func guardThumb(e *core.RequestEvent) error {
	thumb := e.Request.URL.Query().Get("thumb")
	rest, isFile := strings.CutPrefix(e.Request.URL.Path, "/api/files/")
	if thumb == "" || !isFile || e.Request.Method != http.MethodGet {
		return e.Next()
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 {
		return e.Next()
	}
	col, err := e.App.FindCachedCollectionByNameOrId(parts[0])
	if err != nil || col.IsView() {
		return e.Next()
	}
	rec, err := e.App.FindRecordById(col, parts[1])
	if err != nil || rec.FindFileFieldByFile(parts[2]) == nil {
		return e.Next() // PocketBase answers 404
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return e.Next()
	}
	defer fsys.Close()
	base := rec.BaseFilesPath()
	if exists, _ := fsys.Exists(base + "/thumbs_" + parts[2] + "/" + thumb + "_" + parts[2]); exists {
		return e.Next()
	}
	r, err := fsys.GetReader(base + "/" + parts[2])
	if err != nil {
		return e.Next()
	}
	g := images.Guard()
	info, err := g.Check(r)
	r.Close()
	switch {
	case errors.Is(err, imageguard.ErrTooLarge):
		return e.NotFoundError("图片尺寸过大，无法生成缩略图。", nil)
	case errors.Is(err, imageguard.ErrNotImage):
		return e.Next() // no thumbnail is made
	case err != nil && info.Pixels() <= 0:
		return e.NotFoundError("图片已损坏，无法生成缩略图。", nil)
	}
	ctx, cancel := context.WithTimeout(e.Request.Context(), thumbWait)
	defer cancel()
	release, err := g.Hold(ctx, info)
	if err != nil {
		e.Response.Header().Set("Retry-After", "5")
		return e.Error(http.StatusServiceUnavailable, imageguard.Message(err), nil)
	}
	defer release()
	return e.Next()
}
