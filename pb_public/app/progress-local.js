// This year's progress toward 12 distinct households, computed from the
// phone's own records so it works offline (the server's progress API is the
// authority for the presidium view and the year close).
import { FAILED } from './store.js';
import { parseTime } from './ui.js';

export const YEAR_GOAL = 12;

export function localProgress(visits, now = new Date()) {
  const year = now.getFullYear();
  const month = now.getMonth(); // 0-based
  const households = new Set();
  let thisMonth = 0;
  const monthsVisited = new Set();
  for (const v of visits ?? []) {
    if (v.state === FAILED) continue;
    const d = parseTime(v.data?.visited_at);
    if (d.getFullYear() !== year) continue;
    if (v.data?.household) households.add(v.data.household);
    monthsVisited.add(d.getMonth());
    if (d.getMonth() === month) thisMonth++;
  }
  // Pace: one household a month keeps a deputy on track for 12 a year.
  const expected = Math.min(YEAR_GOAL, month + 1);
  return { year, count: households.size, expected, behind: Math.max(0, expected - households.size), thisMonth, monthsVisited: monthsVisited.size };
}
