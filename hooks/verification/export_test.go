package verification

import (
	"context"
	"maps"

	"github.com/pocketbase/pocketbase/core"
)

// JudgeFromDatabase judges the stored visit rec as if no window were kept
// (the kept windows are set aside and put back), giving "kind: reason"
// lines.
func JudgeFromDatabase(app core.App, rec *core.Record) ([]string, error) {
	k := keptWindowsOf(app)
	k.mu.Lock()
	kept := maps.Clone(k.byDeputy)
	clear(k.byDeputy)
	k.mu.Unlock()
	flags, _, err := evaluate(context.Background(), app, rec)
	k.mu.Lock()
	k.byDeputy = kept
	k.mu.Unlock()
	out := make([]string, 0, len(flags))
	for _, f := range flags {
		out = append(out, string(f.Kind)+": "+f.Reason)
	}
	return out, err
}

// StoredJudgement is the visit's stored flags as "kind: reason" lines.
func StoredJudgement(rec *core.Record) ([]string, error) {
	var stored []visitFlag
	if err := rec.UnmarshalJSONField("flags", &stored); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(stored))
	for _, s := range stored {
		out = append(out, string(s.Kind)+": "+s.Reason)
	}
	return out, nil
}

// KeptWindowHits is how many reads the kept windows answered.
func KeptWindowHits(app core.App) int {
	k := keptWindowsOf(app)
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.hits
}

// KeptWindowsGrown is how many times a kept window grew by the span it lacked.
func KeptWindowsGrown(app core.App) int {
	k := keptWindowsOf(app)
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.grown
}
