// The ≥12 households rule as package visitpace counts it (China time,
// distinct households, late visits apart, the pace over ended months only),
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

// count tallies visits [{household, at: Date, late}] of year.
export function count(year, visits) {
  const households = new Set();
  const monthVisits = new Array(12).fill(0);
  for (const v of visits) {
    if (v.late || Number.isNaN(v.at.getTime())) continue;
    const { year: y, month } = chinaYearMonth(v.at);
    if (y !== year) continue;
    monthVisits[month]++;
    if (v.household) households.add(v.household);
  }
  return { households: households.size, monthVisits };
}

// localProgress is this year's standing from the phone's own visits (the
// server's, pulled, and those still in the outbox; refused ones do not
// count) against required, the server's number for the year.
export function localProgress(records, required, now = new Date()) {
  const { year, month } = chinaYearMonth(now);
  const visits = (records ?? []).filter((r) => r.state !== FAILED)
    .map((r) => ({ household: r.data?.household, at: parseTime(r.data?.visited_at), late: !!r.data?.late }));
  const t = count(year, visits);
  const expected = expectedBy(required, completeMonths(year, now));
  return { year, required, count: t.households, thisMonth: t.monthVisits[month], expected, behind: Math.max(0, expected - t.households) };
}
