// 代表进度 (presidium only): every deputy's distinct households this year
// toward the required number, this month's visits, and who is behind. Read from the visits
// progress API (the server's count is the authority); the last answer is
// kept for offline viewing.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { formatTime, hashParams, YearPicker } from '../ui.js';
import { chinaYearMonth, PROGRESS_API } from '../pace.js';
import VOCAB from '../vocab.js';


export function Progress({ online }) {
  const current = chinaYearMonth(new Date()).year;
  const asked = Number(hashParams().get('year'));
  const year = asked >= 2020 && asked <= current ? asked : current;
  const [state, setState] = useState({ loading: true });
  const [villages, setVillages] = useState([]);
  useEffect(() => {
    cachedList('villages', () => pb.collection('villages').getFullList({ fields: 'id,name', sort: 'name' })).then(setVillages);
  }, [online]);
  useEffect(() => {
    cachedList('progress-' + year, async () => {
      const res = await pb.send(PROGRESS_API, { query: { year } });
      return { fetched: new Date().toISOString(), ...res };
    }).then((res) => setState({ res }), (err) => setState({ error: err?.message || String(err) }));
  }, [online, year]);

  if (state.loading) return html`<p>正在读取…</p>`;
  const res = state.res;
  const rows = normalize(res, villages);
  const picker = html`<${YearPicker} year=${year} route="progress" />`;
  if (!rows.length) return html`<h2>${year}年代表走访进度</h2>${picker}<p>${online ? '暂无数据。' : '没有网络，也没有保存过的进度数据。'}</p>`;
  const behind = rows.filter((r) => r.behind);
  return html`
    <h2>${year}年代表走访进度</h2>
    ${picker}
    ${res?.closed && html`<p class="muted">该年度已结算，户数为结算时的结果。</p>`}
    <p>共 ${rows.length} 位代表，${behind.length ? html`<span class="behind">${behind.length} 位落后于每月一户的进度</span>` : '全部进度正常'}。
      ${res?.fetched && html`<span class="muted">数据时间 ${formatTime(res.fetched)}</span>`}</p>
    <table class="stack">
      <caption class="sr-only">各代表走访户数</caption>
      <thead><tr><th scope="col">代表</th><th scope="col">户数</th><th scope="col">本月</th><th scope="col">情况</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr key=${r.id}>
        <th scope="row">${r.name}${r.village ? html`<br /><span class="muted">${r.village}</span>` : ''}</th>
        <td class="num" data-label="户数">${r.count}/${r.required}</td>
        <td class="num" data-label="本月">${r.thisMonth}次</td>
        <td data-label="情况">${r.met ? '已完成' : r.behind ? html`<span class="behind">落后${r.short ? ` ${r.short} 户` : ''}${r.missed.length ? `，${r.missed.join('、')}月未走访` : ''}</span>` : '正常'}</td>
      </tr>`)}</tbody>
    </table>`;
}

// normalize reads GET /api/visits/progress ({year, required, deputies:
// [{deputy, name, village, households, visits, months, expected_now,
// behind, missed_months, met}]}), furthest behind first.
export function normalize(res, villages = []) {
  const names = new Map(villages.map((v) => [v.id, v.name]));
  const { month } = chinaYearMonth(new Date());
  return (res?.deputies ?? []).map((d) => ({
    id: d.deputy, name: d.name, village: names.get(d.village) ?? '',
    count: d.households ?? 0, required: d.required ?? res?.required ?? VOCAB.visits.households_required,
    thisMonth: d.months?.[month]?.visits ?? 0,
    short: Math.max(0, (d.expected_now ?? 0) - (d.households ?? 0)),
    missed: d.missed_months ?? [], behind: !!d.behind, met: !!d.met,
  })).sort((a, b) => Number(b.behind) - Number(a.behind) || b.short - a.short || a.count - b.count);
}
