// When the outbox runs, in the window: on app open, when the phone comes
// back online, when the app becomes visible again, after every save, when
// the service worker's Background Sync fires, and by retry with backoff.
import { flush, recoverInterrupted } from './outbox.js';
import { getMeta } from './store.js';

const MIN_DELAY = 5_000;
const MAX_DELAY = 5 * 60_000;
let failures = 0;
let timer = null;
let status = { running: false, last: null };
const watchers = new Set();

export function onSyncStatus(fn) { watchers.add(fn); fn(status); return () => watchers.delete(fn); }
function setStatus(s) { status = { ...status, ...s }; watchers.forEach((fn) => fn(status)); }

export async function syncNow() {
  if (!(await getMeta('token'))) return;
  clearTimeout(timer);
  setStatus({ running: true });
  const res = await flush();
  setStatus({ running: false, last: res });
  if (res.busy) {
    // Another tab, the service worker or this tab's own earlier round is
    // sending; look again soon for anything saved after it started (a
    // hazard just moved to 整改中 on the server waits for this round's
    // pull). Looking is a test of a local lock, no request.
    timer = setTimeout(syncNow, 3_000);
  } else if (res.ok || res.auth) {
    failures = 0;
  } else {
    // Exponential backoff with jitter, so a village of phones coming back
    // online at once does not hammer the server in step.
    failures++;
    const delay = Math.min(MAX_DELAY, MIN_DELAY * 2 ** (failures - 1)) * (0.5 + Math.random());
    timer = setTimeout(syncNow, delay);
  }
  return res;
}

// backgroundSync says what the browser did with the last registration:
// 'registered', 'unsupported' or the error (shown nowhere; tests read it).
export let backgroundSync = 'not yet';

// requestSync asks for a flush after a save: now if online, and through
// Background Sync where the browser has it (it fires even if the app is
// closed when the signal returns).
export async function requestSync() {
  try {
    const reg = navigator.serviceWorker && (await navigator.serviceWorker.getRegistration());
    if (reg?.sync) {
      await reg.sync.register('outbox');
      backgroundSync = 'registered';
    } else {
      backgroundSync = 'unsupported';
    }
  } catch (err) {
    // Background Sync unavailable or denied: the other triggers cover it.
    backgroundSync = String(err?.name || err);
  }
  if (navigator.onLine) syncNow();
}

let started = false;

export async function startAutoSync() {
  await recoverInterrupted();
  syncNow();
  if (started) return; // a second login in the same page: the listeners exist
  started = true;
  addEventListener('online', () => { failures = 0; syncNow(); });
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') syncNow(); });
  navigator.serviceWorker?.addEventListener('message', (e) => { if (e.data === 'flush') syncNow(); });
}
