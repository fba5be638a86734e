// 履职档案 (a deputy's own, or any deputy's for the presidium) and 亮分 (the
// presidium's ranking) of the quantitative assessment (量化考核), read from
// GET /api/assessment/dossiers/{deputy}?year= and /api/assessment/ranking.
// The last answer is kept for offline viewing.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { hashParams, errorText, formatTime, YearPicker } from '../ui.js';
import { oversees } from '../nav.js';

const fmt = (n) => (Math.round((n ?? 0) * 100) / 100).toString();

function yearOf(params) {
  const y = Number(params.get('year'));
  return y >= 2000 && y <= 2100 ? y : new Date().getFullYear();
}

// useServer reads path online (kept in IndexedDB) and says why when it cannot.
function useServer(key, path, query, online) {
  const [state, setState] = useState({ data: null, error: '' });
  useEffect(() => {
    let error = '';
    cachedList(key, () => pb.send(path, { query }).catch((err) => {
      error = err?.status === 404 ? '没有找到这份档案：代表只能查看本人的档案。' : errorText(err);
      throw err;
    }))
      .then((data) => setState({ data: Array.isArray(data) && !data.length ? null : data, error }));
  }, [online]);
  return state;
}

export function Dossier({ user, online }) {
  const params = hashParams();
  const year = yearOf(params);
  const id = params.get('id') || user.id;
  const { data: d, error } = useServer(`dossier-${id}-${year}`, `/api/assessment/dossiers/${encodeURIComponent(id)}`, { year }, online);
  const own = id === user.id;

  const head = html`<h2>${own ? '我的履职档案' : '代表履职档案'}</h2>
    <${YearPicker} year=${year} route="dossier" extra=${own ? '' : `&id=${encodeURIComponent(id)}`} />
    ${oversees(user) && html`<p><a class="button" href=${`#/ranking?year=${year}`}>返回亮分排名</a></p>`}`;
  if (!d) {
    return html`${head}<p class=${error ? 'notice bad' : 'muted'} role="status">${error || (online ? '正在读取…' : '需要联网：没有网络，也没有保存过这一年的档案。')}</p>`;
  }
  const r = d.result ?? {};
  const groups = [];
  for (const it of r.items ?? []) {
    let g = groups.find((x) => x.name === it.group);
    if (!g) groups.push(g = { name: it.group, items: [] });
    g.items.push(it);
  }
  return html`${head}
    <section class="card soft dossier" aria-labelledby="dossier-title" data-deputy=${d.deputy?.id}>
      <h3 id="dossier-title">${d.deputy?.name}（${d.deputy?.village || '未填村'}）${d.year}年</h3>
      <p><span class="score-total">${fmt(r.total)} 分</span> · 等次 <strong>${r.grade || '—'}</strong>
        ${d.rank ? html` · 全镇第 ${d.rank} 名（共 ${d.of} 人）` : ''}</p>
      ${r.summary && html`<p class="muted">${r.summary}</p>`}
      <p>全年走访 <strong>${d.households ?? 0}</strong> 户（要求 ${d.required ?? 12} 户，${d.met ? '已达到' : html`<span class="behind">未达到</span>`}）</p>
      ${r.grade_capped && html`<p class="behind">${r.cap_reason || '走访户数未达要求，等次受限。'}</p>`}
      ${(d.history ?? []).map((h) => html`<p class=${h.action === 'reopen' ? 'notice info' : 'muted'} key=${h.id}>${historyText(h)}</p>`)}
      ${d.frozen && html`<p class="muted">本年度考核已结束，分数已锁定。</p>`}
      ${d.stale && html`<p class="notice info">考核规则已修改，分数待工作人员重新计算。</p>`}
      ${d.computed_at && html`<p class="muted">计算时间 ${formatTime(d.computed_at)}</p>`}
    </section>
    <h3>得分明细</h3>
    ${groups.map((g) => html`<section class="card" key=${g.name}>
      <h4>${g.name}</h4>
      <ul class="plain">${g.items.map((it) => html`<li key=${it.key} class="score-item" data-key=${it.key}>
        <p><strong>${it.title}</strong>${it.bonus ? '（加分项）' : ''}：${it.not_scored ? `不计分（满分 ${fmt(it.max)}）` : `${fmt(it.points)} / ${fmt(it.max)} 分`}</p>
        <p class="muted">${it.explanation}</p>
        ${(it.sources ?? []).length > 0 && html`<p class="muted">数据来源：${it.sources.join('、')}</p>`}
      </li>`)}</ul>
    </section>`)}
    ${(d.inert ?? []).length > 0 && html`<section class="card">
      <h4>暂不计分的项目</h4>
      <ul>${d.inert.map((it) => html`<li key=${it.key}>${it.title}（满分 ${fmt(it.max)}）：${it.reason}</li>`)}</ul>
    </section>`}
    ${!(d.entries ?? []).length ? html`<h3>履职记录</h3><p>这一年还没有履职记录。</p>` : html`<details class="entries">
      <summary>履职记录（${d.entries.length} 条，点开查看）</summary>
      <ul class="plain" aria-label="履职记录">
      ${d.entries.map((e) => html`<li key=${e.collection + e.id} class="card">
        <p><strong>${e.kind || e.source}</strong> ${e.title}</p>
        <p class="muted">${formatTime(e.date).slice(0, 10)} · ${e.source}${e.detail ? ` · ${e.detail}` : ''}</p>
      </li>`)}
      </ul>
    </details>`}`;
}

// historyText says a close or reopen of the year in one line, with the
// deputy's own figure before and after.
function historyText(h) {
  const what = h.ledger === 'visits'
    ? (h.action === 'reopen' ? '走访年度重新开账' : '走访年度结算')
    : (h.action === 'reopen' ? '考核重新开账' : '考核关账');
  const c = (h.changes ?? [])[0];
  const figure = !c ? '' : c.had_before ? `：${fmt(c.before)} → ${fmt(c.after)}` : `：${fmt(c.after)}`;
  return `${formatTime(h.at).slice(0, 10)} ${h.actor_label} ${what}${h.reason ? `，理由：${h.reason}` : ''}${figure}`;
}

export function Ranking({ online }) {
  const year = yearOf(hashParams());
  const { data, error } = useServer(`ranking-${year}`, '/api/assessment/ranking', { year }, online);
  const rows = data?.items ?? [];
  return html`<h2>${year}年代表亮分排名</h2>
    <${YearPicker} year=${year} route="ranking" />
    ${data?.stale && html`<p class="notice info">考核规则已修改，部分分数待工作人员重新计算。</p>`}
    ${!data ? html`<p class=${error ? 'notice bad' : 'muted'} role="status">${error || (online ? '正在读取…' : '需要联网：没有网络，也没有保存过这一年的排名。')}</p>`
      : !rows.length ? html`<p>这一年还没有考核分数。</p>`
      : html`<ol class="plain ranking" aria-label="代表排名">
        ${rows.map((r) => html`<li key=${r.deputy} class="card rank-row" data-deputy=${r.deputy}>
          <p><strong>第 ${r.rank} 名 ${r.name}</strong> <span class="muted">${r.village}</span></p>
          <p>${fmt(r.total)} 分（基础 ${fmt(r.base)} + 加分 ${fmt(r.bonus)}）· ${r.grade || '—'}${r.grade_capped ? '（受走访户数限制）' : ''}</p>
          <p>走访 ${r.households ?? 0} 户 · ${r.met ? '达到要求' : html`<span class="behind">未达 ${r.required} 户</span>`}</p>
          <a class="button" href=${`#/dossier?id=${encodeURIComponent(r.deputy)}&year=${year}`} aria-label=${`查看${r.name}的履职档案`}>查看档案</a>
        </li>`)}
      </ol>`}`;
}
