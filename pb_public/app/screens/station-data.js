// The liaison station's data for the duty, reception and roster screens:
// one request (GET /api/station/my) kept on the phone for offline use, and
// today's date in China time (the server's calendar).
import { pb } from '../api.js';
import { getMeta, setMeta } from '../store.js';

const MY_KEY = 'station-my';

// chinaToday is today's date in China, "2026-04-14".
export function chinaToday(now = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

// loadMy reads the deputy's station data: the server's when online, the
// last kept copy otherwise (null when there is none yet).
export async function loadMy() {
  if (navigator.onLine) {
    try {
      const my = await pb.send('/api/station/my', {});
      await setMeta(MY_KEY, my);
      return my;
    } catch { /* keep the last copy */ }
  }
  return (await getMeta(MY_KEY)) ?? null;
}

// stationName names a station of my.
export function stationOf(my, id) {
  return my?.stations?.find((s) => s.id === id) ?? null;
}
