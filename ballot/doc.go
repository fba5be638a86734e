// Package ballot counts the secret ballot (无记名投票) by which the
// township congress chooses the year's livelihood projects (民生实事项目
// 代表票决, R12): the rules of a vote, the check of one ballot, the public
// count with its tie rule, and the random choice of an urn slot.
//
// # Secrecy
//
// Two things are stored and must never be joinable:
//
//   - the register (投票登记): one row per deputy who voted, so nobody votes
//     twice, and the assessment can credit the vote (MetricVotes);
//   - the ballots (选票): what was chosen, with nothing about who chose it.
//
// A ballot row carries only a random id, the vote it belongs to and the
// choices (sorted: the order of taps says nothing). It has no deputy, no
// autodate fields (PocketBase adds created/updated only when a migration
// asks for them; they are millisecond stamps that would line up with the
// register and with the request log) and no sequential id.
//
// Insertion order is the subtle leak: PocketBase lists records by SQLite
// rowid (`sort=@rowid`), and its admin UI sorts every collection by
// `-@rowid` by default, so ballots inserted as they arrive would be listed
// in voting order beside a register in the same order. So the urn is
// filled, not appended to: when a vote opens, the server creates one empty
// slot per expected deputy, in one transaction, in random order, with
// random ids; a deputy's vote writes the register row and fills one slot
// chosen by PickSlot among the empty ones, in one transaction (one vote per
// deputy, nothing half-stored). The rowid order of the slots is the random
// order of their creation and says nothing about who filled which. Paper
// ballots typed in by staff after the box is opened fill slots the same way.
//
// What the integrator must add, because PocketBase lets superusers (staff)
// read everything: refuse list, view and realtime subscriptions on ballot
// slots to everybody, staff included, while the vote is open; refuse any
// change to a filled slot and any schema change to the collection (an
// autodate field added mid-vote would stamp fills); refuse backups while a
// vote is open; never put choices in a URL (the request log keeps URLs) or
// echo them in an error (the log keeps error details): Check's messages
// never name a candidate. See /work/team/designs/14.md for the full list and
// what is left to trust (the server's operator with the raw database files).
//
// # Counting
//
// Count works from the ballots alone, in any order, and publishes a digest
// of them, so anyone holding the published ballots can recount and check
// they hold the same set. There is no receipt: a deputy cannot prove to
// anybody how they voted, which is what makes the ballot secret against
// pressure too.
package ballot
