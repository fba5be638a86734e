// Package idlist reads the rows whose key is one of a list of ids through
// the key's index, whatever the planner's statistics say.
//
// The plain "id IN (SELECT value FROM json_each(…))" lets SQLite choose
// between probing the index with each id and reading the whole table,
// testing each row against the list; under the statistics of a new
// township (taken while its tables were nearly empty) it reads the whole
// table, at every push and every rescore after one, and with "SELECT t.*"
// even a join of the list with the table does. A CROSS JOIN with the list
// on its left is never reordered, and the index named (INDEXED BY) is
// the one each id is looked up in.
package idlist

import (
	"encoding/json"

	"github.com/pocketbase/dbx"
)

// From is a FROM clause of the rows of table (alias t) whose column is one
// of the ids bound as {:ids} (Params), each looked up in index, the index
// on column. Named, the index is used whatever the statistics say, and a
// missing one fails the statement rather than read the table. The names
// come from the code, never from a request.
func From(table, column, index string) string {
	return "json_each({:ids}) j CROSS JOIN `" + table + "` t INDEXED BY `" + index + "` ON t.`" + column + "` = j.value"
}

// ByID is From on a collection's id, through the index SQLite keeps for
// its primary key.
func ByID(table string) string {
	return From(table, "id", "sqlite_autoindex_"+table+"_1")
}

// Params binds ids (strings) as {:ids}, each once, so that From reads each
// row once, as "IN" would.
func Params[T comparable](ids []T) dbx.Params {
	once := make([]T, 0, len(ids))
	seen := make(map[T]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			once = append(once, id)
		}
	}
	list, err := json.Marshal(once)
	if err != nil { // a list of strings always encodes
		panic(err)
	}
	return dbx.Params{"ids": string(list)}
}
