// 通知: the notices the outbox sent to this account, newest first; unread
// ones stand out, opening one marks it read and follows its link.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { useStoreQuery, formatTime, errorText } from '../ui.js';
import { deputyNotices, staffNotices, markRead } from '../notices.js';
import { STAFF } from '../nav.js';

export function Notices({ role }) {
  const staff = role === STAFF;
  const local = useStoreQuery(() => (staff ? Promise.resolve(null) : deputyNotices()), [staff]);
  const [remote, setRemote] = useState(null);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (staff) staffNotices().then(setRemote, (e) => setError(errorText(e)));
  }, [staff, tick]);
  const list = staff ? remote : local;

  const open = async (n) => {
    try {
      await markRead(role, n);
      if (staff) setTick((x) => x + 1);
    } catch (e) {
      setError(errorText(e));
      return;
    }
    if (n.link) location.hash = n.link;
  };

  return html`
    <h2>通知</h2>
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    ${list === null && !error && html`<p class="muted">正在读取…</p>`}
    ${list && list.length === 0 && html`<p class="muted">还没有通知。</p>`}
    <ul class="cards" id="notices">
      ${(list ?? []).map((n) => html`<li class=${'card' + (n.read_at ? ' soft' : '')} data-id=${n.id}>
        <p><strong>${n.title}</strong> ${!n.read_at && html`<span class="badge s-pending">未读</span>`}</p>
        <p>${n.body}</p>
        <p class="muted">${formatTime(n.created)}</p>
        <button type="button" onClick=${() => open(n)}>${n.link ? '查看' : n.read_at ? '已读' : '知道了'}</button>
      </li>`)}
    </ul>`;
}
