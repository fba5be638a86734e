// 调研报告: a deputy files a research report (the document and its
// summary), linked to the 云端议事 topics and surveys it drew on; the
// presidium accepts it (then it counts in the assessment) or returns it
// with a note, and its author reworks it. Online: the document is uploaded
// with it.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { oversees } from '../nav.js';
import { formatTime, errorText } from '../ui.js';
import { fileURL } from '../download.js';
import { RESEARCH_STATUS } from '../lists.js';
const STATUS_CLASS = { submitted: 's-pending', accepted: 's-synced', returned: 's-failed' };

export function Reports({ user, online }) {
  const [list, setList] = useState(null);
  const [note, setNote] = useState('');
  const [reload, setReload] = useState(0);
  useEffect(() => {
    cachedList('research-reports', () => pb.collection('research_reports').getFullList({ sort: '-filed_at', expand: 'deputy' })).then(setList);
  }, [online, reload]);

  async function review(r, body, done) {
    setNote('');
    try {
      await pb.collection('research_reports').update(r.id, body);
      setNote(done);
      setReload((n) => n + 1);
    } catch (err) {
      setNote(`操作失败：${errorText(err)}`);
    }
  }
  return html`<h2>调研报告</h2>
    <p class="muted">围绕群众关心的问题开展微调研、微协商后形成的报告，经主席团采纳后计入量化考核。</p>
    <a class="button primary" href="#/report-new">提交调研报告</a>
    ${note && html`<p class="notice info" role="status">${note}</p>`}
    ${!list ? html`<p class="muted">正在读取…</p>` : !list.length ? html`<p>还没有调研报告。</p>` : html`<ul class="plain" aria-label="调研报告">
      ${list.map((r) => html`<li key=${r.id}><${ReportCard} r=${r} user=${user} online=${online} review=${review} /></li>`)}</ul>`}`;
}

function ReportCard({ r, user, online, review }) {
  const [reason, setReason] = useState('');
  const [url, setUrl] = useState('');
  const involved = r.deputy === user.id || (r.coauthors ?? []).includes(user.id);
  useEffect(() => { if (online && r.document) fileURL(r, r.document).then(setUrl, () => {}); }, [r.id, online]);
  return html`<article class="card report" data-id=${r.id}>
    <p><strong>${r.title}</strong> <span class=${'badge ' + (STATUS_CLASS[r.status] ?? '')}>${RESEARCH_STATUS[r.status]}</span></p>
    <p class="muted">${r.expand?.deputy?.name ?? ''} · ${formatTime(r.filed_at).slice(0, 10)}</p>
    <p class="pre">${r.summary}</p>
    ${url && html`<p><a href=${url} target="_blank" rel="noopener">查看报告全文</a></p>`}
    ${r.review_note && html`<p>主席团意见：${r.review_note}</p>`}
    ${oversees(user) && !involved && r.status === 'submitted' && html`<div>
      <label for=${'note-' + r.id}>审阅意见（退回时必填）</label>
      <textarea id=${'note-' + r.id} value=${reason} onInput=${(e) => setReason(e.target.value)}></textarea>
      <div class="row">
        <button type="button" disabled=${!online} onClick=${() => review(r, { status: 'accepted', review_note: reason }, '已采纳，计入量化考核。')}>采纳</button>
        <button type="button" disabled=${!online} onClick=${() => review(r, { status: 'returned', review_note: reason }, '已退回修改。')}>退回修改</button>
      </div></div>`}
  </article>`;
}

export function NewReport({ user, online }) {
  const [form, setForm] = useState({ title: '', summary: '', coauthors: [], topics: [], surveys: [] });
  const [file, setFile] = useState(null);
  const [deputies, setDeputies] = useState([]);
  const [topics, setTopics] = useState([]);
  const [surveys, setSurveys] = useState([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    cachedList('deputies-names', () => pb.collection('deputies').getFullList({ filter: 'active = true', sort: 'name', fields: 'id,name' })).then(setDeputies);
    cachedList('topics', () => pb.collection('topics').getFullList({ sort: '-created' })).then(setTopics);
    cachedList('surveys', () => pb.collection('surveys').getFullList({ sort: '-created', fields: 'id,title,status,closes_at,responses,code' })).then(setSurveys);
  }, [online]);
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.value });
  const toggle = (k, id) => setForm({ ...form, [k]: form[k].includes(id) ? form[k].filter((x) => x !== id) : [...form[k], id] });

  async function submit(ev) {
    ev.preventDefault();
    setError('');
    if (!file) { setError('请选择报告全文（PDF、Word或图片）'); return; }
    const data = new FormData();
    data.append('title', form.title);
    data.append('summary', form.summary);
    data.append('deputy', user.id);
    for (const k of ['coauthors', 'topics', 'surveys']) for (const id of form[k]) data.append(k, id);
    data.append('document', file);
    setBusy(true);
    try {
      await pb.collection('research_reports').create(data);
      location.hash = '#/reports';
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  const pick = (k, items, name) => html`<fieldset><legend>${name}（可不选）</legend>
    ${items.map((x) => html`<label class="check" key=${x.id}><input type="checkbox" checked=${form[k].includes(x.id)} onChange=${() => toggle(k, x.id)} />${x.title ?? x.name}</label>`)}</fieldset>`;
  return html`<form onSubmit=${submit}><h2>提交调研报告</h2>
    ${!online && html`<p class="notice bad">需要联网才能提交（报告全文要一起上传）。</p>`}
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    <label for="r-title">报告题目</label><input id="r-title" type="text" maxlength="100" value=${form.title} onInput=${set('title')} />
    <label for="r-summary">内容摘要（至少50个字：调研了什么、发现什么问题、提出什么建议）</label>
    <textarea id="r-summary" maxlength="3000" value=${form.summary} onInput=${set('summary')}></textarea>
    <label for="r-doc">报告全文（PDF、Word或图片，不超过20MB）</label>
    <input id="r-doc" type="file" accept=".pdf,.doc,.docx,image/*" onChange=${(e) => setFile(e.target.files[0] ?? null)} />
    ${pick('coauthors', deputies.filter((d) => d.id !== user.id), '共同调研的代表')}
    ${pick('topics', topics, '依据的云端议事议题')}
    ${pick('surveys', surveys, '依据的微调研')}
    <button type="submit" class="primary" disabled=${!online || busy}>${busy ? '正在上传…' : '提交'}</button></form>`;
}
