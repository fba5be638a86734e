// 监督通报: the presidium's and the office's supervision reports. A draft
// (written in the admin UI with its rectification items: problem, unit,
// deadline) is issued here, which numbers it and starts its items' clocks;
// each item shows its state and whether it is overdue; the report prints
// on A4 and downloads as Excel. Online only.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { errorText, formatTime } from '../ui.js';
import VOCAB from '../vocab.js';

const labels = (terms) => Object.fromEntries(terms.map((t) => [t.value, t.label]));
const REPORT_STATUS = labels(VOCAB.report_statuses);
const ITEM_STATUS = labels(VOCAB.rectification_statuses);

export function Reports({ online }) {
  const [reports, setReports] = useState(null);
  const [items, setItems] = useState([]);
  const [msg, setMsg] = useState('');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!online) return;
    pb.collection('supervision_reports').getFullList({ sort: '-year,-created' }).then(setReports, (e) => setMsg(errorText(e)));
    pb.collection('rectification_items').getFullList({ sort: 'position', expand: 'unit', fields: '*,expand.unit.name' })
      .then(setItems, () => {});
  }, [online, tick]);
  if (!online) return html`<h2>监督通报</h2><p class="notice info">需要联网。</p>`;
  const issue = (r) => pb.send(`/api/supervision-reports/${r.id}/issue`, { method: 'POST', body: {} })
    .then(() => setTick((n) => n + 1), (e) => setMsg(errorText(e)));
  return html`
    <h2>监督通报</h2>
    ${msg && html`<p class="notice bad" role="alert">${msg}</p>`}
    ${reports && !reports.length && html`<p>还没有监督通报。通报和整改事项在管理后台起草。</p>`}
    ${(reports ?? []).map((r) => html`<article class="card report" key=${r.id}>
      <p><strong>${r.title}</strong> <span class="badge s-synced">${REPORT_STATUS[r.status] ?? r.status}</span></p>
      <p class="muted">${r.number || '未编号'}${r.issued_at ? ' · ' + formatTime(r.issued_at).slice(0, 10) + ' 发布' : ''}</p>
      <ol>${items.filter((it) => it.report === r.id).map((it) => html`<li key=${it.id} class=${it.overdue ? 'reason' : ''}>
        ${it.problem_text}（${it.expand?.unit?.name ?? ''}，期限 ${formatTime(it.deadline).slice(0, 10)}，${ITEM_STATUS[it.status] ?? it.status}${it.overdue ? '，已逾期' : ''}）</li>`)}</ol>
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
