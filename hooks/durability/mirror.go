package durability

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// bindMirror copies every file a record save brings (a visit's photo, a
// resident's picture, an upload in the admin UI) to the replica before the
// record is written. A save whose copy fails fails as a whole, so a record
// never says it holds a file (a visit is never "complete") unless the file
// is durable in the replica. Files live in PocketBase's S3 storage instead
// when that is on (Settings → Files storage): then there is nothing to copy.
func bindMirror(app core.App, store filesStore) {
	copyFiles := func(e *core.RecordEvent) error {
		if err := mirrorUnsaved(e.App, store, e.Record); err != nil {
			return fmt.Errorf("copy files to the replica %s: %w", store, err)
		}
		return e.Next()
	}
	app.OnRecordCreateExecute().BindFunc(copyFiles)
	app.OnRecordUpdateExecute().BindFunc(copyFiles)
}

func mirrorUnsaved(app core.App, store filesStore, rec *core.Record) error {
	if app.Settings().S3.Enabled {
		return nil
	}
	for _, field := range rec.Collection().Fields {
		if field.Type() != core.FieldTypeFile {
			continue
		}
		for _, f := range rec.GetUnsavedFiles(field.GetName()) {
			r, err := f.Reader.Open()
			if err != nil {
				return err
			}
			err = store.Put(rec.BaseFilesPath()+"/"+f.Name, r)
			r.Close()
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// filesMode says where files are durable, for the log line and the status.
func filesMode(app core.App, replicating bool) string {
	switch {
	case app.Settings().S3.Enabled:
		return "pocketbase_s3"
	case replicating:
		return "mirrored"
	}
	return "local"
}
