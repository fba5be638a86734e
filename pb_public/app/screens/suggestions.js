// 群众建议: the residents' suggestions addressed to this deputy (presidium
// members may also see the whole township's), with the clock of
// 「24小时内响应、5个工作日内反馈」 running from the server's ack_due and
// feedback_due, and the reply flow (响应 → 答复 or 转交 → 办结) through the
// records API. Online only: the server checks every step and its refusal is
// shown as it words it. The last list read is kept for offline viewing.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { formatTime, errorText } from '../ui.js';
import { SUGGESTION_STATUS, SUGGESTION_SOURCES } from '../lists.js';

const HOUR = 3_600_000;

// clock tells how long is left until the deadline that matters now: the
// 24-hour response while the suggestion waits, then the 5-working-day
// feedback. Nothing runs once it is answered, transferred or closed.
export function clock(s, now) {
  let due, what, flagged;
  if (s.status === 'received') {
    [due, what, flagged] = [s.ack_due, '响应', s.ack_overdue];
    // Past the feedback deadline too: that is the one to say.
    if (s.feedback_due && new Date(s.feedback_due) < now) [due, what, flagged] = [s.feedback_due, '反馈', true];
  } else if (s.status === 'acknowledged') {
    [due, what, flagged] = [s.feedback_due, '反馈', s.feedback_overdue];
  } else {
    return null;
  }
  if (!due) return null;
  const left = new Date(due).getTime() - now.getTime();
  if (left <= 0 || flagged) return { overdue: true, text: `${what}已超期${left < 0 ? ' ' + duration(-left) : ''}` };
  return { overdue: false, soon: left < 6 * HOUR, text: `还剩 ${duration(left)}${what}` };
}

function duration(ms) {
  if (ms < HOUR) return `${Math.max(1, Math.floor(ms / 60_000))} 分钟`;
  if (ms < 48 * HOUR) return `${Math.floor(ms / HOUR)} 小时`;
  const days = Math.floor(ms / (24 * HOUR));
  const hours = Math.floor((ms % (24 * HOUR)) / HOUR);
  return `${days} 天${hours ? ` ${hours} 小时` : ''}`;
}

export function Suggestions({ user, role, online }) {
  // The office answers for the whole township; a deputy starts with their own.
  const [scope, setScope] = useState(role === 'staff' ? 'all' : 'mine');
  const [show, setShow] = useState('open');
  const [list, setList] = useState(null);
  const [now, setNow] = useState(new Date());
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const parts = [];
    if (scope === 'mine') parts.push(pb.filter('deputy = {:me}', { me: user.id }));
    if (show === 'open') parts.push('status != "closed"');
    cachedList(`suggestions-${scope}-${show}`, () => pb.collection('suggestions').getFullList({
      filter: parts.join(' && '), sort: 'feedback_due,received_at',
    })).then((items) => { setList(items); setNow(new Date()); });
  }, [online, scope, show, reload]);

  // The clock moves on while the screen is open; new suggestions come in
  // by the realtime API.
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    if (!online) return undefined;
    let unsubscribe = null;
    let gone = false;
    pb.collection('suggestions').subscribe('*', () => setReload((n) => n + 1))
      .then((u) => { if (gone) u(); else unsubscribe = u; }, () => {});
    return () => { gone = true; unsubscribe?.(); };
  }, [online]);

  const overdue = (list ?? []).filter((s) => clock(s, now)?.overdue).length;
  return html`
    <h2>群众建议${list ? `（${list.length}）` : ''}</h2>
    <p class="muted">群众通过代表码、热线、联络站提的建议：24小时内响应，5个工作日内反馈。</p>
    ${!online && html`<p class="notice bad" role="status">需要联网：现在没有网络，只能查看上次联网时的建议，不能响应或答复。</p>`}
    <div class="row">
      ${user.presidium && html`<div>
        <label for="sugg-scope">范围</label>
        <select id="sugg-scope" value=${scope} onChange=${(e) => setScope(e.currentTarget.value)}>
          <option value="mine">交给我的</option>
          <option value="all">全镇（主席团督办）</option>
        </select></div>`}
      <div>
        <label for="sugg-show">显示</label>
        <select id="sugg-show" value=${show} onChange=${(e) => setShow(e.currentTarget.value)}>
          <option value="open">未办结的</option>
          <option value="all">全部（含已办结）</option>
        </select></div>
    </div>
    ${overdue > 0 && html`<p class="notice bad" role="status">有 ${overdue} 条已超期，请尽快办理。</p>`}
    ${list === null ? html`<p class="muted">正在读取…</p>`
      : !list.length ? html`<p>${show === 'open' ? '没有待办的群众建议。' : '还没有群众建议。'}</p>`
      : html`<ul class="plain" aria-label="群众建议列表">
          ${list.map((s) => html`<li key=${s.id}><${SuggestionCard} s=${s} now=${now} online=${online}
            onSaved=${(updated) => setList((l) => l.map((x) => (x.id === updated.id ? updated : x)))} /></li>`)}
        </ul>`}`;
}

function SuggestionCard({ s, now, online, onSaved }) {
  const [reply, setReply] = useState('');
  const [note, setNote] = useState(null);
  const [busy, setBusy] = useState(false);
  const c = clock(s, now);
  const id = (k) => `${k}-${s.id}`;

  async function send(body, done) {
    setBusy(true);
    setNote(null);
    try {
      const updated = await pb.collection('suggestions').update(s.id, body);
      setReply('');
      setNote({ ok: true, text: done });
      onSaved(updated);
    } catch (err) {
      // PocketBase words rule refusals in English; the field errors are ours.
      const why = err?.status === 404 ? '这条建议已不在您的名下（可能已改派或被工作人员标为无效）'
        : err?.status === 403 ? '没有权限修改这条建议' : errorText(err);
      setNote({ ok: false, text: `未保存：${why}` });
    } finally {
      setBusy(false);
    }
  }

  const name = s.resident_name || s.resident_name_masked;
  const phone = s.resident_phone || s.resident_phone_masked;
  const canReply = ['received', 'acknowledged', 'transferred'].includes(s.status);
  return html`<article class=${'card suggestion' + (c?.overdue ? ' overdue' : '')} data-id=${s.id} data-status=${s.status}>
    <p><strong>${s.category}</strong> <span class="badge s-synced">${SUGGESTION_STATUS[s.status] ?? s.status}</span>
      ${c && html` <span class=${'badge ' + (c.overdue ? 's-failed' : c.soon ? 's-pending' : 's-sending')}>${c.text}</span>`}
      ${s.escalated_at && html` <span class="badge s-failed">已报主席团督办</span>`}</p>
    <p class="content">${s.content}</p>
    <p class="muted">${SUGGESTION_SOURCES[s.source] ?? s.source} · 收到 ${formatTime(s.received_at)}
      ${name ? ` · ${name}` : ''}${!s.resident_phone && phone ? ` · ${phone}` : ''}</p>
    ${s.resident_phone && html`<p><a class="button tel" href=${'tel:' + s.resident_phone}>拨打 ${phone}</a></p>`}
    ${['received', 'acknowledged'].includes(s.status) && html`<p class="muted">响应期限 ${formatTime(s.ack_due)} · 反馈期限 ${formatTime(s.feedback_due)}</p>`}
    ${s.reply && html`<p>答复：${s.reply}</p>`}
    ${note && html`<p class=${'notice ' + (note.ok ? 'ok' : 'bad')} role=${note.ok ? 'status' : 'alert'}>${note.text}</p>`}
    ${online && s.status !== 'closed' && html`<div class="suggestion-actions">
      ${s.status === 'received' && html`<button type="button" disabled=${busy} onClick=${() => send({ status: 'acknowledged' }, '已响应：群众在查询页能看到“正在办理”。')}>响应：告诉群众正在办理</button>`}
      ${canReply && html`
        <label for=${id('reply')}>答复内容</label>
        <textarea id=${id('reply')} value=${reply} onInput=${(e) => setReply(e.currentTarget.value)}></textarea>
        <div class="row">
          <button type="button" disabled=${busy} onClick=${() => send({ status: 'answered', reply: reply.trim() }, '已答复群众。')}>答复群众</button>
          ${s.status !== 'transferred' && html`<button type="button" disabled=${busy} onClick=${() => send({ status: 'transferred', reply: reply.trim() }, '已转交镇党委政府办理，列入问题清单。')}>转交镇党委政府</button>`}
        </div>`}
      ${['answered', 'transferred'].includes(s.status) && html`<button type="button" disabled=${busy} onClick=${() => send({ status: 'closed' }, '已办结。')}>办结</button>`}
    </div>`}
  </article>`;
}
