// Package ballot counts the secret ballot (无记名投票) by which the
// township congress chooses the year's livelihood projects (民生实事项目
// 代表票决, R12): the rules of a vote, the check of one ballot, and the
// public count with its tie rule.
//
// # Secrecy
//
// Two things are stored and must never be joinable:
//
//   - the register (投票登记): one row per deputy who voted, so that nobody
//     votes twice and the assessment can credit the vote;
//   - the ballots (选票): what was chosen, with nothing about who chose it.
//
// The integrator keeps the ballots out of PocketBase's reach: not in a
// collection but in a plain SQLite table created by a migration,
//
//	CREATE TABLE ballot_urn (id TEXT PRIMARY KEY, vote TEXT NOT NULL,
//	  choices TEXT NOT NULL, spoiled INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID
//
// with a random id (crypto/rand), the vote, the choices in canonical order
// (Check sorts them: the order of taps says nothing) and no time. A table
// that is not a collection has no records API, no admin screen, no filter
// or expand path from another collection, no realtime event and no
// export, for staff (superusers) neither. WITHOUT ROWID matters: PocketBase
// lists records by SQLite rowid (its admin UI sorts by -@rowid), and a
// rowid table keeps insertion order, which is voting order, beside a
// register kept in the same order; a WITHOUT ROWID table is stored and
// scanned in the order of its random ids. PocketBase's autodate fields
// (created/updated: millisecond stamps set as the row is written) are
// exactly what must not exist here.
//
// A vote writes the register row and the ballot in one transaction: one
// ballot per deputy, nothing half-stored. Choices travel in the POST body,
// never in a URL (the request log keeps URLs), and Check's messages never
// name a candidate (the request log keeps error details). There is no
// receipt: the response does not return the ballot's id, so nobody can
// prove to anybody how they voted. Ballots are read only after the vote is
// closed, and then published whole with the count.
//
// What is left to trust is the operator of the server's files: SQLite's
// write-ahead log, a backup or a replica taken during the vote hold the
// order of commits. The integrator refuses backups while a vote is open
// and checkpoints the log when it closes; see /work/team/designs/14.md.
//
// # Counting
//
// Count works from the ballots alone, in any order, and returns a digest of
// them, so anyone holding the published ballots can recount and check they
// hold the set that was counted.
package ballot
