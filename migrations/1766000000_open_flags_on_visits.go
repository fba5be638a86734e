package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// A visit's open plausibility flags live on the visit alone (visits.flags,
// which already carried their kinds and reasons for the phone): a
// fabricated batch raised two visit_flags rows a visit, and writing them
// was a fifth of the sync push's time. visit_flags keeps the flags that
// are no longer open (resolved), the visit's flag history.
//
// Up moves each open row's related visits and raising time onto the
// visit's flag of the same kind, then drops the open rows; an open row
// whose kind the visit no longer carried (not made by the server, but
// possible after a repair by hand) is kept as resolved rather than lost.
// The review queue reads flagged visits through a partial index whose
// WHERE is the one the server's query writes (verification's openFlagsWhere).
// Down writes the visits' open flags back as open rows.
func init() {
	const openFlags = "flags != '' AND flags != '[]' AND flags != 'null'"
	const validFlags = "CASE WHEN json_valid(visits.flags) THEN visits.flags ELSE '[]' END"
	up := []string{
		`UPDATE visits SET flags = (
			SELECT json_group_array(CASE WHEN r.id IS NULL THEN json(f.value)
				ELSE json_set(json(f.value),
					'$.related', json(CASE WHEN json_valid(r.related) AND r.related != 'null' THEN r.related ELSE '[]' END),
					'$.raised_at', r.raised_at) END)
			FROM json_each(` + validFlags + `) f
			LEFT JOIN visit_flags r ON r.visit = visits.id AND r.status = 'open' AND r.kind = f.value ->> 'kind')
		WHERE id IN (SELECT visit FROM visit_flags WHERE status = 'open')`,
		`UPDATE visit_flags SET status = 'resolved', resolved_at = strftime('%Y-%m-%d %H:%M:%fZ', 'now')
		WHERE status = 'open' AND NOT EXISTS (SELECT 1 FROM visits, json_each(` + validFlags + `) f
			WHERE visits.id = visit_flags.visit AND f.value ->> 'kind' = visit_flags.kind)`,
		`DELETE FROM visit_flags WHERE status = 'open'`,
	}
	down := []string{
		`INSERT INTO visit_flags (id, visit, deputy, kind, reason, related, status, raised_at, resolved_at)
		SELECT substr(lower(hex(randomblob(8))), 1, 15), visits.id, visits.deputy, f.value ->> 'kind',
			COALESCE(f.value ->> 'reason', ''), COALESCE(f.value -> 'related', '[]'), 'open',
			COALESCE(f.value ->> 'raised_at', visits.received_at), ''
		FROM visits, json_each(` + validFlags + `) f
		WHERE json_array_length(` + validFlags + `) > 0
		ON CONFLICT (visit, kind) DO UPDATE SET status = 'open', reason = excluded.reason,
			related = excluded.related, raised_at = excluded.raised_at, resolved_at = ''`,
	}
	help := func(app core.App, status string) error {
		c, err := app.FindCollectionByNameOrId("visit_flags")
		if err != nil {
			return err
		}
		if err := withHelp(c, map[string]string{"status": status}); err != nil {
			return err
		}
		return app.Save(c)
	}
	index := func(app core.App, add bool) error {
		c, err := app.FindCollectionByNameOrId("visits")
		if err != nil {
			return err
		}
		if add {
			c.AddIndex("idx_visits_flagged", false, "visited_at", openFlags)
		} else {
			c.RemoveIndex("idx_visits_flagged")
		}
		return app.Save(c)
	}
	run := func(app core.App, statements []string) error {
		for _, q := range statements {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}
		return nil
	}
	m.Register(func(app core.App) error {
		if err := run(app, up); err != nil {
			return err
		}
		if err := help(app, "resolved：已不再成立的提示（未处理的提示记在走访的 flags 上）"); err != nil {
			return err
		}
		return index(app, true)
	}, func(app core.App) error {
		if err := index(app, false); err != nil {
			return err
		}
		if err := help(app, "open 待审核，resolved 已不再成立或已审核"); err != nil {
			return err
		}
		return run(app, down)
	})
}
