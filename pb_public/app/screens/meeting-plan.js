// 会议计划 (presidium, staff): the year's rhythm of meetings as the work
// plan sets it — a presidium meeting and a 季度集训 each quarter, a 屋场会
// each half year, the 党委人大工作会议 as configured — against the meetings
// recorded, each period 已召开 / 已安排 / 待召开 / 未召开 (GET
// /api/meetings/plan?year=). One card per kind, so it reads at 360 px.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { hashParams, YearPicker } from '../ui.js';
import { MEETING_PLAN } from '../lists.js';

export function MeetingPlan({ online }) {
  const y = Number(hashParams().get('year'));
  const year = y >= 2020 && y <= 2100 ? y : new Date().getFullYear();
  const [plan, setPlan] = useState(null);
  useEffect(() => {
    cachedList(`meeting-plan-${year}`, () => pb.send('/api/meetings/plan', { query: { year } })).then(setPlan);
  }, [online, year]);
  const rows = plan?.rows ?? [];
  return html`
    <h2>${year}年会议计划</h2>
    <${YearPicker} year=${year} route="meeting-plan" />
    ${plan?.missed > 0 && html`<p class="notice bad" role="status">有 ${plan.missed} 次计划的会议没有召开。</p>`}
    ${!rows.length ? html`<p class="muted">${online ? '正在读取…' : '需要联网：没有网络，也没有保存过这一年的计划。'}</p>`
      : rows.map((r) => html`<section class="card meeting-plan" key=${r.kind} data-kind=${r.kind}>
          <h3>${r.kind_label}</h3>
          <p class="muted">${{ quarter: '每季度', half: '每半年', year: '每年' }[r.per]}至少 ${r.count} 次${r.missed ? html` · <span class="behind">未召开 ${r.missed} 次</span>` : ''}</p>
          <ul class="plan-cells">${r.cells.map((c) => html`<li key=${c.label} data-status=${c.status}>
            <strong>${c.label}</strong><br />
            <span class=${'badge m-' + c.status}>${MEETING_PLAN[c.status] ?? c.status_label}</span>
            ${c.meetings.map((m) => html`<br /><span class="muted">${m.title}</span>`)}
          </li>`)}</ul>
        </section>`)}`;
}
