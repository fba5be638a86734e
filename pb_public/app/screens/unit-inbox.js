// 承办单位: a handling unit's home is what is assigned to it (GET
// /api/units/me/inbox) — proposals it handles (主办) or helps with (协办),
// problems forwarded through 代表直通车, the 民生实事 it is responsible for
// and their milestones, rectification items of 监督通报, hazards to
// rectify — overdue first, with the working days left; and the answer to
// each, on the item's own route or record (the capabilities' rules apply).
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { errorText } from '../ui.js';
import VOCAB from '../vocab.js';

const REPLY_CLASSES_LIST = VOCAB.reply_classes;

const KINDS = {
  proposal: '议案建议（主办）', proposal_co: '议案建议（协办）', problem: '急难愁盼问题', project: '民生实事项目',
  milestone: '项目节点', rectification: '监督通报整改', hazard: '隐患整改',
};
const ESCALATION = { presidium: '已报主席团', supervised: '挂牌督办' };

function due(it) {
  if (!it.due) return '';
  if (it.days_left == null) return `期限 ${it.due}`;
  if (it.days_left < 0) return `期限 ${it.due}，已逾期 ${-it.days_left} 个工作日`;
  if (it.days_left === 0) return `期限 ${it.due}，今天到期`;
  return `期限 ${it.due}，还剩 ${it.days_left} 个工作日`;
}

export function UnitInbox({ user }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const [open, setOpen] = useState(null);
  const load = () => pb.send('/api/units/me/inbox', {}).then(setData, (e) => setError(errorText(e)));
  useEffect(() => { load(); }, []);
  if (open) return html`<${Item} it=${open} back=${() => { setOpen(null); load(); }} />`;
  if (!data) return html`<h2>交办事项</h2>${error ? html`<p class="notice bad" role="alert">${error}</p>` : html`<p class="muted">正在读取…</p>`}`;
  return html`
    <h2>交办事项（${data.items.length}）</h2>
    <p>${data.unit}${data.overdue ? html`：<span class="behind">逾期 ${data.overdue} 项</span>` : ''}</p>
    ${!data.items.length && html`<p class="card soft">还没有交办给本单位的事项。有事项交办时会显示在这里。</p>`}
    <ul class="plain" aria-label="交办事项">${data.items.map((it) => html`<li key=${it.kind + it.id}>
      <article class=${'card inbox-item' + (it.overdue ? ' overdue' : '')} data-kind=${it.kind} data-id=${it.id}>
        <p class="muted">${KINDS[it.kind] ?? it.kind}${ESCALATION[it.escalation] ? html` <span class="badge s-failed">${ESCALATION[it.escalation]}</span>` : ''}</p>
        <p><strong>${it.title}</strong></p>
        ${it.due && html`<p class=${it.overdue ? 'reason' : ''}>${due(it)}</p>`}
        ${it.note && html`<p class="muted">${it.note}</p>`}
        <button type="button" onClick=${() => setOpen(it)}>办理</button>
      </article></li>`)}</ul>`;
}

function Item({ it, back }) {
  const [msg, setMsg] = useState('');
  const [done, setDone] = useState(false);
  const ok = (text) => () => { setMsg(text); setDone(true); };
  const fail = (e) => setMsg(errorText(e));
  const props = { it, ok, fail, done };
  let body;
  switch (it.kind) {
    case 'proposal': body = html`<${ProposalReply} ...${props} />`; break;
    case 'proposal_co': body = html`<${Opinion} ...${props} />`; break;
    case 'project': body = html`<${ProgressReport} ...${props} />`; break;
    case 'milestone': body = html`<${MilestoneDone} ...${props} />`; break;
    case 'rectification': body = html`<${Rectify} ...${props} collection="rectification_items" />`; break;
    case 'hazard': body = html`<${Rectify} ...${props} collection="hazards" />`; break;
    case 'problem': body = html`<${ProblemAnswer} ...${props} />`; break;
    default: body = null;
  }
  return html`
    <h2>${KINDS[it.kind] ?? '交办事项'}</h2>
    <p><strong>${it.title}</strong></p>
    ${it.due && html`<p class=${it.overdue ? 'reason' : ''}>${due(it)}</p>`}
    ${body}
    ${msg && html`<p class=${'notice ' + (done ? 'ok' : 'bad')} role="status">${msg}</p>`}
    <button type="button" onClick=${back}>返回交办事项</button>`;
}

function ProposalReply({ it, ok, fail, done }) {
  const [tl, setTl] = useState(null);
  const [cls, setCls] = useState('');
  const [reply, setReply] = useState('');
  useEffect(() => { pb.send(`/api/proposals/${it.id}/timeline`, {}).then(setTl, fail); }, [it.id]);
  if (!tl) return html`<p class="muted">正在读取…</p>`;
  const p = tl.proposal;
  return html`
    <p class="content">${p.body}</p>
    <p class="muted">领衔代表：${tl.sponsor?.name} · 分类：${p.category}</p>
    ${(tl.opinions ?? []).map((o) => html`<p class="card soft">协办意见：${o.text}</p>`)}
    ${p.status === 'answered' ? html`<p>已答复，等待代表评价。</p>` : !done && html`<fieldset class="reply"><legend>答复代表</legend>
      ${REPLY_CLASSES_LIST.map((c) => html`<label class="check"><input type="radio" name="cls" checked=${cls === c.value}
        onChange=${() => setCls(c.value)} />${c.label}</label>`)}
      <label for="reply-text">答复内容</label>
      <textarea id="reply-text" value=${reply} onInput=${(e) => setReply(e.currentTarget.value)}></textarea>
      <button class="primary" type="button" onClick=${() => pb.send(`/api/proposals/${it.id}/answer`, { method: 'POST',
        body: { reply_class: cls, reply } }).then(ok('已答复，代表会在手机上看到并评价。'), fail)}>提交答复</button>
    </fieldset>`}`;
}

function Opinion({ it, ok, fail, done }) {
  const [text, setText] = useState('');
  if (done) return null;
  return html`<label for="op-text">协办意见（送主办单位）</label>
    <textarea id="op-text" value=${text} onInput=${(e) => setText(e.currentTarget.value)}></textarea>
    <button class="primary" type="button" onClick=${() => pb.send(`/api/proposals/${it.id}/opinions`, { method: 'POST', body: { text } })
      .then(ok('协办意见已送主办单位。'), fail)}>提交协办意见</button>`;
}

function photoForm(fields, input, field) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of input?.files ?? []) form.append(field, f);
  return form;
}

function ProgressReport({ it, ok, fail, done }) {
  const [f, setF] = useState({ text: '', progress_pct: '', spent_total: '' });
  if (done) return null;
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const send = () => pb.collection('project_reports').create(photoForm({ project: it.id, ...f }, document.getElementById('rep-photos'), 'photos'))
    .then(ok('进展已报送。'), fail);
  return html`<fieldset><legend>报送进展</legend>
    <label for="rep-text">进展情况</label><textarea id="rep-text" value=${f.text} onInput=${set('text')}></textarea>
    <label for="rep-pct">工程进度（%）</label><input id="rep-pct" type="text" inputmode="numeric" value=${f.progress_pct} onInput=${set('progress_pct')} />
    <label for="rep-spent">累计使用资金（万元）</label><input id="rep-spent" type="text" inputmode="decimal" value=${f.spent_total} onInput=${set('spent_total')} />
    <label for="rep-photos">现场照片</label><input id="rep-photos" type="file" accept="image/*" multiple />
    <button class="primary" type="button" onClick=${send}>报送</button></fieldset>`;
}

function MilestoneDone({ it, ok, fail, done }) {
  const [note, setNote] = useState('');
  if (done) return null;
  return html`<label for="ms-note">完成情况</label><textarea id="ms-note" value=${note} onInput=${(e) => setNote(e.currentTarget.value)}></textarea>
    <button class="primary" type="button" onClick=${() => pb.collection('project_milestones').update(it.id, { done_at: new Date().toISOString(), note })
      .then(ok('节点已标记完成。'), fail)}>标记节点完成</button>`;
}

function Rectify({ it, ok, fail, done, collection }) {
  const [text, setText] = useState('');
  if (done) return null;
  if (it.status === 'open') {
    return html`<button class="primary" type="button" onClick=${() => pb.collection(collection).update(it.id, { status: 'rectifying' })
      .then(ok('已标记为整改中。'), fail)}>开始整改</button>`;
  }
  const send = () => pb.collection(collection).update(it.id, photoForm({ status: 'rectified', rectification: text }, document.getElementById('rect-photos'), 'photos_after'))
    .then(ok('已报整改完成，等待复查。'), fail);
  return html`<fieldset><legend>整改完成</legend>
    <label for="rect-text">整改情况</label><textarea id="rect-text" value=${text} onInput=${(e) => setText(e.currentTarget.value)}></textarea>
    <label for="rect-photos">整改后照片</label><input id="rect-photos" type="file" accept="image/*" multiple />
    <button class="primary" type="button" onClick=${send}>报整改完成</button></fieldset>`;
}

function ProblemAnswer({ it, ok, fail, done }) {
  const [reply, setReply] = useState('');
  if (done) return null;
  return html`<label for="pr-reply">答复</label><textarea id="pr-reply" value=${reply} onInput=${(e) => setReply(e.currentTarget.value)}></textarea>
    <button class="primary" type="button" onClick=${() => pb.collection('problems').update(it.id, { status: 'answered', reply })
      .then(ok('已答复。'), fail)}>提交答复</button>`;
}

