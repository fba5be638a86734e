// 票决管理: staff run the 民生实事 vote at the congress session and the
// 年终评议. A vote prepared in the admin UI (a draft: candidates, seats, K)
// is opened here; deputies who vote on paper are ticked on the register as
// they take a ballot; after closing, once the box is mixed, the paper
// ballots are typed in one by one (never more than were registered); the
// count is public. The year-end evaluation is opened and closed here too.
// Online only.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { errorText } from '../ui.js';
import VOCAB from '../vocab.js';

const PROJECT_SOURCES_LIST = VOCAB.project_sources;

const labels = (terms) => Object.fromEntries(terms.map((t) => [t.value, t.label]));
const VOTE_STATUS = labels(VOCAB.vote_statuses);
const EVAL_STATUS = labels(VOCAB.evaluation_statuses);
const OUTCOMES = { elected: '当选', tied: '票数相同，再次投票', below_majority: '未过半数', not_elected: '未当选' };

export function VoteAdmin({ online }) {
  const [votes, setVotes] = useState(null);
  const [evals, setEvals] = useState(null);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  const reload = () => setTick((n) => n + 1);
  useEffect(() => {
    if (!online) return;
    pb.collection('votes').getFullList({ sort: '-year,-created' }).then(setVotes, (e) => setError(errorText(e)));
    pb.collection('evaluations').getFullList({ sort: '-year,-created' }).then(setEvals, (e) => setError(errorText(e)));
  }, [online, tick]);
  if (!online) return html`<h2>票决管理</h2><p class="notice info">需要联网。</p>`;
  return html`
    <h2>票决管理</h2>
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    <p class="muted">先添加候选项目，再准备票决（人代会、候选名单、拟确定项目数、每票最多可选项数）；开会时在这里开始、登记纸质选票、截止、录入和计票。</p>
    <${NewCandidate} done=${reload} />
    <${NewVote} done=${reload} tick=${tick} />
    ${(votes ?? []).map((v) => html`<${Vote} key=${v.id} v=${v} tick=${tick} done=${reload} />`)}
    ${votes && !votes.length && html`<p>还没有票决。</p>`}
    <h3>年终评议</h3>
    ${(evals ?? []).map((e) => html`<${Evaluation} key=${e.id} ev=${e} done=${reload} />`)}
    ${evals && !evals.length && html`<p>还没有年终评议。</p>`}`;
}

function Vote({ v, tick, done }) {
  const [sheet, setSheet] = useState(null);
  const [deputies, setDeputies] = useState([]);
  const [who, setWho] = useState('');
  const [paper, setPaper] = useState([]);
  const [spoiled, setSpoiled] = useState(false);
  const [msg, setMsg] = useState('');
  useEffect(() => {
    pb.send(`/api/votes/${v.id}/sheet`, {}).then(setSheet, () => {});
    if (v.status === 'open') {
      pb.collection('deputies').getFullList({ filter: 'active = true', fields: 'id,name', sort: 'name' })
        .then((l) => setDeputies(l.filter((d) => (v.expected ?? []).includes(d.id))), () => {});
    }
  }, [v.id, v.status, tick]);
  const act = (path, body = {}, note = '') => pb.send(`/api/votes/${v.id}/${path}`, { method: 'POST', body })
    .then(() => { setMsg(note); done(); }, (e) => setMsg(errorText(e)));
  const name = (id) => sheet?.candidates.find((c) => c.id === id)?.title ?? id;
  return html`<article class="card vote-admin" data-id=${v.id}>
    <p><strong>${v.title}</strong> <span class="badge s-synced">${VOTE_STATUS[v.status] ?? v.status}</span></p>
    <p class="muted">${v.year}年 · 拟确定 ${v.seats} 项，每票最多选 ${v.max_choices} 项${sheet ? ` · 已投票 ${sheet.registered} 人` : ''}</p>
    ${v.status === 'draft' && html`<button class="primary" type="button" onClick=${() => act('open', {}, '票决已开始')}>开始投票</button>`}
    ${v.status === 'open' && html`
      <label for=${'pd-' + v.id}>领取纸质选票的代表</label>
      <select id=${'pd-' + v.id} value=${who} onChange=${(e) => setWho(e.currentTarget.value)}>
        <option value="">请选择</option>${deputies.map((d) => html`<option value=${d.id}>${d.name}</option>`)}</select>
      <button type="button" disabled=${!who} onClick=${() => act('paper/register', { deputy: who }, '已登记领取纸质选票')}>登记领票</button>
      <button class="primary" type="button" onClick=${() => act('close', {}, '投票已截止')}>截止投票</button>`}
    ${v.status === 'closed' && sheet && html`<fieldset class="paper-ballot"><legend>录入一张纸质选票</legend>
      ${sheet.candidates.map((c) => html`<label class="check"><input type="checkbox" checked=${paper.includes(c.id)}
        onChange=${(e) => setPaper(e.currentTarget.checked ? [...paper, c.id] : paper.filter((x) => x !== c.id))} />${c.title}</label>`)}
      <label class="check"><input type="checkbox" checked=${spoiled} onChange=${(e) => setSpoiled(e.currentTarget.checked)} />无法辨认（废票）</label>
      <button type="button" onClick=${() => act('paper/ballots', { ballots: [{ choices: paper, spoiled }] }, '已录入一张').then(() => { setPaper([]); setSpoiled(false); })}>录入这张选票</button>
    </fieldset>
    <button class="primary" type="button" onClick=${() => act('count', {}, '计票完成')}>计票</button>`}
    ${v.status === 'counted' && v.result && html`<table class="result"><thead><tr><th>候选项目</th><th class="num">得票</th><th>结果</th></tr></thead>
      <tbody>${(v.result.lines ?? []).map((l) => html`<tr><td>${name(l.candidate)}</td><td class="num">${l.votes}</td>
        <td>${OUTCOMES[l.outcome] ?? l.outcome}</td></tr>`)}</tbody></table>
      ${v.result.void && html`<p class="reason">${v.result.void}</p>`}`}
    ${msg && html`<p class="notice info" role="status">${msg}</p>`}
  </article>`;
}

function Evaluation({ ev, done }) {
  const [msg, setMsg] = useState('');
  const act = (path) => pb.send(`/api/evaluations/${ev.id}/${path}`, { method: 'POST', body: {} })
    .then(() => { setMsg(''); done(); }, (e) => setMsg(errorText(e)));
  return html`<article class="card eval-admin">
    <p><strong>${ev.title}</strong> <span class="badge s-synced">${EVAL_STATUS[ev.status] ?? ev.status}</span></p>
    ${ev.status === 'draft' && html`<button class="primary" type="button" onClick=${() => act('open')}>开始评议</button>`}
    ${ev.status === 'open' && html`<button class="primary" type="button" onClick=${() => act('close')}>结束评议并公布结果</button>`}
    ${ev.status === 'closed' && html`<p>已公布：参加评议 ${ev.registered} 人。</p>`}
    ${msg && html`<p class="notice bad" role="alert">${msg}</p>`}
  </article>`;
}

// NewCandidate adds a 民生实事 candidate of this year (a proposal's,
// suggestion's or problem's id keeps the link and fills the text).
function NewCandidate({ done }) {
  const year = new Date().getFullYear();
  const empty = { title: '', description: '', est_funds: '', source_kind: 'other', source_id: '' };
  const [f, setF] = useState(empty);
  const [open, setOpen] = useState(false);
  const [msg, setMsg] = useState('');
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  if (!open) return html`<button type="button" onClick=${() => setOpen(true)}>添加候选项目</button>`;
  const save = () => pb.collection('projects').create({ ...f, year, est_funds: Number(f.est_funds) || 0 })
    .then(() => { setF(empty); setMsg('已添加'); done(); }, (e) => setMsg(errorText(e)));
  return html`<fieldset class="new-candidate"><legend>添加${year}年候选项目</legend>
    <label for="nc-kind">来源</label>
    <select id="nc-kind" value=${f.source_kind} onChange=${set('source_kind')}>
      ${PROJECT_SOURCES_LIST.map((t) => html`<option value=${t.value}>${t.label}</option>`)}</select>
    ${f.source_kind !== 'other' && html`<label for="nc-source">来源记录编号</label>
      <input id="nc-source" type="text" value=${f.source_id} onInput=${set('source_id')} />`}
    <label for="nc-title">项目名称${f.source_kind !== 'other' ? '（不填则用来源的标题）' : ''}</label>
    <input id="nc-title" type="text" value=${f.title} onInput=${set('title')} />
    <label for="nc-desc">项目内容</label>
    <textarea id="nc-desc" value=${f.description} onInput=${set('description')}></textarea>
    <label for="nc-funds">估算资金（万元）</label>
    <input id="nc-funds" type="text" inputmode="decimal" value=${f.est_funds} onInput=${set('est_funds')} />
    <button class="primary" type="button" onClick=${save}>保存候选项目</button>
    ${msg && html`<p class="notice info" role="status">${msg}</p>`}
  </fieldset>`;
}

// NewVote prepares a draft vote of this year's candidates at a 人代会.
function NewVote({ done, tick }) {
  const year = new Date().getFullYear();
  const [open, setOpen] = useState(false);
  const [meetings, setMeetings] = useState([]);
  const [cands, setCands] = useState([]);
  const [f, setF] = useState({ meeting: '', candidates: [], seats: '5', max_choices: '5' });
  const [msg, setMsg] = useState('');
  useEffect(() => {
    if (!open) return;
    pb.collection('meetings').getFullList({ filter: 'kind = "congress_session"', sort: '-starts_at' }).then(setMeetings, () => {});
    pb.collection('projects').getFullList({ filter: pb.filter('year = {:y} && status = "candidate"', { y: year }), sort: 'created' })
      .then(setCands, () => {});
  }, [open, tick]);
  if (!open) return html`<button type="button" onClick=${() => setOpen(true)}>准备票决</button>`;
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const save = () => pb.collection('votes').create({ year, title: `${year}年民生实事项目票决`, meeting: f.meeting, candidates: f.candidates,
    seats: Number(f.seats), max_choices: Number(f.max_choices) })
    .then(() => { setOpen(false); done(); }, (e) => setMsg(errorText(e)));
  return html`<fieldset class="new-vote"><legend>准备${year}年票决</legend>
    <label for="nv-meeting">人代会</label>
    <select id="nv-meeting" value=${f.meeting} onChange=${set('meeting')}><option value="">请选择</option>
      ${meetings.map((m) => html`<option value=${m.id}>${m.title}</option>`)}</select>
    <p>候选项目（已选 ${f.candidates.length} 项）</p>
    ${cands.map((c) => html`<label class="check"><input type="checkbox" checked=${f.candidates.includes(c.id)}
      onChange=${(e) => setF({ ...f, candidates: e.currentTarget.checked ? [...f.candidates, c.id] : f.candidates.filter((x) => x !== c.id) })} />${c.title}</label>`)}
    <label for="nv-seats">拟确定项目数</label><input id="nv-seats" type="text" inputmode="numeric" value=${f.seats} onInput=${set('seats')} />
    <label for="nv-k">每票最多可选项数</label><input id="nv-k" type="text" inputmode="numeric" value=${f.max_choices} onInput=${set('max_choices')} />
    <button class="primary" type="button" onClick=${save}>保存票决（准备中）</button>
    ${msg && html`<p class="notice bad" role="alert">${msg}</p>`}
  </fieldset>`;
}
