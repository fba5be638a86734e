// Package notify is the delivery model of the notification outbox (通知发件箱):
// messages, their per-recipient, per-channel delivery state, retries with
// backoff, SMS quiet hours, provider rate limits, the "what is due now"
// planner and a worker that drives it over a store. It needs no PocketBase:
// the outbox collection implements Store, the providers (notify/sms,
// notify/wecom, the in-app notice list) implement Sender.
//
// One event yields at most one message per recipient and channel: the
// dedupe key (Message.DedupeKey) is unique in the store.
//
// Delivery states:
//
//	pending ─claim─▶ sending ─▶ sent
//	   ▲                │
//	   │                ├─ retryable failure ─▶ failed ─(NextAt)─▶ claim again
//	   │                ├─ permanent failure, tries used up, or expired ─▶ dead
//	   └──── Revive ────┘  (staff resend a dead message)
//
// A delivery is claimed (state sending, stored) before the provider is
// called and its outcome is stored after. A crash in between leaves it in
// sending; what happens next depends on the channel's Guarantee:
//
//   - AtLeastOnce (企业微信 robot, in-app): once the lease runs out the message
//     is sent again. A duplicate line in the office group is harmless; a
//     missing escalation is not. The in-app sender writes its notice under
//     the dedupe key, so for it "again" finds the notice and is exactly once.
//   - AtMostOnce (SMS): a text message cannot be taken back. An attempt whose
//     outcome is unknown (crash, timeout, 5xx) is reconciled: the sender looks
//     the message up by its OutId at the provider. Found: sent. Provably not
//     accepted: retried. Still unknown after MaxReconciles lookups: dead with
//     "outcome unknown", shown to staff, never re-sent on its own.
package notify
