// 检查计划和隐患台账 (presidium only): the quarterly safety inspection plan
// (done, due, missed), the hazards not yet struck off with their deadlines,
// 挂牌督办 and 销号, and the Excel exports. Read online; the last answer is
// kept for offline viewing. Actions need the network.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { formatTime, errorText } from '../ui.js';
import { HAZARD_STATUS } from '../lists.js';
import { InspectionConfirmations } from './inspection-confirm.js';

const PLAN_LABEL_CLASS = { done: 's-synced', due: 's-pending', missed: 's-failed' };

export function Ledger({ user, online }) {
  const year = new Date().getFullYear();
  const [plan, setPlan] = useState(null);
  const [hazards, setHazards] = useState(null);
  const [note, setNote] = useState('');
  const [reload, setReload] = useState(0);
  useEffect(() => {
    cachedList('ledger-plan-' + year, () => pb.send('/api/ledger/plan', { query: { year } })).then(setPlan);
    cachedList('ledger-hazards', () => pb.collection('hazards').getFullList({
      filter: 'status != "closed"', sort: '-overdue,deadline',
      fields: 'id,title,status,responsible_unit,deadline,overdue,supervised,supervised_by,escalation',
    })).then(setHazards);
  }, [online, reload]);

  async function change(h, body, done) {
    setNote('');
    try {
      await pb.collection('hazards').update(h.id, body);
      setNote(done);
      setReload((n) => n + 1);
    } catch (err) {
      setNote(`操作失败：${errorText(err)}`);
    }
  }

  async function download(path, name) {
    setNote('');
    try {
      const res = await fetch(path, { headers: { Authorization: pb.authStore.token } });
      if (!res.ok) throw new Error(`服务器答复 ${res.status}`);
      const url = URL.createObjectURL(await res.blob());
      const a = Object.assign(document.createElement('a'), { href: url, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setNote(`导出失败：${err?.message || err}`);
    }
  }

  const sites = plan?.sites ?? [];
  return html`
    <h2>${year}年安全生产检查季度计划</h2>
    ${note && html`<p class="notice info" role="status">${note}</p>`}
    ${!sites.length ? html`<p>${online ? '正在读取…' : '没有网络，也没有保存过的计划。'}</p>` : html`
      <table class="stack">
        <caption class="sr-only">各场所每季度检查完成情况</caption>
        <thead><tr><th scope="col">场所</th>${(plan.quarters ?? []).map((q) => html`<th scope="col">${q.label.replace(/^\d+年/, '')}</th>`)}</tr></thead>
        <tbody>${sites.map((s) => html`<tr key=${s.site}>
          <th scope="row">${s.name}<br /><span class="muted">${s.done}/${s.planned}</span></th>
          ${s.cells.map((c, i) => html`<td data-label=${(plan.quarters?.[i]?.label ?? '').replace(/^\d+年/, '')}><span class=${PLAN_LABEL_CLASS[c.status] ?? 'muted'}>${c.label}</span>${c.inspected_at ? html`<br /><span class="muted">${c.inspected_at.slice(5)}</span>` : ''}</td>`)}
        </tr>`)}</tbody>
      </table>`}
    <button type="button" disabled=${!online} onClick=${() => download(`/api/ledger/plan.xlsx?year=${year}`, `${year}年安全生产执法检查季度计划.xlsx`)}>导出季度计划（Excel）</button>

    <${InspectionConfirmations} user=${user} oversee=${true} online=${online} />

    <h2>未销号的隐患（${hazards?.length ?? 0}）</h2>
    <button type="button" disabled=${!online} onClick=${() => download('/api/ledger/hazards.xlsx', '隐患台账.xlsx')}>导出隐患台账（Excel）</button>
    <ul class="plain" aria-label="未销号的隐患">
      ${(hazards ?? []).map((h) => html`<li key=${h.id}><article class="card ledger-hazard" data-id=${h.id}>
        <p><strong>${h.title}</strong> ${h.overdue ? html`<span class="badge s-failed">已逾期</span>` : ''} ${h.supervised ? html`<span class="badge s-pending">挂牌督办</span>` : ''}</p>
        <p class="muted">${HAZARD_STATUS[h.status]} · ${h.responsible_unit} · 期限 ${formatTime(h.deadline).slice(0, 10)}${h.supervised_by ? ` · 挂牌：${h.supervised_by}` : ''}</p>
        <div class="row">
          <button type="button" disabled=${!online} onClick=${() => change(h, { supervised: !h.supervised }, h.supervised ? '已摘牌。' : '已挂牌督办。')}>${h.supervised ? '摘牌' : '挂牌督办'}</button>
          ${h.status === 'verified' && html`<button type="button" disabled=${!online} onClick=${() => change(h, { status: 'closed' }, '已销号。')}>销号</button>`}
        </div>
      </article></li>`)}
    </ul>`;
}
