// 诉求分析 (presidium, staff): what residents raised in a period — counts
// by state, the monthly trend, categories and villages as charts, the
// village × category hotspots, the recurring words and the problems raised
// again and again — each number opening the records behind it
// (#/demand-search). Read from /api/simeng/analysis/*; the last answers are
// kept for offline viewing (charts need the network).
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { hashParams, errorText } from '../ui.js';
import { ChartImg, download } from '../files.js';

const API = '/api/simeng/analysis';

// periodChoices are the periods offered around now: this and last month,
// quarter and year.
export function periodChoices(now = new Date()) {
  const y = now.getFullYear();
  const m = now.getMonth() + 1;
  const q = Math.floor((m - 1) / 3) + 1;
  const pad = (n) => String(n).padStart(2, '0');
  const prevQ = q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
  const prevM = m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
  return [
    [`${y}-Q${q}`, '本季度'], [prevQ, '上季度'], [`${y}`, '今年'], [`${y - 1}`, '去年'],
    [`${y}-${pad(m)}`, '本月'], [prevM, '上月'],
  ];
}

// recordsLink opens the records behind a number.
export function recordsLink(filters) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  return '#/demand-search?' + q.toString();
}

function useAnalysis(path, query, online) {
  const [state, setState] = useState({ loading: true });
  const key = path + '?' + new URLSearchParams(query).toString();
  useEffect(() => {
    let live = true;
    let error = '';
    setState({ loading: true });
    cachedList('analysis:' + key, () => pb.send(API + path, { query }).catch((err) => { error = errorText(err); throw err; }))
      .then((data) => live && setState({ data: Array.isArray(data) ? null : data, error }));
    return () => { live = false; };
  }, [key, online]);
  return state;
}

const arrow = (d) => (d > 0 ? `↑${d}` : d < 0 ? `↓${-d}` : '持平');

export function Analysis({ online }) {
  const params = hashParams();
  const period = params.get('period') || periodChoices()[0][0];
  const [note, setNote] = useState('');
  const ov = useAnalysis('/overview', { period }, online);
  const terms = useAnalysis('/terms', { period, limit: 12 }, online);
  const rec = useAnalysis('/recurring', { period }, online);
  const o = ov.data;
  const go = (p) => { location.hash = '#/analysis?period=' + encodeURIComponent(p); };
  const choices = periodChoices();
  if (!choices.some(([k]) => k === period)) choices.unshift([period, o?.period?.label ?? period]);

  async function exportXLSX() {
    setNote('');
    try {
      await download(`${API}/export.xlsx?period=${encodeURIComponent(period)}`, `群众诉求清单_${period}.xlsx`);
    } catch (err) {
      setNote(`导出失败：${err?.message || err}`);
    }
  }

  const head = html`<h2>群众诉求分析</h2>
    <label for="period-pick">期间</label>
    <select id="period-pick" value=${period} onChange=${(e) => go(e.currentTarget.value)}>
      ${choices.map(([k, label]) => html`<option value=${k}>${label}（${k}）</option>`)}
    </select>
    ${o?.period && html`<div class="row period-nav">
      <button type="button" onClick=${() => go(o.period.prev)}>‹ 上一期</button>
      <button type="button" onClick=${() => go(o.period.next)} disabled=${o.period.current}>下一期 ›</button>
    </div>`}`;
  if (!o) {
    return html`${head}<p class=${ov.error ? 'notice bad' : 'muted'} role="status">${ov.error || (online ? '正在读取…' : '需要联网：没有网络，也没有保存过这一期的分析。')}</p>`;
  }
  const hot = o.hotspots ?? {};
  return html`${head}
    ${note && html`<p class="notice info" role="status">${note}</p>`}
    <section class="card soft" aria-labelledby="total-title">
      <h3 id="total-title">${o.period.label}</h3>
      <p>共收到群众诉求 <span class="big">${o.total}</span> 件（上一期 ${o.previous} 件，${arrow(o.total - o.previous)}）。</p>
      <ul class="plain states">${o.states.map((s) => html`<li key=${s.key}>
        <a class="button pick" href=${recordsLink({ period, status: s.key })}>${s.label} ${s.count} 件</a></li>`)}</ul>
    </section>

    <h3>每月趋势</h3>
    <${ChartImg} path=${`${API}/charts/trend.svg?period=${encodeURIComponent(period)}`} alt="近12个月每月诉求件数折线图，虚线为上一年同期" />
    <table class="months"><caption class="sr-only">近6个月件数和环比</caption>
      <thead><tr><th scope="col">月份</th><th scope="col" class="num">件数</th><th scope="col" class="num">环比</th></tr></thead>
      <tbody>${o.months.slice(-6).reverse().map((m) => html`<tr key=${m.month}>
        <th scope="row"><a href=${recordsLink({ period: m.month })}>${m.label}</a></th><td class="num">${m.count}</td>
        <td class="num">${m.change == null ? '—' : `${m.delta > 0 ? '+' : ''}${Math.round(m.change * 100)}%`}</td></tr>`)}</tbody>
    </table>

    <h3>哪类问题多</h3>
    <${ChartImg} path=${`${API}/charts/categories.svg?period=${encodeURIComponent(period)}`} alt=${'各类诉求件数柱状图：' + o.categories.map((c) => `${c.label}${c.count}件`).join('，')} />
    <h3>哪个村反映多</h3>
    <${ChartImg} path=${`${API}/charts/villages.svg?period=${encodeURIComponent(period)}`} alt=${'各村诉求件数柱状图：' + o.villages.map((v) => `${v.label}${v.count}件`).join('，')} />

    <h3>热点：村 × 类别</h3>
    <p class="muted">标红的格子是热点：该村这类诉求不少于3件，且占比明显高于全镇。点数字看记录。</p>
    <div class="scroll-x" tabindex="0" role="region" aria-label="各村各类诉求件数表">
      <table class="hotspots">
        <thead><tr><th scope="col">村（社区）</th>${(hot.categories ?? []).map((c) => html`<th scope="col" class="num">${c.label}</th>`)}<th scope="col" class="num">合计</th></tr></thead>
        <tbody>${(hot.villages ?? []).map((v, i) => html`<tr key=${v.key}>
          <th scope="row">${v.label}</th>
          ${(hot.categories ?? []).map((c, j) => {
            const n = hot.cells[i][j];
            const cls = hot.hot[i][j] ? 'num hot' : 'num';
            return html`<td class=${cls}>${n ? html`<a href=${recordsLink({ period, village: v.key, category: c.key })}>${n}</a>` : '·'}</td>`;
          })}
          <td class="num"><a href=${recordsLink({ period, village: v.key })}>${v.count}</a></td></tr>`)}
          <tr class="totals"><th scope="row">合计</th>${(hot.categories ?? []).map((c) => html`<td class="num"><a href=${recordsLink({ period, category: c.key })}>${c.count}</a></td>`)}
          <td class="num">${o.total}</td></tr></tbody>
      </table>
    </div>

    <h3>高频词</h3>
    ${terms.data?.pending > 0 && html`<p class="muted">还有 ${terms.data.pending} 条记录在分词，稍后刷新更准确。</p>`}
    ${(terms.data?.top?.words ?? []).length === 0 ? html`<p class="muted">${terms.error || '本期没有反复出现的词语。'}</p>` : html`
      <ul class="plain terms">${terms.data.top.words.map((w) => html`<li key=${w.term}>
        <a class="button pick term" href=${recordsLink({ ids: w.ids.join(','), title: `含“${w.term}”的诉求` })}>
          <strong>${w.term}</strong>　${w.count} 件　<span class=${w.delta > 0 ? 'up' : 'muted'}>${w.trend === 'new' ? '新出现' : arrow(w.delta)}</span></a></li>`)}</ul>`}
    ${(terms.data?.top?.phrases ?? []).length > 0 && html`<p>常见说法：${terms.data.top.phrases.slice(0, 6).map((p) => `${p.term}（${p.count}）`).join('、')}</p>`}

    <h3>反复反映的问题</h3>
    ${(rec.data?.clusters ?? []).length === 0 ? html`<p class="muted">${rec.error || '本期没有同一村反复反映3次以上的问题。'}</p>` : html`
      <ul class="plain">${rec.data.clusters.slice(0, 10).map((c) => html`<li key=${c.ids[0]} class="card recurring">
        <p><strong>${c.message}</strong></p>
        <p class="muted">${(c.categories ?? []).join('、')} · 相关词：${(c.label ?? []).join('、')}</p>
        <a class="button" href=${recordsLink({ ids: c.ids.join(','), title: c.message })}>查看这${c.count}条记录</a>
      </li>`)}</ul>`}

    <div class="row analysis-actions">
      <a class="button" href=${recordsLink({ period })}>检索本期诉求</a>
      <button type="button" onClick=${exportXLSX} disabled=${!online}>导出Excel</button>
    </div>
    <p class="muted">导出的清单不含群众姓名、电话，内容中的号码已打码，可提供给信访、综治部门。</p>`;
}
