package verification

import (
	"context"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/syncengine"
	"simeng/imageguard"
	"simeng/plausibility"
)

// Near-duplicate photos cannot be judged when a visit is pushed: the files
// come afterwards. When a photo arrives, a background job decodes it within
// imageguard's pixel budget, stores its perceptual hash and checks it
// against the township's hashed photos; a match on a visit to another
// household raises similar_photo. Decoding a phone photo takes tens of
// milliseconds, so it never sits on the upload's request path, and one job
// runs at a time (the machine has two cores).

var hashSlot = make(chan struct{}, 1)

// maxPhotoRead bounds a stored photo read back for hashing.
const maxPhotoRead = 6 << 20

// hashJobs are an app's background hash jobs: none starts once the app
// terminates, and terminating waits for those under way, so no job writes
// to a database that is closing.
type hashJobs struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

func (j *hashJobs) begin() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return false
	}
	j.wg.Add(1)
	return true
}

func (j *hashJobs) isClosed() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.closed
}

func bindPhotoHashes(app core.App) {
	jobs := &hashJobs{}
	app.OnRecordAfterUpdateSuccess("visits").BindFunc(func(e *core.RecordEvent) error {
		if hasUnhashedPhoto(e.App, e.Record) && jobs.begin() {
			id := e.Record.Id
			go func() {
				defer jobs.wg.Done()
				hashSlot <- struct{}{}
				defer func() { <-hashSlot }()
				if jobs.isClosed() {
					return
				}
				if err := hashVisitPhotos(app, id); err != nil {
					app.Logger().Warn("photo hash", "visit", id, "error", err)
				}
			}()
		}
		return e.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		jobs.mu.Lock()
		jobs.closed = true
		jobs.mu.Unlock()
		jobs.wg.Wait()
		return e.Next()
	})
}

// hasUnhashedPhoto: a photo (not the signature) arrived that has no
// perceptual hash yet.
func hasUnhashedPhoto(app core.App, rec *core.Record) bool {
	if Load(app).FlagsOff {
		return false
	}
	for _, p := range syncengine.ReadManifest(rec) {
		if p.File != "" && p.Key != SignatureKey {
			var n int
			_ = app.DB().Select("COUNT(*)").From("visit_photo_hashes").
				Where(dbx.HashExp{"visit": rec.Id, "key": p.Key, "phash": ""}).Row(&n)
			if n > 0 {
				return true
			}
		}
	}
	return false
}

// hashVisitPhotos hashes the visit's arrived photos and runs the photo
// check with the perceptual hashes.
func hashVisitPhotos(app core.App, visitID string) error {
	rec, err := app.FindRecordById("visits", visitID)
	if err != nil {
		return nil // deleted meanwhile
	}
	fsys, err := app.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	v := plausibility.Visit{ID: rec.Id, Deputy: rec.GetString("deputy"), Household: rec.GetString("household"),
		VisitedAt: rec.GetDateTime("visited_at").Time()}
	for _, p := range syncengine.ReadManifest(rec) {
		if p.Key == SignatureKey || p.SHA256 == "" {
			continue
		}
		photo := plausibility.Photo{Key: p.Key, SHA256: strings.ToLower(p.SHA256)}
		var stored string
		_ = app.DB().Select("phash").From("visit_photo_hashes").Where(dbx.HashExp{"visit": rec.Id, "key": p.Key}).Row(&stored)
		if h, err := plausibility.ParsePHash(stored); err == nil && stored != "" {
			photo.PHash, photo.Hashed = h, true
		} else if p.File != "" {
			h, err := hashFile(fsys, rec.BaseFilesPath()+"/"+p.File)
			if err != nil {
				app.Logger().Warn("photo hash", "visit", rec.Id, "key", p.Key, "error", err)
				continue
			}
			if _, err := app.DB().Update("visit_photo_hashes", dbx.Params{"phash": h.String()},
				dbx.HashExp{"visit": rec.Id, "key": p.Key}).Execute(); err != nil {
				return err
			}
			photo.PHash, photo.Hashed = h, true
		}
		v.Photos = append(v.Photos, photo)
	}
	refs, err := hashedRefs(app, v.ID)
	if err != nil {
		return err
	}
	var similar []plausibility.Flag
	for _, f := range plausibility.CheckPhotos(v, refs, Load(app).Thresholds) {
		if f.Kind == plausibility.SimilarPhoto {
			similar = append(similar, f)
		}
	}
	if len(similar) == 0 {
		return nil
	}
	return app.RunInTransaction(func(tx core.App) error {
		visit, err := tx.FindRecordById("visits", v.ID)
		if err != nil {
			return err
		}
		flags, _ := replaceKind(openFlags(visit), plausibility.SimilarPhoto, &similar[0])
		visit.Set("flags", flags)
		return tx.Save(visit)
	})
}

// hashFile reads a stored photo and hashes it, decoding within
// imageguard's pixel cap and budget.
func hashFile(fsys *filesystem.System, key string) (plausibility.PHash, error) {
	r, err := fsys.GetReader(key)
	if err != nil {
		return 0, err
	}
	data, err := io.ReadAll(io.LimitReader(r, maxPhotoRead))
	r.Close()
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	img, release, err := imageguard.Guard{}.Decode(ctx, data)
	if err != nil {
		return 0, err
	}
	defer release()
	return plausibility.PerceptualHash(img)
}

// hashedRefs are the township's other hashed photos.
func hashedRefs(app core.App, visitID string) ([]plausibility.PhotoRef, error) {
	var rows []struct {
		Visit     string `db:"visit"`
		Key       string `db:"key"`
		Household string `db:"household"`
		Deputy    string `db:"deputy"`
		VisitedAt string `db:"visited_at"`
		SHA256    string `db:"sha256"`
		PHash     string `db:"phash"`
	}
	if err := app.DB().Select("visit", "key", "household", "deputy", "visited_at", "sha256", "phash").
		From("visit_photo_hashes").Where(dbx.NewExp("phash != '' AND visit != {:v}", dbx.Params{"v": visitID})).
		All(&rows); err != nil {
		return nil, err
	}
	refs := make([]plausibility.PhotoRef, 0, len(rows))
	for _, r := range rows {
		h, err := plausibility.ParsePHash(r.PHash)
		if err != nil {
			continue
		}
		at, _ := types.ParseDateTime(r.VisitedAt)
		refs = append(refs, plausibility.PhotoRef{Visit: r.Visit, Household: r.Household, Deputy: r.Deputy, VisitedAt: at.Time(),
			Photo: plausibility.Photo{Key: r.Key, SHA256: r.SHA256, PHash: h, Hashed: true}})
	}
	return refs, nil
}
