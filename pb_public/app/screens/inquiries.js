// 专题询问: the year's special inquiries (the plan: 3–5 projects or topics a
// year). The presidium and staff select them (a 民生实事 project or a topic,
// the answering unit, the inquiry meeting if there is one), record each
// question (which deputy asked) and the answer (the unit's); deputies see
// the year's inquiries with their own questions marked and may write a
// question of their own; a unit answers the questions put to it. Online
// only: the records are the server's (GET /api/collections/inquiries…,
// /api/inquiries/summary for the plan's count).
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { errorText, formatTime, hashParams, YearPicker } from '../ui.js';
import { oversees, roleOf, UNIT } from '../nav.js';
import VOCAB from '../vocab.js';

const STATUSES = VOCAB.inquiry_statuses;
const STATUS = Object.fromEntries(STATUSES.map((t) => [t.value, t.label]));

export function Inquiries({ online, user }) {
  const year = Number(hashParams().get('year')) || new Date().getFullYear();
  const office = oversees(user);
  const isUnit = roleOf(user) === UNIT;
  const [inquiries, setInquiries] = useState(null);
  const [items, setItems] = useState([]);
  const [summary, setSummary] = useState(null);
  const [units, setUnits] = useState({});
  const [deputies, setDeputies] = useState([]);
  const [msg, setMsg] = useState('');
  const [tick, setTick] = useState(0);
  const reload = () => setTick((n) => n + 1);
  useEffect(() => {
    if (!online) return;
    const y = { y: year };
    pb.collection('inquiries').getFullList({ filter: pb.filter('year = {:y}', y), sort: 'created', expand: 'project,meeting' })
      .then(setInquiries, (e) => setMsg(errorText(e)));
    pb.collection('inquiry_items').getFullList({ filter: pb.filter('inquiry.year = {:y}', y), sort: 'created', expand: 'deputy' })
      .then(setItems, () => {});
    pb.send('/api/units/names', {}).then((r) => setUnits(Object.fromEntries(r.items.map((u) => [u.id, u.name]))), () => {});
    if (office) {
      pb.send('/api/inquiries/summary?year=' + year, {}).then(setSummary, () => {});
      pb.collection('deputies').getFullList({ filter: 'active = true', fields: 'id,name', sort: 'name' }).then(setDeputies, () => {});
    }
  }, [online, year, tick]);
  if (!online) return html`<h2>专题询问</h2><p class="notice info">需要联网。</p>`;
  const mine = items.filter((it) => it.deputy === user.id).length;
  return html`
    <h2>专题询问</h2>
    ${!isUnit && html`<${YearPicker} year=${year} route="inquiries" />`}
    ${msg && html`<p class="notice bad" role="alert">${msg}</p>`}
    ${summary && html`<p class=${summary.warning ? 'notice info' : 'muted'}>${year}年已选取 ${summary.inquiries} 项，记录提问 ${summary.questions} 个。${summary.warning ? html`<br />${summary.warning}` : ''}</p>`}
    ${!office && !isUnit && items.length > 0 && html`<p class="muted">本年度您提问 ${mine} 个。</p>`}
    ${inquiries && !inquiries.length && html`<p class="card soft">${year}年还没有专题询问。${office ? '请选取3至5个项目或议题。' : ''}</p>`}
    ${office && html`<${NewInquiry} year=${year} units=${units} done=${reload} />`}
    ${(inquiries ?? []).map((q) => html`<article class="card inquiry" key=${q.id} data-id=${q.id}>
      <p><strong>${q.topic}</strong> <span class="badge s-synced">${STATUS[q.status] ?? q.status}</span></p>
      <p class="muted">${q.expand?.project ? '民生实事：' + q.expand.project.title + ' · ' : ''}应询单位：${units[q.unit] ?? '未定'}${q.expand?.meeting ? ' · ' + q.expand.meeting.title : ''}${q.held_on ? ' · ' + formatTime(q.held_on).slice(0, 10) + ' 召开' : ''}</p>
      ${q.summary && html`<p class="content">${q.summary}</p>`}
      <ol class="questions">${items.filter((it) => it.inquiry === q.id).map((it) => html`<li key=${it.id} class=${'question' + (it.deputy === user.id ? ' mine' : '')}>
        <p><strong>${it.expand?.deputy?.name ?? ''}</strong>${it.deputy === user.id ? '（我）' : ''}问：${it.question}</p>
        ${it.answer ? html`<p class="answer">${it.answered_by || units[q.unit] || '应询单位'}答：${it.answer}</p>`
          : (office || isUnit) ? html`<${Answer} item=${it} done=${reload} />` : html`<p class="muted">尚未记录回答</p>`}
      </li>`)}</ol>
      ${!isUnit && html`<${NewQuestion} inquiry=${q} office=${office} me=${user.id} deputies=${deputies} done=${reload} />`}
      ${office && q.status !== 'held' && html`<button type="button" onClick=${() => pb.collection('inquiries').update(q.id, { status: 'held' })
        .then(reload, (e) => setMsg(errorText(e)))}>标记为已召开</button>`}
    </article>`)}`;
}

// NewInquiry selects a project or a topic for the year's inquiries.
function NewInquiry({ year, units, done }) {
  const empty = { topic: '', project: '', unit: '', meeting: '', status: 'planned' };
  const [open, setOpen] = useState(false);
  const [f, setF] = useState(empty);
  const [projects, setProjects] = useState([]);
  const [meetings, setMeetings] = useState([]);
  const [msg, setMsg] = useState('');
  useEffect(() => {
    if (!open) return;
    pb.collection('projects').getFullList({ filter: pb.filter('year = {:y} && (status = "chosen" || status = "in_progress" || status = "done")', { y: year }), sort: 'rank', fields: 'id,title,unit' })
      .then(setProjects, () => {});
    pb.collection('meetings').getFullList({ filter: 'kind = "inquiry"', sort: '-starts_at', fields: 'id,title,starts_at' }).then(setMeetings, () => {});
  }, [open]);
  if (!open) return html`<button type="button" class="new-inquiry" onClick=${() => setOpen(true)}>选取询问项目或议题</button>`;
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const pickProject = (e) => {
    const p = projects.find((x) => x.id === e.currentTarget.value);
    setF({ ...f, project: p?.id ?? '', topic: f.topic || (p ? p.title + '推进情况' : ''), unit: f.unit || (p?.unit ?? '') });
  };
  const save = () => pb.collection('inquiries').create({ ...f, year })
    .then(() => { setOpen(false); setF(empty); setMsg(''); done(); }, (e) => setMsg(errorText(e)));
  return html`<fieldset class="new-inquiry"><legend>选取询问项目或议题</legend>
    <label for="iq-project">民生实事项目（议题不是项目时不选）</label>
    <select id="iq-project" value=${f.project} onChange=${pickProject}><option value="">不选</option>
      ${projects.map((p) => html`<option value=${p.id}>${p.title}</option>`)}</select>
    <label for="iq-topic">询问议题</label><input id="iq-topic" type="text" value=${f.topic} onInput=${set('topic')} />
    <label for="iq-unit">应询单位</label>
    <select id="iq-unit" value=${f.unit} onChange=${set('unit')}><option value="">${f.project ? '项目责任单位' : '请选择'}</option>
      ${Object.entries(units).map(([id, name]) => html`<option value=${id}>${name}</option>`)}</select>
    <label for="iq-meeting">专题询问会议（已安排时选）</label>
    <select id="iq-meeting" value=${f.meeting} onChange=${set('meeting')}><option value="">暂不关联</option>
      ${meetings.map((m) => html`<option value=${m.id}>${m.title}（${formatTime(m.starts_at).slice(0, 10)}）</option>`)}</select>
    <label for="iq-status">状态</label>
    <select id="iq-status" value=${f.status} onChange=${set('status')}>
      ${STATUSES.map((t) => html`<option value=${t.value}>${t.label}</option>`)}</select>
    <button class="primary" type="button" onClick=${save}>保存</button>
    ${msg && html`<p class="notice bad" role="alert">${msg}</p>`}
  </fieldset>`;
}

// NewQuestion records a question: the office names the deputy who asked;
// a deputy writes their own.
function NewQuestion({ inquiry, office, me, deputies, done }) {
  const [open, setOpen] = useState(false);
  const [f, setF] = useState({ deputy: '', question: '' });
  const [msg, setMsg] = useState('');
  const id = inquiry.id;
  if (!open) return html`<button type="button" class="new-question" onClick=${() => setOpen(true)}>${office ? '记录提问' : '我要提问'}</button>`;
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  // the create rule reads the deputy from the body: a deputy names
  // themself; the office names who asked (the presidium member themself
  // when left empty)
  const deputy = office ? f.deputy || me : me;
  const save = () => pb.collection('inquiry_items').create({ inquiry: id, question: f.question, deputy })
    .then(() => { setOpen(false); setF({ deputy: '', question: '' }); setMsg(''); done(); }, (e) => setMsg(errorText(e)));
  return html`<fieldset class="new-question"><legend>${office ? '记录代表提问' : '我要提问'}</legend>
    ${office && html`<label for=${'nq-d-' + id}>提问的代表</label>
      <select id=${'nq-d-' + id} value=${f.deputy} onChange=${set('deputy')}><option value="">请选择</option>
        ${deputies.map((d) => html`<option value=${d.id}>${d.name}</option>`)}</select>`}
    <label for=${'nq-q-' + id}>询问的问题</label>
    <textarea id=${'nq-q-' + id} value=${f.question} onInput=${set('question')}></textarea>
    <button class="primary" type="button" onClick=${save}>保存提问</button>
    ${msg && html`<p class="notice bad" role="alert">${msg}</p>`}
  </fieldset>`;
}

// Answer records the answering unit's answer to a question.
function Answer({ item, done }) {
  const [open, setOpen] = useState(false);
  const [f, setF] = useState({ answer: '', answered_by: '' });
  const [msg, setMsg] = useState('');
  if (!open) return html`<button type="button" class="record-answer" onClick=${() => setOpen(true)}>记录回答</button>`;
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const save = () => {
    if (!f.answer.trim()) { setMsg('请填写应询单位的回答'); return; }
    pb.collection('inquiry_items').update(item.id, f).then(() => { setOpen(false); done(); }, (e) => setMsg(errorText(e)));
  };
  return html`<fieldset class="answer-form">
    <label for=${'an-a-' + item.id}>应询单位的回答</label>
    <textarea id=${'an-a-' + item.id} value=${f.answer} onInput=${set('answer')}></textarea>
    <label for=${'an-b-' + item.id}>回答人职务（例如 镇应急办主任）</label>
    <input id=${'an-b-' + item.id} type="text" value=${f.answered_by} onInput=${set('answered_by')} />
    <button class="primary" type="button" onClick=${save}>保存回答</button>
    ${msg && html`<p class="notice bad" role="alert">${msg}</p>`}
  </fieldset>`;
}
