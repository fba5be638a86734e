// The ≥12 households rule as package visitpace counts it (China time,
// distinct households, late visits and those the counting setting leaves
// out apart, the pace over ended months only),
// so the home and presidium screens never disagree.
import { FAILED } from './store.js';
import { parseTime } from './ui.js';

// PROGRESS_API answers the server's standing (GET ?year=&deputy=).
export const PROGRESS_API = '/api/visits/progress';

// chinaYearMonth is the year and the month (0-based) of t in China.
export function chinaYearMonth(t) {
  const d = new Date(t.getTime() + 8 * 3600_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() };
}

// completeMonths is how many months of year have ended at now.
export function completeMonths(year, now) {
  const n = chinaYearMonth(now);
  return year < n.year ? 12 : year > n.year ? 0 : n.month;
}

// expectedBy is the households due by the end of month m (0..12), rounded up.
export function expectedBy(required, m) {
  return Math.floor((required * Math.max(0, Math.min(12, m)) + 11) / 12);
}

// countsUnder mirrors plausibility.CountMode.Counts: whether the
// township's counting setting (the progress answer's count_mode) keeps a
// visit: all; not_excluded (default): all but those the presidium marked
// not counted; confirmed: only those the household signed (a visit still
// on the phone with its confirmation will be) or confirmed to a callback,
// none denied, none not counted.
export function countsUnder(mode, data) {
  if (mode === 'all') return true;
  if (data?.review === 'not_counted') return false;
  if (mode !== 'confirmed') return true;
  return (!!data?.signed || !!data?.confirmation?.name || data?.callback === 'confirmed') && data?.callback !== 'denied';
}

// count tallies visits [{household, at: Date, late, excluded}] of year.
export function count(year, visits) {
  const households = new Set();
  const monthVisits = new Array(12).fill(0);
  for (const v of visits) {
    if (v.late || v.excluded || Number.isNaN(v.at.getTime())) continue;
    const { year: y, month } = chinaYearMonth(v.at);
    if (y !== year) continue;
    monthVisits[month]++;
    if (v.household) households.add(v.household);
  }
  return { households: households.size, monthVisits };
}

// localProgress is this year's standing from the phone's own visits (the
// server's, pulled, and those still in the outbox; refused ones do not
// count) against required, the server's number for the year, under the
// township's counting setting mode (countsUnder).
export function localProgress(records, required, now = new Date(), mode = 'not_excluded') {
  const { year, month } = chinaYearMonth(now);
  const visits = (records ?? []).filter((r) => r.state !== FAILED)
    .map((r) => ({ household: r.data?.household, at: parseTime(r.data?.visited_at), late: !!r.data?.late,
      excluded: !countsUnder(mode, r.data) }));
  const t = count(year, visits);
  const expected = expectedBy(required, completeMonths(year, now));
  return { year, required, count: t.households, thisMonth: t.monthVisits[month], expected, behind: Math.max(0, expected - t.households) };
}
