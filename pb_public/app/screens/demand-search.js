// 诉求检索: full-text search over every demand residents raised, with
// filters (period, village, category, status), and the records behind any
// number of the analysis (#/demand-search?ids=… or its filters). A deputy
// finds the demands addressed to them; the presidium and staff all. Names
// and phones are never shown; numbers typed into texts come masked.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { oversees } from '../nav.js';
import { hashParams, errorText, formatTime } from '../ui.js';
import { periodChoices } from './analysis.js';
import { TOPICS, DEMAND_STATES } from '../lists.js';

const API = '/api/simeng/analysis';
const STATES = [['', '全部状态'], ...Object.entries(DEMAND_STATES)];

export function DemandSearch({ user, online }) {
  const params = hashParams();
  const ids = params.get('ids') || '';
  const title = params.get('title') || '';
  const [form, setForm] = useState({
    q: params.get('q') || '', period: params.get('period') || periodChoices()[2][0],
    village: params.get('village') || '', category: params.get('category') || '', status: params.get('status') || '',
    source: params.get('source') || '',
  });
  const [query, setQuery] = useState(form);
  const [page, setPage] = useState(1);
  const [state, setState] = useState({ items: [], total: 0, loading: true });
  const [villages, setVillages] = useState([]);
  useEffect(() => {
    cachedList('villages', () => pb.collection('villages').getFullList({ fields: 'id,name', sort: 'name' })).then(setVillages);
  }, [online]);

  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: '' }));
    const load = ids
      ? pb.send(`${API}/records`, { query: { ids } }).then((r) => ({ items: r.items, totalItems: r.items.length }))
      : pb.send(`${API}/search`, { query: { ...query, page, perPage: 20 } });
    load.then((r) => live && setState((s) => ({
      items: page === 1 ? r.items : [...s.items, ...r.items], total: r.totalItems, loading: false,
    })), (err) => live && setState({ items: [], total: 0, loading: false, error: errorText(err) }));
    return () => { live = false; };
  }, [ids, JSON.stringify(query), page, online]);

  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.value });
  const submit = (e) => { e.preventDefault(); setPage(1); setQuery({ ...form }); };

  return html`
    <h2>${title || (ids ? '相关诉求记录' : '诉求检索')}</h2>
    ${!ids && html`<form onSubmit=${submit} class="search-form" role="search">
      <label for="q">检索词</label>
      <input id="q" type="search" value=${form.q} onInput=${set('q')} placeholder="例如 停水、路灯、桥思公路" />
      <label for="s-period">期间</label>
      <select id="s-period" value=${form.period} onChange=${set('period')}>
        ${periodChoices().map(([k, label]) => html`<option value=${k}>${label}（${k}）</option>`)}
        ${!periodChoices().some(([k]) => k === form.period) && html`<option value=${form.period}>${form.period}</option>`}
      </select>
      <label for="s-village">村（社区）</label>
      <select id="s-village" value=${form.village} onChange=${set('village')}>
        <option value="">全部村（社区）</option>
        ${villages.map((v) => html`<option value=${v.id}>${v.name}</option>`)}
      </select>
      <label for="s-category">类别</label>
      <select id="s-category" value=${form.category} onChange=${set('category')}>
        <option value="">全部类别</option>
        ${TOPICS.map((c) => html`<option value=${c}>${c}</option>`)}
      </select>
      <label for="s-status">状态</label>
      <select id="s-status" value=${form.status} onChange=${set('status')}>
        ${STATES.map(([k, label]) => html`<option value=${k}>${label}</option>`)}
      </select>
      <button type="submit" class="primary" disabled=${!online}>检索</button>
    </form>`}
    ${!online && html`<p class="notice info">检索需要联网。</p>`}
    ${state.error && html`<p class="notice bad" role="alert">${state.error}</p>`}
    <p class="muted" role="status">${state.loading && page === 1 ? '正在检索…' : `共 ${state.total} 条${oversees(user) ? '' : '（只列出交由您办理的）'}`}</p>
    <ul class="plain results">${state.items.map((it) => html`<li key=${it.id} class="card demand" data-id=${it.id}>
      <p><span class="badge">${it.state_label}</span> ${it.source} · ${it.category} · ${it.village_name}</p>
      <p class="muted">${formatTime(it.at)}${it.deputy_name ? ` · ${it.deputy_name}` : ''}</p>
      ${it.recurrence && html`<p class="behind">${it.recurrence.message}（这是第${it.recurrence.n}次）</p>`}
      <p class="content">${it.text}</p>
      ${it.reply && html`<p class="reply">答复：${it.reply}</p>`}
    </li>`)}</ul>
    ${!ids && state.items.length < state.total && html`<button type="button" onClick=${() => setPage(page + 1)} disabled=${state.loading || !online}>显示更多</button>`}`;
}
