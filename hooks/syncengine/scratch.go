package syncengine

import "context"

// scratchKey carries a push's scratch space in the context each of its
// records is saved with.
type scratchKey struct{}

func withScratch(ctx context.Context, m map[string]any) context.Context {
	return context.WithValue(ctx, scratchKey{}, m)
}

// PushScratch is a map that lives as long as one push (one transaction),
// for a capability's record hooks to keep what they read once per push
// rather than once per record (a deputy's visits around the push's
// times, say). Keys are the capability's own ("verification.…"). Nil when
// the record is not being saved by a push. Not safe for concurrent use; a
// push saves its records one at a time.
func PushScratch(ctx context.Context) map[string]any {
	if ctx == nil {
		return nil
	}
	m, _ := ctx.Value(scratchKey{}).(map[string]any)
	return m
}
