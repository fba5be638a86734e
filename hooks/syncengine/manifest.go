package syncengine

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/vocab"
)

// Photos of a synced record: the phone declares them in the record's data
// ("photos": [{key, sha256, size}], the manifest) and uploads each one
// afterwards (PUT /api/sync/photos/…); the record is complete once every
// declared photo arrived.

// manifestKey is the data key of the photo manifest.
const manifestKey = "photos"

// Photo is one photo a phone declared for a record.
type Photo struct {
	Key    string `json:"key"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	File   string `json:"file,omitempty"` // stored file name once it arrived
}

var photoKeyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)

// ReadManifest is the photo manifest stored on rec.
func ReadManifest(rec *core.Record) []Photo {
	var m []Photo
	raw, _ := rec.Get("photo_manifest").(types.JSONRaw)
	if len(raw) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil
	}
	return m
}

func writeManifest(rec *core.Record, m []Photo) {
	if m == nil {
		m = []Photo{}
	}
	rec.Set("photo_manifest", m)
}

// manifestContent is the part of the manifest the phone wrote: the stored
// file names are the server's and do not change the content.
func manifestContent(m []Photo) []map[string]any {
	out := make([]map[string]any, len(m))
	for i, p := range m {
		out[i] = map[string]any{"key": p.Key, "sha256": p.SHA256, "size": p.Size}
	}
	return out
}

// applyManifest stores the photos the phone declares in data, at most max
// (per words the limit: 每次走访). A photo already received stays if the
// phone still declares it with the same sha256; a photo no longer declared
// (or replaced) is removed from field. It returns the photos field's error.
func applyManifest(rec *core.Record, field string, data Data, max int, per string) error {
	if !data.Has(manifestKey) {
		return nil // left out: unchanged
	}
	var declared []Photo
	if err := data.Decode(manifestKey, &declared); err != nil {
		return validation.NewError("invalid_photos", "照片清单格式应为 [{\"key\":…,\"sha256\":…,\"size\":…}]。")
	}
	if len(declared) > max {
		return validation.NewError("too_many_photos", fmt.Sprintf("%s最多%d张照片。", per, max))
	}
	old := ReadManifest(rec)
	seen := map[string]bool{}
	for i := range declared {
		p := &declared[i]
		if !photoKeyPattern.MatchString(p.Key) || seen[p.Key] {
			return validation.NewError("invalid_photo_key", fmt.Sprintf("第%d张照片的 key 无效或重复。", i+1))
		}
		seen[p.Key] = true
		if b, err := hex.DecodeString(p.SHA256); err != nil || len(b) != 32 {
			return validation.NewError("invalid_sha256", fmt.Sprintf("第%d张照片的 sha256 无效。", i+1))
		}
		if p.Size <= 0 || p.Size > vocab.MaxPhotoBytes {
			return validation.NewError("photo_too_large", fmt.Sprintf("第%d张照片超过5MB或大小无效。", i+1))
		}
		p.File = ""
		for _, o := range old {
			if o.Key == p.Key && o.SHA256 == p.SHA256 && o.Size == p.Size {
				p.File = o.File
			}
		}
	}
	var drop []string
	for _, o := range old {
		if o.File != "" && !slices.ContainsFunc(declared, func(p Photo) bool { return p.File == o.File }) {
			drop = append(drop, o.File)
		}
	}
	if len(drop) > 0 {
		rec.Set(field+"-", drop)
	}
	writeManifest(rec, declared)
	return nil
}

// photoStatus lists the declared keys and those whose file arrived.
func photoStatus(rec *core.Record, field string) (expected, present []string) {
	files := fileNames(rec, field)
	expected, present = []string{}, []string{}
	for _, p := range ReadManifest(rec) {
		expected = append(expected, p.Key)
		if p.File != "" && slices.Contains(files, p.File) {
			present = append(present, p.Key)
		}
	}
	return expected, present
}

func photosComplete(rec *core.Record, field string) bool {
	expected, present := photoStatus(rec, field)
	return len(expected) == len(present)
}

// fileNames lists the names in a file field, including files being saved
// (the field holds them as *filesystem.File until they are uploaded).
func fileNames(rec *core.Record, field string) []string {
	var names []string
	switch v := rec.Get(field).(type) {
	case []string:
		names = append(names, v...)
	case []any:
		for _, x := range v {
			switch f := x.(type) {
			case string:
				names = append(names, f)
			case *filesystem.File:
				names = append(names, f.Name)
			}
		}
	case string:
		names = append(names, v)
	}
	return names
}
