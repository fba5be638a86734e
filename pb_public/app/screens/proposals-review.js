// 议案办理: the presidium's and the office's side of proposals. The queue
// (submitted ones to 立案, 转为建议 or 不予立案 with the reason; registered
// ones to 交办 to a main unit, co-units and a grade, whose deadline the
// server computes in working days), and the year's 办结率 and 满意率 per
// unit and category ("—" where there is nothing to count), with the Excel
// ledger. Online only.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { errorText, formatTime } from '../ui.js';
import VOCAB from '../vocab.js';

const PROPOSAL_GRADES_LIST = VOCAB.proposal_grades;
const REGISTER_OUTCOMES_LIST = VOCAB.register_outcomes;

const labels = (terms) => Object.fromEntries(terms.map((t) => [t.value, t.label]));
const STATUS = labels(VOCAB.proposal_statuses);
const TYPES = labels(VOCAB.proposal_types);
const pct = (v) => (v == null ? '—' : (v * 100).toFixed(1) + '%');

export function ProposalsReview({ online }) {
  const [queue, setQueue] = useState(null);
  const [units, setUnits] = useState([]);
  const [categories, setCategories] = useState([]);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!online) return;
    pb.collection('proposals').getFullList({ filter: 'status = "submitted" || status = "registered"', sort: 'submitted_at' })
      .then(setQueue, (e) => setError(errorText(e)));
    pb.send('/api/units/names', {}).then((r) => setUnits(r.items), () => {});
    pb.collection('supervision_settings').getFullList().then((s) => setCategories(s[0]?.categories ?? []), () => {});
  }, [online, tick]);
  if (!online) return html`<h2>议案办理</h2><p class="notice info">需要联网。</p>`;
  return html`
    <h2>议案办理</h2>
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    <h3>待办理（${queue ? queue.length : '…'}）</h3>
    ${queue && !queue.length && html`<p class="muted">没有待立案或待交办的议案建议。</p>`}
    <ul class="plain">${(queue ?? []).map((p) => html`<li key=${p.id}><${Step} p=${p} units=${units} categories=${categories}
      done=${() => setTick((n) => n + 1)} /></li>`)}</ul>
    <${Rates} />
    <${Golden} />`;
}

// Golden is the presidium's 金点子 round: nominate from the year's accepted
// proposals, enter the presidium's votes; the server names at most the
// year's places left and, on a tie, asks for the presidium's decision.
function Golden() {
  const year = new Date().getFullYear();
  const [list, setList] = useState(null);
  const [votes, setVotes] = useState({});
  const [round, setRound] = useState(null);
  const [picks, setPicks] = useState([]);
  const [note, setNote] = useState('');
  const [msg, setMsg] = useState('');
  useEffect(() => {
    pb.collection('proposals').getFullList({ filter: pb.filter('year = {:y} && (status = "registered" || status = "assigned" || status = "answered" || status = "closed")', { y: year }), sort: 'number' })
      .then(setList, () => setList([]));
  }, []);
  if (!list) return null;
  const named = list.filter((p) => p.golden_year === year);
  const nominees = Object.keys(votes).filter((id) => votes[id] !== '');
  const submit = () => pb.send(`/api/golden/${year}/rounds`, { method: 'POST', body: {
    nominees, votes: Object.fromEntries(nominees.map((id) => [id, Number(votes[id])])) } })
    .then((r) => { setRound(r); setMsg(r.status === 'decided' ? '评选完成' : '票数相同，请主席团决定'); }, (e) => setMsg(errorText(e)));
  const decide = () => pb.send(`/api/golden/rounds/${round.id}/decide`, { method: 'POST', body: { picks, note } })
    .then(() => { setRound(null); setMsg('评选完成'); }, (e) => setMsg(errorText(e)));
  return html`<section class="card golden" aria-labelledby="golden-title">
    <h3 id="golden-title">${year}年“金点子”评选</h3>
    ${named.length > 0 && html`<p>已评出：${named.map((p) => p.title).join('；')}</p>`}
    <p class="muted">从本年度已立案的议案建议中提名，填写主席团成员的赞成票数；每年最多评出2件。</p>
    ${list.map((p) => html`<div key=${p.id}><label for=${'gv-' + p.id}>${p.number} ${p.title}（赞成票）</label>
      <input id=${'gv-' + p.id} type="text" inputmode="numeric" value=${votes[p.id] ?? ''}
        onInput=${(e) => setVotes({ ...votes, [p.id]: e.currentTarget.value })} /></div>`)}
    <button type="button" disabled=${!nominees.length} onClick=${submit}>提交表决结果</button>
    ${round?.status === 'open' && html`<fieldset><legend>票数相同：主席团决定</legend>
      ${(round.tied ?? []).map((id) => html`<label class="check"><input type="checkbox" checked=${picks.includes(id)}
        onChange=${(e) => setPicks(e.currentTarget.checked ? [...picks, id] : picks.filter((x) => x !== id))} />${list.find((p) => p.id === id)?.title ?? id}</label>`)}
      <label for="golden-note">决定说明</label><textarea id="golden-note" value=${note} onInput=${(e) => setNote(e.currentTarget.value)}></textarea>
      <button type="button" onClick=${decide}>确定</button></fieldset>`}
    ${msg && html`<p class="notice info" role="status">${msg}</p>`}
  </section>`;
}

function Step({ p, units, categories, done }) {
  const [f, setF] = useState({ outcome: 'accept', reason: '', category: p.category, grade: 'normal', main_unit: '', co_units: [] });
  const [error, setError] = useState('');
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const act = (action, body) => pb.send(`/api/proposals/${p.id}/${action}`, { method: 'POST', body }).then(done, (e) => setError(errorText(e)));
  const grades = html`<label for=${'g-' + p.id}>分级</label>
    <select id=${'g-' + p.id} value=${f.grade} onChange=${set('grade')}>${PROPOSAL_GRADES_LIST.map((g) => html`<option value=${g.value}>${g.label}</option>`)}</select>`;
  return html`<article class="card review" data-id=${p.id}>
    <p><strong>${p.number} ${p.title}</strong></p>
    <p><span class="badge s-synced">${STATUS[p.status]}</span> ${TYPES[p.type]} · 提交于 ${formatTime(p.submitted_at).slice(0, 10)}</p>
    <p class="content">${p.body}</p>
    ${p.status === 'submitted' ? html`
      <label for=${'o-' + p.id}>审查结果</label>
      <select id=${'o-' + p.id} value=${f.outcome} onChange=${set('outcome')}>
        ${REGISTER_OUTCOMES_LIST.filter((o) => o.value !== 'convert' || p.type === 'motion').map((o) => html`<option value=${o.value}>${o.label}</option>`)}</select>
      ${f.outcome !== 'accept' && html`<label for=${'r-' + p.id}>理由</label><textarea id=${'r-' + p.id} value=${f.reason} onInput=${set('reason')}></textarea>`}
      <label for=${'c-' + p.id}>分类</label>
      <select id=${'c-' + p.id} value=${f.category} onChange=${set('category')}>${categories.map((c) => html`<option value=${c}>${c}</option>`)}</select>
      ${grades}
      <button class="primary" type="button" onClick=${() => act('register', { outcome: f.outcome, reason: f.reason, category: f.category, grade: f.grade })}>提交审查结果</button>`
    : html`
      <label for=${'u-' + p.id}>主办单位</label>
      <select id=${'u-' + p.id} value=${f.main_unit} onChange=${set('main_unit')}><option value="">请选择</option>
        ${units.map((u) => html`<option value=${u.id}>${u.name}</option>`)}</select>
      <fieldset><legend>协办单位（选填）</legend>${units.filter((u) => u.id !== f.main_unit).map((u) => html`<label class="check">
        <input type="checkbox" checked=${f.co_units.includes(u.id)} onChange=${(e) => setF({ ...f, co_units: e.currentTarget.checked
          ? [...f.co_units, u.id] : f.co_units.filter((x) => x !== u.id) })} />${u.name}</label>`)}</fieldset>
      ${grades}
      <p class="muted">办理期限按分级自动计算（工作日）。</p>
      <button class="primary" type="button" onClick=${() => act('assign', { main_unit: f.main_unit, co_units: f.co_units, grade: f.grade })}>交办</button>`}
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
  </article>`;
}

function Rates() {
  const [year, setYear] = useState(new Date().getFullYear());
  const [r, setR] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => { pb.send('/api/proposals/rates', { query: { year } }).then(setR, (e) => setError(errorText(e))); }, [year]);
  const table = (rows, what) => (!rows.length ? html`<p class="muted">${what}：暂无应办件数</p>` : html`<table class="rates"><thead><tr><th>${what}</th><th class="num" style="white-space:nowrap">应办件数</th><th class="num" style="white-space:nowrap">办结率</th><th class="num" style="white-space:nowrap">满意率</th></tr></thead>
    <tbody>${rows.map((x) => html`<tr><td>${x.name}</td><td class="num">${x.handled}</td><td class="num">${pct(x.completion_rate)}</td><td class="num">${pct(x.satisfaction_rate)}</td></tr>`)}</tbody></table>`);
  return html`<section class="card" aria-labelledby="rates-title">
    <h3 id="rates-title">${year}年办结率、满意率</h3>
    <div class="row"><button type="button" onClick=${() => setYear(year - 1)}>上一年</button>
      <button type="button" onClick=${() => setYear(year + 1)} disabled=${year >= new Date().getFullYear()}>下一年</button></div>
    ${error && html`<p class="notice bad">${error}</p>`}
    ${r && html`
      <p>应办 <strong>${r.total.handled}</strong> 件，办结 ${r.total.concluded} 件，办结率 <strong class="completion">${pct(r.total.completion_rate)}</strong>；
        已评价 ${r.total.rated} 件，满意率 <strong class="satisfaction">${pct(r.total.satisfaction_rate)}</strong>（其中满意 ${pct(r.total.full_satisfaction_rate)}）；
        逾期未答复 ${r.total.overdue} 件。</p>
      ${table(r.by_unit, '主办单位')}
      ${table(r.by_category, '议案建议分类')}
      <details><summary>指标怎么算</summary><ul>${Object.values(r.definitions).map((d) => html`<li>${d}</li>`)}</ul></details>
      <p><a class="button" href=${`/api/proposals/export.xlsx?year=${year}`} onClick=${(e) => { e.preventDefault(); download(year); }}>导出Excel台账</a></p>`}
  </section>`;
}

// download fetches the workbook with the login's token (a plain link
// would carry none) and saves it.
async function download(year) {
  const res = await fetch(`/api/proposals/export.xlsx?year=${year}`, { headers: { Authorization: pb.authStore.token } });
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: `议案建议办理台账-${year}.xlsx` });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
