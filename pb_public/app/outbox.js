// The outbox: pushes local records to /api/sync/push, uploads their photos,
// then pulls the server's changes (docs/SYNC.md). It runs in windows and in
// the service worker (Background Sync); a Web Lock makes sure only one of
// them sends at a time, so two tabs never double-send (and if they did, the
// client-made ids make the server answer "already_have").
import {
  PENDING, SENDING, UPLOADING, FAILED, SYNCED, outboxRecords, updateRecord, markSynced, getMeta, setMeta,
  getPhotoBlob, deleteRecord, listRecords, putRecord, getRecord, recordKey, deviceId, notifyChange,
} from './store.js';

export const SCHEMA_VERSION = 1;
// The synced collections whose records declare photos (docs/SYNC.md).
const PHOTO_COLLECTIONS = new Set(['visits', 'inspections', 'hazards', 'station_receptions']);
export const MAX_BATCH = 100;
const LOCK = 'simeng-outbox';

// Chinese reasons for the outcomes the phone cannot fix by retrying, used
// when the server did not give one.
const OUTCOME_REASONS = {
  conflict: '服务器上的记录已被修改，本机副本已保留，请联系联络员核对',
  rejected: '服务器拒收了这条记录',
  forbidden: '这条记录属于其他代表，无权修改',
  gone: '这条记录已在服务器上删除',
};

export class AuthError extends Error {}
class TransientError extends Error {}

async function request(method, path, body, headers = {}) {
  const token = await getMeta('token');
  if (!token) throw new AuthError('未登录');
  let res;
  try {
    res = await fetch(path, { method, body, headers: { Authorization: token, ...headers }, cache: 'no-store' });
  } catch (err) {
    throw new TransientError('网络不可用');
  }
  if (res.status === 401 || (res.status === 403 && !path.startsWith('/api/sync/photos/'))) {
    // Token expired, or the account was disabled: nothing is wrong with
    // the records, so they stay queued until the deputy logs in again.
    await setMeta('authExpired', true);
    throw new AuthError(res.status === 401 ? '登录已过期，请联网后重新登录' : '账号已停用，请联系镇人大联络员');
  }
  if (res.status >= 500 || res.status === 429 || res.status === 404) {
    // 404: the sync routes are missing (server being updated): retry later.
    throw new TransientError(`服务器暂时不可用（${res.status}）`);
  }
  let json = null;
  try { json = await res.json(); } catch { /* empty body */ }
  return { status: res.status, ok: res.ok, json };
}

// flush sends what is pending, then pulls. Resolves to {ok, sent, error}.
// Only one flush runs per origin at a time; a second caller returns at once.
// opts.batch lowers the records per push (the benchmark's one-by-one
// baseline); opts.photoConcurrency sets parallel photo uploads.
export async function flush(opts = {}) {
  const go = () => run(opts);
  if (globalThis.navigator?.locks) {
    return navigator.locks.request(LOCK, { ifAvailable: true }, (lock) => (lock ? go() : { ok: true, busy: true }));
  }
  return withLease(go);
}

// recoverInterrupted puts records left "sending" by a flush that never
// finished (page closed or reloaded mid-send) back to 待同步. Under the
// lock, so it never touches a send in progress in another tab.
export async function recoverInterrupted() {
  const go = async () => {
    for (const r of await outboxRecords([SENDING])) {
      await updateRecord(r.key, (cur) => (cur.state === SENDING ? { ...cur, state: PENDING } : null));
    }
    notifyChange();
  };
  if (globalThis.navigator?.locks) return navigator.locks.request(LOCK, { ifAvailable: true }, (lock) => lock && go());
  return withLease(go);
}

// withLease is the fallback where Web Locks are missing: a short lease in
// localStorage, renewed while the flush runs.
async function withLease(fn) {
  const ls = globalThis.localStorage;
  if (!ls) return fn();
  const me = Math.random().toString(36).slice(2);
  const held = JSON.parse(ls.getItem(LOCK) || 'null');
  if (held && held.until > Date.now()) return { ok: true, busy: true };
  const claim = () => ls.setItem(LOCK, JSON.stringify({ me, until: Date.now() + 60000 }));
  claim();
  if (JSON.parse(ls.getItem(LOCK)).me !== me) return { ok: true, busy: true };
  const renew = setInterval(claim, 20000); // a sync on a slow link takes minutes
  try { return await fn(); } finally { clearInterval(renew); ls.removeItem(LOCK); }
}

async function run(opts) {
  let sent = 0;
  if (globalThis.navigator && navigator.onLine === false) return { ok: false, sent, error: '没有网络' };
  try {
    sent += await pushAll(Math.min(MAX_BATCH, opts.batch ?? MAX_BATCH));
    await uploadPhotos(opts.photoConcurrency ?? PHOTO_CONCURRENCY);
    await pull();
    await setMeta('lastSync', new Date().toISOString());
    return { ok: true, sent };
  } catch (err) {
    return { ok: false, sent, auth: err instanceof AuthError, error: err.message };
  } finally {
    notifyChange();
  }
}

async function pushAll(batchSize) {
  let sent = 0;
  for (;;) {
    const batch = (await outboxRecords([PENDING, SENDING])).slice(0, batchSize);
    if (!batch.length) return sent;
    // Marked "sending" before the request: a crash mid-send leaves it
    // re-sendable, and retrying is always safe (same ids).
    for (const r of batch) await updateRecord(r.key, (cur) => ({ ...cur, state: SENDING }));
    notifyChange();
    const body = {
      device: await deviceId(),
      // This phone's clock: a clock that runs ahead has its device times
      // judged against it, not refused as "in the future" (docs/SYNC.md).
      sent_at: new Date().toISOString(),
      records: batch.map((r) => ({
        collection: r.collection, id: r.id, base_version: r.base_version ?? 0, schema_version: SCHEMA_VERSION,
        data: PHOTO_COLLECTIONS.has(r.collection)
          ? { ...r.data, photos: (r.photos ?? []).map(({ key, sha256, size }) => ({ key, sha256, size })) }
          : r.data,
      })),
    };
    let res;
    try {
      res = await request('POST', '/api/sync/push', JSON.stringify(body), { 'Content-Type': 'application/json' });
    } catch (err) {
      // Not sent (or no answer): back to 待同步; a resend is safe either way.
      for (const r of batch) await updateRecord(r.key, (cur) => (cur.state === SENDING ? { ...cur, state: PENDING } : null));
      throw err;
    }
    if (!res.ok) {
      // The whole push was refused (malformed): retrying cannot help, so
      // every record of it is kept and shown with the server's message.
      const why = res.json?.message || `服务器拒收（${res.status}）`;
      for (const r of batch) await fail(r.key, 'rejected', why, res.json?.data);
      continue;
    }
    const results = res.json?.results ?? [];
    const unanswered = [];
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i];
      const out = results.find((x) => x.id === r.id && x.collection === r.collection) ?? results[i];
      if (out) await applyResult(r, out);
      else unanswered.push(r);
    }
    if (unanswered.length) {
      // Never loop on an answer that leaves records out: they wait for the
      // next flush (with backoff).
      for (const r of unanswered) await updateRecord(r.key, (cur) => (cur.state === SENDING ? { ...cur, state: PENDING } : null));
      throw new TransientError('服务器答复不完整');
    }
    sent += batch.length;
  }
}

async function applyResult(sentRec, out) {
  const key = sentRec.key;
  switch (out.outcome) {
    case 'created':
    case 'already_have':
    case 'updated': {
      const cur = await getRecord(key);
      if (!cur || cur.rev !== sentRec.rev) return; // edited meanwhile: stays pending
      const patch = { version: out.version, base_version: out.version, server_photos: out.photos ?? null };
      if (needsPhotos(cur, out)) {
        await putRecord({ ...cur, ...patch, state: UPLOADING });
      } else {
        await markSynced(key, patch);
      }
      return;
    }
    case 'merged':
      await mergeHousehold(sentRec, out.merged_into);
      return;
    default:
      await fail(key, out.outcome, out.reason, out.errors);
  }
}

function needsPhotos(rec, out) {
  if (!rec.photos?.length) return false;
  if (out.complete === true) return false;
  const present = new Set(out.photos?.present ?? []);
  return rec.photos.some((p) => !present.has(p.key));
}

async function fail(key, outcome, reason, errors) {
  await updateRecord(key, (cur) => ({
    ...cur, state: FAILED, outcome, reason: reason || OUTCOME_REASONS[outcome] || '服务器拒收', errors: errors ?? null,
  }));
}

// A household created offline that the server already knew under another
// id: local visits are pointed at the surviving id and the local copy goes.
async function mergeHousehold(sentRec, into) {
  for (const v of await listRecords('visits')) {
    if (v.data?.household === sentRec.id) {
      await putRecord({ ...v, data: { ...v.data, household: into } });
    }
  }
  const survivor = await getRecord(recordKey('households', into));
  if (!survivor) {
    await putRecord({ ...sentRec, key: recordKey('households', into), id: into, state: SYNCED, merged_from: sentRec.id });
  }
  await deleteRecord(sentRec.key);
}

// Photos go up a few at a time: on a slow link with a long round trip,
// parallel uploads keep the line busy instead of waiting on each reply.
const PHOTO_CONCURRENCY = 3;
const MAX_PHOTO_RETRIES = 5;

async function uploadPhotos(concurrency) {
  const queue = await outboxRecords([UPLOADING]);
  const worker = async () => {
    for (let rec = queue.shift(); rec; rec = queue.shift()) await uploadRecordPhotos(rec);
  };
  // Every worker finishes before the lock is released, even when one failed.
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, concurrency) }, worker));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function uploadRecordPhotos(rec) {
  const present = new Set(rec.server_photos?.present ?? []);
  let last = null;
  for (const p of rec.photos) {
    if (present.has(p.key)) continue;
    const blob = await getPhotoBlob(rec.key, p.key);
    if (!blob) { await fail(rec.key, 'rejected', '本机照片已丢失，请重新拍照后再保存'); return; }
    const res = await request('PUT', `/api/sync/photos/${rec.collection}/${rec.id}/${p.key}`, blob,
      { 'Content-Type': p.type || 'image/jpeg' });
    if (!res.ok) {
      const code = res.json?.data?.photo?.code;
      // A truncated upload: send it again later (backoff), it is not the
      // photo's fault; but bytes that never match their hash would loop
      // for ever, so after a few tries it needs a person.
      if ((code === 'incomplete' || code === 'sha256_mismatch') && (rec.photo_retries ?? 0) < MAX_PHOTO_RETRIES) {
        await updateRecord(rec.key, (cur) => ({ ...cur, photo_retries: (cur.photo_retries ?? 0) + 1 }));
        throw new TransientError(res.json.message);
      }
      await fail(rec.key, 'rejected', res.json?.message ? `照片上传被拒：${res.json.message}` : '照片上传被拒', res.json?.data);
      return;
    }
    last = res.json;
    for (const k of last?.photos?.present ?? []) present.add(k);
  }
  // "Synced" means the server confirmed every photo; only then do the
  // local blobs go.
  const complete = last ? last.complete === true : rec.photos.every((p) => present.has(p.key));
  if (complete) await markSynced(rec.key, { server_photos: last?.photos ?? rec.server_photos });
  else if (last) await updateRecord(rec.key, (cur) => ({ ...cur, server_photos: last.photos }));
  notifyChange();
}

// pull brings the server's changes since the stored cursor: a reinstall or
// a second phone gets the history back. A local record with unsent changes
// is never overwritten.
export async function pull() {
  let since = (await getMeta('cursor')) ?? 0;
  for (let page = 0; page < 1000; page++) {
    const res = await request('GET', `/api/sync/pull?since=${encodeURIComponent(since)}&limit=200`);
    if (!res.ok) throw new TransientError(res.json?.message || '拉取失败');
    for (const c of res.json.changes ?? []) await applyChange(c);
    since = res.json.cursor ?? since;
    await setMeta('cursor', since);
    if (!res.json.more) return;
  }
}

async function applyChange(c) {
  const key = recordKey(c.collection, c.id);
  const local = await getRecord(key);
  if (local && local.state !== SYNCED) return;
  if (c.deleted) { await deleteRecord(key); return; }
  const data = c.data ?? stripMeta(c);
  await putRecord({
    key, collection: c.collection, id: c.id, data, state: SYNCED,
    version: c.version, base_version: c.version, seq: c.seq,
    photos: [], photo_urls: photoURLs(c),
    lseq: local?.lseq ?? 0, rev: local?.rev ?? 0, reason: '',
  });
}

const META_FIELDS = ['collection', 'id', 'version', 'seq', 'deleted', 'photos', 'complete'];
function stripMeta(c) {
  const out = {};
  for (const [k, v] of Object.entries(c)) if (!META_FIELDS.includes(k)) out[k] = v;
  return out;
}

// The server's thumbnails of received photos (protected files: the page
// adds a file token when it shows them).
function photoURLs(c) {
  return (c.photos ?? []).map((p) => p.thumb || p.url).filter(Boolean);
}

// retry puts a record that needs attention back in the queue (after the app
// was updated, or the deputy fixed what the reason said).
export async function retry(key) {
  await updateRecord(key, (cur) => ({ ...cur, state: cur.version && cur.photos?.length ? UPLOADING : PENDING, reason: '', errors: null, photo_retries: 0 }));
  notifyChange();
}
