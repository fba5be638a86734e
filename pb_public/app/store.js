// Local store: IndexedDB through idb. Everything a deputy makes is written
// here first; the UI says "saved" only after the transaction commits.
// Works in windows and in the service worker (no DOM use).
import { openDB } from '../vendor/idb/index.js';

const DB_NAME = 'simeng';
const DB_VERSION = 1;

// Record states shown to the deputy (see STATE_LABELS).
export const PENDING = 'pending';     // 待同步: saved here, not sent yet
export const SENDING = 'sending';     // 同步中: sent, reply or photos outstanding
export const UPLOADING = 'uploading'; // 同步中: record accepted, photos still going up
export const SYNCED = 'synced';       // 已同步: server confirmed record and every photo
export const FAILED = 'failed';       // 需处理: the server refused it for good; kept with the reason

export const STATE_LABELS = {
  [PENDING]: '待同步', [SENDING]: '同步中', [UPLOADING]: '同步中', [SYNCED]: '已同步', [FAILED]: '需处理',
};

let dbPromise;
export function db() {
  dbPromise ??= openDB(DB_NAME, DB_VERSION, {
    upgrade(d) {
      // records: {key: "visits/<id>", collection, id, data, state, version, lseq, photos: [{key, sha256, size, type}], ...}
      const records = d.createObjectStore('records', { keyPath: 'key' });
      records.createIndex('collection', 'collection');
      records.createIndex('state', 'state');
      // photos: {key: "visits/<id>/<photoKey>", record: "visits/<id>", blob}
      const photos = d.createObjectStore('photos', { keyPath: 'key' });
      photos.createIndex('record', 'record');
      d.createObjectStore('meta');
    },
  });
  return dbPromise;
}

// newId returns a record id in PocketBase's format: 15 characters [a-z0-9],
// made on the device before anything is stored (docs/SYNC.md).
export function newId() {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(15));
  let s = '';
  for (const b of bytes) s += alphabet[b % 36];
  return s;
}

export const recordKey = (collection, id) => `${collection}/${id}`;

export async function getMeta(k) { return (await db()).get('meta', k); }
export async function setMeta(k, v) { return (await db()).put('meta', v, k); }

// Tabs and the service worker tell each other when the store changed.
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('simeng-store') : null;
const listeners = new Set();
export function onStoreChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }
export function notifyChange() {
  listeners.forEach((fn) => fn());
  channel?.postMessage('changed');
}
if (channel) channel.onmessage = () => listeners.forEach((fn) => fn());

export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// saveLocal stores a new (or edited) record and its photo blobs in one
// transaction and resolves only once it committed.
// after, if set, is the lseq of a record this one must be sent after (a
// hazard after its inspection), whatever the clock says.
export async function saveLocal({ collection, id, data, photos = [], after = 0 }) {
  const key = recordKey(collection, id);
  const described = [];
  for (const p of photos) {
    described.push({ key: p.key, sha256: await sha256Hex(p.blob), size: p.blob.size, type: p.blob.type || 'image/jpeg' });
  }
  const d = await db();
  const tx = d.transaction(['records', 'photos'], 'readwrite');
  const records = tx.objectStore('records');
  const prev = await records.get(key);
  const rec = {
    key, collection, id, data,
    state: PENDING,
    version: prev?.version ?? 0,
    base_version: prev?.version ?? 0,
    rev: (prev?.rev ?? 0) + 1,
    lseq: Math.max(Date.now() * 1000 + Math.floor(Math.random() * 1000), after + 1),
    created_local: prev?.created_local ?? new Date().toISOString(),
    photos: described,
    reason: '',
  };
  await records.put(rec);
  for (const p of photos) {
    await tx.objectStore('photos').put({ key: `${key}/${p.key}`, record: key, blob: p.blob });
  }
  await tx.done;
  notifyChange();
  return rec;
}

export async function getRecord(key) { return (await db()).get('records', key); }
export async function putRecord(rec) { await (await db()).put('records', rec); }

export async function listRecords(collection) {
  return (await db()).getAllFromIndex('records', 'collection', collection);
}

// outboxRecords lists what still has to reach the server, oldest first, so a
// household goes before the visits that use it.
export async function outboxRecords(states) {
  const d = await db();
  const all = [];
  for (const s of states) all.push(...(await d.getAllFromIndex('records', 'state', s)));
  return all.sort((a, b) => a.lseq - b.lseq);
}

// updateRecord applies fn to the stored record in its own transaction; fn
// returns the new record, or null to leave it.
export async function updateRecord(key, fn) {
  const d = await db();
  const tx = d.transaction('records', 'readwrite');
  const cur = await tx.store.get(key);
  const next = cur ? fn(cur) : null;
  if (next) await tx.store.put(next);
  await tx.done;
  return next;
}

export async function getPhotoBlob(recordKeyValue, photoKey) {
  return (await (await db()).get('photos', `${recordKeyValue}/${photoKey}`))?.blob;
}

export async function photoBlobs(recordKeyValue) {
  return (await db()).getAllFromIndex('photos', 'record', recordKeyValue);
}

// SCRUB_WHEN_SYNCED are data keys the phone keeps only until the server
// has the record: a resident's name and phone given at the liaison station
// live on the server's suggestion, sealed, not on the phone.
const SCRUB_WHEN_SYNCED = { station_receptions: ['resident_name', 'resident_phone'] };

// markSynced sets the record synced and deletes its local blobs together:
// blobs go only once the server confirmed every photo.
export async function markSynced(key, patch) {
  const d = await db();
  const tx = d.transaction(['records', 'photos'], 'readwrite');
  const rec = await tx.objectStore('records').get(key);
  if (rec) {
    const data = { ...rec.data };
    for (const k of SCRUB_WHEN_SYNCED[rec.collection] ?? []) delete data[k];
    await tx.objectStore('records').put({ ...rec, ...patch, data, state: SYNCED, reason: '', errors: null });
    const photoKeys = await tx.objectStore('photos').index('record').getAllKeys(key);
    for (const pk of photoKeys) await tx.objectStore('photos').delete(pk);
  }
  await tx.done;
}

export async function deleteRecord(key) {
  const d = await db();
  const tx = d.transaction(['records', 'photos'], 'readwrite');
  await tx.objectStore('records').delete(key);
  const photoKeys = await tx.objectStore('photos').index('record').getAllKeys(key);
  for (const pk of photoKeys) await tx.objectStore('photos').delete(pk);
  await tx.done;
}

// clearAll forgets everything of the signed-in deputy (logout).
export async function clearAll() {
  const d = await db();
  const tx = d.transaction(['records', 'photos', 'meta'], 'readwrite');
  await Promise.all([tx.objectStore('records').clear(), tx.objectStore('photos').clear(), tx.objectStore('meta').clear()]);
  await tx.done;
  notifyChange();
}

export async function deviceId() {
  let id = await getMeta('device');
  if (!id) { id = newId(); await setMeta('device', id); }
  return id;
}
