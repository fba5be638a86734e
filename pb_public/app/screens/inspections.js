// 执法检查: the deputy's inspections on this phone (made here or pulled from
// the server) with the hazards found in each, each with its sync state:
// 待同步 / 同步中 / 已同步 / 需处理 with the reason. The ledger's later steps
// (整改, 复查, 销号, 挂牌督办) are shown as the server reports them.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { listRecords, getMeta, FAILED } from '../store.js';
import { retry } from '../outbox.js';
import { requestSync } from '../sync.js';
import { useStoreQuery, StateBadge, Reason, formatTime } from '../ui.js';
import { INSPECTION_KINDS, HAZARD_STATUS } from '../lists.js';
import { HazardActions } from './hazard-actions.js';
import { InspectionConfirmations } from './inspection-confirm.js';

export function Inspections({ user, online }) {
  const [sites, setSites] = useState(new Map());
  useEffect(() => {
    getMeta('inspection_sites').then((list) => setSites(new Map((list ?? []).map((s) => [s.id, s.name]))));
  }, []);
  const data = useStoreQuery(async () => {
    const [inspections, hazards] = await Promise.all([listRecords('inspections'), listRecords('hazards')]);
    inspections.sort((a, b) => String(b.data.inspected_at).localeCompare(String(a.data.inspected_at)));
    const byInspection = new Map();
    for (const h of hazards) {
      const k = h.data.inspection ?? '';
      byInspection.set(k, [...(byInspection.get(k) ?? []), h]);
    }
    const local = new Set(inspections.map((i) => i.id));
    const loose = hazards.filter((h) => !local.has(h.data.inspection));
    return { inspections, byInspection, loose };
  });
  if (!data) return html`<p>正在读取…</p>`;
  const { inspections, byInspection, loose } = data;
  return html`
    <h2>我的检查（${inspections.length}）</h2>
    <a class="button primary" href="#/inspect">记一次检查</a>
    ${user?.presidium && html`<a class="button" href="#/ledger">季度检查计划和隐患台账</a>`}
    <${InspectionConfirmations} user=${user} oversee=${false} online=${online} />
    ${!inspections.length && html`<p>还没有检查记录。</p>`}
    <ul class="plain" aria-label="检查记录">
      ${inspections.map((i) => html`<li key=${i.key}><${InspectionCard} i=${i} site=${sites.get(i.data.site)} hazards=${byInspection.get(i.id) ?? []} follow=${{ inspections, online }} /></li>`)}
    </ul>
    ${loose.length > 0 && html`<h2>其他隐患（${loose.length}）</h2>
      <ul class="plain" aria-label="其他隐患">${loose.map((h) => html`<li key=${h.key}><${HazardCard} h=${h} follow=${{ inspections, online }} /></li>`)}</ul>`}`;
}

function InspectionCard({ i, site, hazards, follow }) {
  const title = [INSPECTION_KINDS[i.data.kind] ?? i.data.kind, site, i.data.subject].filter(Boolean).join(' · ');
  return html`<article class="card inspection" data-id=${i.id} data-state=${i.state}>
    <p><strong>${title}</strong> <${StateBadge} rec=${i} /></p>
    <p class="muted">${formatTime(i.data.inspected_at)}${i.data.status === 'ongoing' ? ' · 检查中' : ''}${i.data.departments?.length ? ' · ' + i.data.departments.join('、') : ''}</p>
    ${i.state === 'synced' && i.data.status === 'completed' && html`<p class="muted">${i.data.confirmed_at ? `已确认（${i.data.confirmed_by}），计入考核` : '待其他参加代表、主席团成员或工作人员确认，确认后计入考核'}</p>`}
    ${i.data.findings && html`<p>${i.data.findings}</p>`}
    <${Reason} rec=${i} />
    ${i.state === FAILED && html`<button type="button" onClick=${() => retry(i.key).then(requestSync)}>重新上传</button>`}
    ${hazards.length > 0 && html`<ul class="plain" aria-label="发现的隐患">${hazards.map((h) => html`<li key=${h.key}><${HazardCard} h=${h} follow=${follow} /></li>`)}</ul>`}
  </article>`;
}

function HazardCard({ h, follow }) {
  return html`<div class="card soft hazard" data-id=${h.id} data-state=${h.state}>
    <p><strong>隐患：${h.data.title}</strong> <${StateBadge} rec=${h} /></p>
    <p class="muted">${HAZARD_STATUS[h.data.status ?? 'open']}${h.data.supervised ? ' · 挂牌督办' : ''}${h.data.overdue ? ' · 已逾期' : ''} · 责任单位 ${h.data.responsible_unit} · 期限 ${formatTime(h.data.deadline).slice(0, 10)}</p>
    <${Reason} rec=${h} />
    ${h.state === FAILED && html`<button type="button" onClick=${() => retry(h.key).then(requestSync)}>重新上传</button>`}
    ${h.state === 'synced' && html`<${HazardActions} h=${h} inspections=${follow.inspections} online=${follow.online} />`}
  </div>`;
}
