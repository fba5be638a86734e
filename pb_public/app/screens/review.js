// 走访核查 (presidium and office): visits the server flagged as it received
// them, each with its plain reasons; a reviewer accepts one with a note or
// marks it not counted with a reason the deputy sees and can answer.
// Nothing is deleted; the presidium cannot review their own visits (the
// server refuses, and the screen says so).
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { formatTime, errorText } from '../ui.js';

const DECISIONS = { accepted: '已认可', not_counted: '不计入', answer: '代表答复', reopened: '重新审核' };
const STATUSES = [['pending', '待审核'], ['decided', '已审核'], ['all', '全部']];

export function Review({ user, online }) {
  const [status, setStatus] = useState('pending');
  const [state, setState] = useState({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!online) { setState({ error: '需要联网才能审核。' }); return; }
    // A tab changed while a decision is saved asks twice; only the last
    // answer is shown, whichever arrives first.
    let current = true;
    pb.send('/api/verification/review', { query: { status } })
      .then((res) => current && setState({ items: res.items }), (err) => current && setState({ error: errorText(err) }));
    return () => { current = false; };
  }, [status, round, online]);

  return html`
    <h2>走访核查</h2>
    <p class="muted">系统自动提示可能有问题的走访，请核实后认可或不计入；不会删除任何记录。</p>
    <div class="sheet-actions" role="group" aria-label="筛选">
      ${STATUSES.map(([k, label]) => html`<button type="button" aria-pressed=${status === k} onClick=${() => setStatus(k)}>${label}</button>`)}
    </div>
    ${state.loading && html`<p>正在读取…</p>`}
    ${state.error && html`<p class="notice bad" role="alert">${state.error}</p>`}
    ${state.items && !state.items.length && html`<p>没有需要核查的走访。</p>`}
    <ul class="plain" aria-label="核查列表">
      ${(state.items ?? []).map((it) => html`<li key=${it.visit}><${Item} it=${it} user=${user} onDone=${() => setRound(round + 1)} /></li>`)}
    </ul>`;
}

function Item({ it, user, onDone }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const own = it.deputy === user.id;
  async function decide(decision) {
    setError('');
    try {
      await pb.send(`/api/verification/visits/${it.visit}/review`, { method: 'POST', body: { decision, note } });
      onDone();
    } catch (err) { setError(errorText(err)); }
  }
  const open = it.flags.filter((f) => f.status === 'open');
  return html`<article class="card" data-visit=${it.visit}>
    <p><strong>${it.deputy_name}</strong> 走访 ${it.village} ${it.household} 户</p>
    <p class="muted">走访时间 ${formatTime(it.visited_at)} · 收到 ${formatTime(it.received_at)}${it.confirmed_by ? ' · ' + it.confirmed_by + ' 已签名确认' : ''}</p>
    <ul class="flags">${open.map((f) => html`<li key=${f.kind}><strong>${f.label}</strong>：${f.reason}</li>`)}</ul>
    ${it.history.map((h, i) => html`<p key=${i}>${DECISIONS[h.decision] ?? h.decision}（${h.by}，${formatTime(h.at)}）：${h.note}</p>`)}
    ${own ? html`<p class="muted">这是您本人的走访，请由其他主席团成员审核。</p>` : html`
      <label for=${'note-' + it.visit}>说明或理由（代表能看到）</label>
      <textarea id=${'note-' + it.visit} maxlength="500" value=${note} onInput=${(e) => setNote(e.currentTarget.value)}></textarea>
      ${error && html`<p class="reason" role="alert">${error}</p>`}
      <div class="sheet-actions">
        <button type="button" disabled=${!note.trim()} onClick=${() => decide('accepted')}>认可</button>
        <button type="button" disabled=${!note.trim()} onClick=${() => decide('not_counted')}>不计入</button>
      </div>`}
  </article>`;
}
