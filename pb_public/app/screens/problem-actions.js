// 急难愁盼办理 (presidium, staff; a handling unit sees what was forwarded
// to it): the problems list with each one's state, deadline and overdue
// flag, its steps, and the next step the rules allow — 转办 to a unit,
// 登记答复, 办结, 重新办理 with a reason — through POST /api/problems/{id}/…
// Online only for the steps: the server checks each one and its refusal is
// shown in its words. The last list read is kept for offline viewing.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { formatTime, errorText } from '../ui.js';
import { ESCALATION_STAGES, PROBLEM_STATUS } from '../lists.js';
import { ProblemBadge, Timeline, dueText } from './problem-parts.js';

const VIEWS = [
  ['todo', '未办结'],
  ['overdue', '逾期'],
  ['closed', PROBLEM_STATUS.closed],
  ['all', '全部'],
];

const FILTERS = {
  todo: 'status != "closed"',
  overdue: 'overdue = true',
  closed: 'status = "closed"',
  all: '',
};

export function ProblemActions({ user, online }) {
  const unit = user.collectionName === 'units';
  const [view, setView] = useState('todo');
  const [list, setList] = useState(null);
  const [units, setUnits] = useState([]);
  const [reload, setReload] = useState(0);
  // What the last step did, said above the list: the card may leave the
  // view it was in (a closed problem is no longer 未办结).
  const [flash, setFlash] = useState('');
  useEffect(() => {
    const parts = [FILTERS[view]];
    if (unit) parts.push(pb.filter('unit = {:me}', { me: user.id }));
    cachedList(`problem-actions-${view}`, () => pb.collection('problems').getFullList({
      filter: parts.filter(Boolean).join(' && '), sort: '-overdue,-escalation,deadline,-created',
      expand: 'deputy,village',
    })).then(setList);
  }, [online, view, reload]);
  useEffect(() => {
    if (!unit) cachedList('problem-units', () => pb.send('/api/problems/units', {})).then((u) => setUnits(u?.items ?? u ?? []));
  }, [online]);

  const overdue = (list ?? []).filter((p) => p.overdue).length;
  return html`
    <h2>急难愁盼办理${list ? `（${list.length}）` : ''}</h2>
    <p class="muted">按顺序办理：待办 → 转办（代表直通车）→ 答复 → 办结；转办后限期答复，逾期报主席团督办。</p>
    ${!online && html`<p class="notice bad" role="status">需要联网：现在没有网络，只能查看上次联网时的清单，不能办理。</p>`}
    <div class="row" role="group" aria-label="显示哪些问题">
      ${VIEWS.map(([k, label]) => html`<button type="button" class=${view === k ? 'primary' : ''} aria-pressed=${view === k}
        onClick=${() => { setView(k); setFlash(''); }}>${label}</button>`)}
    </div>
    ${flash && html`<p class="notice ok" role="status">${flash}</p>`}
    ${overdue > 0 && view !== 'overdue' && html`<p class="notice bad" role="status">有 ${overdue} 件已逾期。</p>`}
    ${list === null ? html`<p class="muted">正在读取…</p>`
      : !list.length ? html`<p>这里没有问题。</p>`
      : html`<ul class="plain" aria-label="急难愁盼清单">
          ${list.map((p) => html`<li key=${p.id}><${ActionCard} p=${p} unit=${unit} units=${units} online=${online}
            onDone=${(text) => { setFlash(text); setReload((n) => n + 1); }} /></li>`)}
        </ul>`}`;
}

function ActionCard({ p, unit, units, online, onDone }) {
  const [name, setName] = useState('');
  const [reply, setReply] = useState('');
  const [reason, setReason] = useState('');
  const [pick, setPick] = useState('');
  const [note, setNote] = useState(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  const id = (k) => `${k}-${p.id}`;

  async function step(action, body, done) {
    setBusy(true);
    setNote(null);
    try {
      await pb.send(`/api/problems/${p.id}/${action}`, { method: 'POST', body });
      setName('');
      setReply('');
      setReason('');
      setNote({ ok: true, text: done });
      onDone(`${p.category}：${done}`);
    } catch (err) {
      setNote({ ok: false, text: `未办理：${errorText(err)}` });
    } finally {
      setBusy(false);
    }
  }

  const raisedBy = p.expand?.deputy?.name;
  const village = p.expand?.village?.name;
  const due = dueText(p);
  return html`<article class=${'card problem' + (p.overdue ? ' overdue' : '')} data-id=${p.id} data-status=${p.status}>
    <p><strong>${p.category}</strong> <${ProblemBadge} status=${p.status} />
      ${p.overdue && html` <span class="badge s-failed">${ESCALATION_STAGES[p.escalation] ?? '已逾期'}</span>`}</p>
    <p class="content">${p.description}</p>
    <p class="muted">${[village, raisedBy && `${raisedBy}提出`, `登记 ${formatTime(p.created).slice(0, 10)}`].filter(Boolean).join(' · ')}</p>
    ${p.forwarded_to && html`<p>承办单位：${p.forwarded_to}${due ? html` · <span class=${p.overdue ? 'behind' : ''}>${due}</span>` : ''}</p>`}
    ${p.reply && html`<p>答复：${p.reply}</p>`}
    ${p.reopens > 0 && html`<p class="muted">重新办理 ${p.reopens} 次${p.reopen_reason ? `：${p.reopen_reason}` : ''}</p>`}
    <button type="button" aria-expanded=${open} onClick=${() => setOpen(!open)}>${open ? '收起办理经过' : '办理经过'}</button>
    ${open && html`<${Timeline} id=${p.id} online=${online} />`}
    ${note && html`<p class=${'notice ' + (note.ok ? 'ok' : 'bad')} role=${note.ok ? 'status' : 'alert'}>${note.text}</p>`}
    ${online && html`<div class="problem-actions">
      ${!unit && ['open', 'forwarded'].includes(p.status) && html`
        <label for=${id('unit')}>${p.status === 'open' ? '转办给' : '改转其他单位'}</label>
        <select id=${id('unit')} value=${pick} onChange=${(e) => setPick(e.currentTarget.value)}>
          <option value="">请选择承办单位</option>
          ${units.map((u) => html`<option value=${u.id}>${u.name}</option>`)}
          <option value="other">其他单位（填写名称）</option>
        </select>
        ${pick === 'other' && html`<label for=${id('unit-name')}>单位名称</label>
          <input id=${id('unit-name')} value=${name} onInput=${(e) => setName(e.currentTarget.value)} />`}
        <button type="button" disabled=${busy || !pick} onClick=${() => step('forward',
          pick === 'other' ? { forwarded_to: name.trim() } : { unit: pick }, '已转办，办理期限从今天起算。')}>转办（代表直通车）</button>`}
      ${p.status === 'forwarded' && html`
        <label for=${id('reply')}>承办单位的答复</label>
        <textarea id=${id('reply')} value=${reply} onInput=${(e) => setReply(e.currentTarget.value)}></textarea>
        <button type="button" disabled=${busy} onClick=${() => step('answer', { reply: reply.trim() }, '已登记答复。')}>登记答复</button>`}
      ${!unit && p.status === 'answered' && html`<button type="button" disabled=${busy} onClick=${() => step('close', {}, '已办结。')}>办结</button>`}
      ${!unit && ['answered', 'closed'].includes(p.status) && html`
        <label for=${id('reason')}>重新办理的理由</label>
        <textarea id=${id('reason')} value=${reason} onInput=${(e) => setReason(e.currentTarget.value)}></textarea>
        <button type="button" disabled=${busy} onClick=${() => step('reopen', { reason: reason.trim() }, '已重新办理，请重新转办。')}>重新办理</button>`}
    </div>`}
  </article>`;
}
