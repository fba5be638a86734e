// Package plausibility checks visit logs (走访日志) for signs that a visit
// did not happen as recorded, without PocketBase: it raises flags (疑点)
// with a plain Chinese reason for the presidium (主席团) to review. A flag is
// never a penalty by itself; only a review decision ("not counted") or the
// township's counting mode changes what counts toward the ≥12 households
// rule (see Counts).
//
// The checks, each a Kind:
//   - FarFromVillage: the GPS fix lies far outside the household's village,
//     the accuracy circle taken into account; NoFix: no usable fix at all.
//   - TooFast: two visits to different households whose fixes are too far
//     apart for the time between them; TooSoon: the same without fixes to
//     judge by, when they are minutes apart.
//   - SamePhoto, SimilarPhoto: a photo (by sha256) or a near-duplicate (by
//     perceptual hash) also on a visit to another household.
//   - OneSitting: many households created and first visited by one deputy
//     within minutes.
//   - LateUpload: the server received the visit long after its stated time.
//   - CallbackDenied: a callback (回访) found the household denying the visit.
//
// Everything here is a pure function of its inputs, so the server can
// evaluate a pushed visit against only its neighbours in time (History) and
// the township's photo hashes (PhotoIndex) instead of re-reading the year.
package plausibility
