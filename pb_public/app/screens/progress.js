// 代表进度 (presidium only): every deputy's distinct households this year
// toward 12, this month's pace, and who is behind. Read from the visits
// progress API (the server's count is the authority); the last answer is
// kept for offline viewing.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { formatTime } from '../ui.js';
import { YEAR_GOAL } from '../progress-local.js';

export const PROGRESS_API = '/api/visits/progress';

export function Progress({ online }) {
  const year = new Date().getFullYear();
  const [state, setState] = useState({ loading: true });
  useEffect(() => {
    cachedList('progress-' + year, async () => {
      const res = await pb.send(PROGRESS_API, { query: { year } });
      return { fetched: new Date().toISOString(), ...res };
    }).then((res) => setState({ res }), (err) => setState({ error: err?.message || String(err) }));
  }, [online]);

  if (state.loading) return html`<p>正在读取…</p>`;
  const res = state.res;
  const rows = normalize(res);
  if (!rows.length) return html`<h2>${year}年代表走访进度</h2><p>${online ? '暂无数据。' : '没有网络，也没有保存过的进度数据。'}</p>`;
  const behind = rows.filter((r) => r.behind > 0);
  return html`
    <h2>${year}年代表走访进度</h2>
    <p>共 ${rows.length} 位代表，${behind.length ? html`<span class="behind">${behind.length} 位落后于每月一户的进度</span>` : '全部进度正常'}。
      ${res?.fetched && html`<span class="muted">数据时间 ${formatTime(res.fetched)}</span>`}</p>
    <table>
      <caption class="sr-only">各代表走访户数</caption>
      <thead><tr><th scope="col">代表</th><th scope="col">已走访户数</th><th scope="col">本月</th><th scope="col">进度</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr key=${r.id}>
        <th scope="row">${r.name}${r.village ? html`<br /><span class="muted">${r.village}</span>` : ''}</th>
        <td>${r.count} / ${YEAR_GOAL}</td>
        <td>${r.thisMonth}</td>
        <td>${r.behind > 0 ? html`<span class="behind">落后 ${r.behind} 户</span>` : r.count >= YEAR_GOAL ? '已完成' : '正常'}</td>
      </tr>`)}</tbody>
    </table>`;
}

// normalize reads the progress API's rows, sorted with who is furthest behind first.
export function normalize(res) {
  const items = res?.deputies ?? res?.items ?? [];
  const month = new Date().getMonth() + 1;
  return items.map((d) => {
    const count = d.households ?? d.count ?? 0;
    const expected = d.expected ?? Math.min(YEAR_GOAL, month);
    return {
      id: d.deputy ?? d.id, name: d.name ?? d.deputy_name ?? '', village: d.village_name ?? d.village ?? '',
      count, thisMonth: d.this_month ?? d.month_visits ?? 0,
      behind: d.behind_by ?? Math.max(0, expected - count),
    };
  }).sort((a, b) => b.behind - a.behind || a.count - b.count);
}
