// 监督通报: the presidium's and the office's supervision reports. A draft
// (with its rectification items: problem, requirement, unit, deadline) is
// written and issued here, which numbers it and starts its items' clocks;
// each item shows its state and whether it is overdue; the report prints
// on A4 and downloads as Excel. Online only.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { errorText, formatTime } from '../ui.js';
import VOCAB from '../vocab.js';

const labels = (terms) => Object.fromEntries(terms.map((t) => [t.value, t.label]));
const REPORT_STATUS = labels(VOCAB.report_statuses);
const ITEM_STATUS = labels(VOCAB.rectification_statuses);

export function SupervisionReports({ online }) {
  const [reports, setReports] = useState(null);
  const [items, setItems] = useState([]);
  const [units, setUnits] = useState({});
  const [msg, setMsg] = useState('');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!online) return;
    pb.collection('supervision_reports').getFullList({ sort: '-year,-created' }).then(setReports, (e) => setMsg(errorText(e)));
    pb.collection('rectification_items').getFullList({ sort: 'position' }).then(setItems, () => {});
    pb.send('/api/units/names', {}).then((r) => setUnits(Object.fromEntries(r.items.map((u) => [u.id, u.name]))), () => {});
  }, [online, tick]);
  if (!online) return html`<h2>监督通报</h2><p class="notice info">需要联网。</p>`;
  const issue = (r) => pb.send(`/api/supervision-reports/${r.id}/issue`, { method: 'POST', body: {} })
    .then(() => setTick((n) => n + 1), (e) => setMsg(errorText(e)));
  return html`
    <h2>监督通报</h2>
    ${msg && html`<p class="notice bad" role="alert">${msg}</p>`}
    ${reports && !reports.length && html`<p>还没有监督通报。</p>`}
    <${NewReport} done=${() => setTick((n) => n + 1)} />
    ${(reports ?? []).map((r) => html`<article class="card report" key=${r.id}>
      <p><strong>${r.title}</strong> <span class="badge s-synced">${REPORT_STATUS[r.status] ?? r.status}</span></p>
      <p class="muted">${r.number || '未编号'}${r.issued_at ? ' · ' + formatTime(r.issued_at).slice(0, 10) + ' 发布' : ''}</p>
      <ol>${items.filter((it) => it.report === r.id).map((it) => html`<li key=${it.id} class=${it.overdue ? 'reason' : ''}>
        ${it.problem_text}（${units[it.unit] ?? ''}，期限 ${formatTime(it.deadline).slice(0, 10)}，${ITEM_STATUS[it.status] ?? it.status}${it.overdue ? '，已逾期' : ''}）</li>`)}</ol>
      ${r.status === 'draft' && html`<${NewItem} report=${r} done=${() => setTick((n) => n + 1)} />`}
      <div class="row">
        ${r.status === 'draft' && html`<button type="button" onClick=${() => issue(r)}>发布通报</button>`}
        <button type="button" onClick=${() => printReport(r.id)}>打印（A4）</button>
        <button type="button" onClick=${() => download(r)}>导出Excel</button>
      </div>
    </article>`)}`;
}

// printReport opens the A4 page in a new tab; the login's token goes in a
// POSTed form field, never in a URL.
function printReport(id) {
  const form = Object.assign(document.createElement('form'), { method: 'POST', action: `/api/supervision-reports/${id}/print`, target: '_blank' });
  form.appendChild(Object.assign(document.createElement('input'), { type: 'hidden', name: 'token', value: pb.authStore.token }));
  document.body.appendChild(form);
  form.submit();
  form.remove();
}

async function download(r) {
  const res = await fetch(`/api/supervision-reports/${r.id}/export.xlsx`, { headers: { Authorization: pb.authStore.token } });
  const url = URL.createObjectURL(await res.blob());
  Object.assign(document.createElement('a'), { href: url, download: `监督通报整改事项-${r.number || r.id}.xlsx` }).click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// NewReport starts a draft report: its items are added before it is issued.
function NewReport({ done }) {
  const [open, setOpen] = useState(false);
  const [f, setF] = useState({ title: '', summary: '' });
  const [msg, setMsg] = useState('');
  if (!open) return html`<button type="button" onClick=${() => setOpen(true)}>起草监督通报</button>`;
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const save = () => pb.collection('supervision_reports').create({ ...f, year: new Date().getFullYear() })
    .then(() => { setOpen(false); setF({ title: '', summary: '' }); done(); }, (e) => setMsg(errorText(e)));
  return html`<fieldset class="new-report"><legend>起草监督通报</legend>
    <label for="nr-title">标题</label><input id="nr-title" type="text" value=${f.title} onInput=${set('title')} />
    <label for="nr-summary">通报内容（视察或检查发现的问题概述）</label>
    <textarea id="nr-summary" value=${f.summary} onInput=${set('summary')}></textarea>
    <button class="primary" type="button" onClick=${save}>保存草稿</button>
    ${msg && html`<p class="notice bad" role="alert">${msg}</p>`}
  </fieldset>`;
}

// NewItem adds a rectification item to a draft: the problem, what to do,
// the responsible unit and the deadline.
function NewItem({ report, done }) {
  const [open, setOpen] = useState(false);
  const [units, setUnits] = useState([]);
  const [f, setF] = useState({ problem_text: '', requirement: '', unit: '', deadline: '' });
  const [msg, setMsg] = useState('');
  useEffect(() => { if (open) pb.send('/api/units/names', {}).then((r) => setUnits(r.items), () => {}); }, [open]);
  if (!open) return html`<button type="button" onClick=${() => setOpen(true)}>添加整改事项</button>`;
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  // the deadline is the end of the chosen day in China time
  const save = () => pb.collection('rectification_items').create({ ...f, report: report.id,
    deadline: f.deadline ? f.deadline + ' 15:59:59.000Z' : '' })
    .then(() => { setOpen(false); setF({ problem_text: '', requirement: '', unit: '', deadline: '' }); done(); }, (e) => setMsg(errorText(e)));
  return html`<fieldset class="new-item"><legend>添加整改事项</legend>
    <label for=${'ni-p-' + report.id}>发现的问题</label><textarea id=${'ni-p-' + report.id} value=${f.problem_text} onInput=${set('problem_text')}></textarea>
    <label for=${'ni-r-' + report.id}>整改要求</label><textarea id=${'ni-r-' + report.id} value=${f.requirement} onInput=${set('requirement')}></textarea>
    <label for=${'ni-u-' + report.id}>责任单位</label>
    <select id=${'ni-u-' + report.id} value=${f.unit} onChange=${set('unit')}><option value="">请选择</option>
      ${units.map((u) => html`<option value=${u.id}>${u.name}</option>`)}</select>
    <label for=${'ni-d-' + report.id}>整改期限</label><input id=${'ni-d-' + report.id} type="date" value=${f.deadline} onInput=${set('deadline')} />
    <button class="primary" type="button" onClick=${save}>保存整改事项</button>
    ${msg && html`<p class="notice bad" role="alert">${msg}</p>`}
  </fieldset>`;
}
