// In-app notices (站内通知): a deputy's come with the sync and live in the
// local store, so they are there after days offline; marking one read is a
// change the outbox pushes. Staff read theirs online. useUnread feeds the
// badge in the header.
import { useState, useEffect } from '../vendor/preact-htm.js';
import { pb } from './api.js';
import { listRecords, saveLocal, onStoreChange } from './store.js';
import { requestSync } from './sync.js';
import { STAFF } from './nav.js';

export async function deputyNotices() {
  const all = await listRecords('notices');
  return all.map((r) => ({ id: r.id, ...r.data })).sort((a, b) => String(b.created).localeCompare(String(a.created)));
}

export async function staffNotices() {
  const res = await pb.collection('notices').getList(1, 50, { sort: '-created' });
  return res.items;
}

// markRead marks a notice read: for a deputy through the local store and
// the outbox (works offline), for staff at once on the server.
export async function markRead(role, notice) {
  if (notice.read_at) return;
  const at = new Date().toISOString();
  if (role === STAFF) {
    await pb.send(`/api/simeng/notices/${notice.id}/read`, { method: 'POST' });
    return;
  }
  const rec = (await listRecords('notices')).find((r) => r.id === notice.id);
  if (!rec) return;
  await saveLocal({ collection: 'notices', id: notice.id, data: { ...rec.data, read_at: at } });
  requestSync();
}

// useUnread is how many notices are unread: deputies' from the local store
// (updated as pulls and marks land), staff's from the server on each route.
export function useUnread(role, route) {
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    const load = () => {
      const p = role === STAFF
        ? pb.collection('notices').getList(1, 1, { filter: 'read_at = ""', fields: 'id' }).then((r) => r.totalItems)
        : deputyNotices().then((list) => list.filter((x) => !x.read_at).length);
      p.then((v) => { if (live) setN(v); }, () => {});
    };
    load();
    const off = role === STAFF ? () => {} : onStoreChange(load);
    return () => { live = false; off(); };
  }, [role, route]);
  return n;
}
