// 云端议事: topics the presidium opens to deputies and residents. A deputy
// reads the background and everyone's comments and comments themself —
// offline too: the comment is saved on the phone and goes up with the
// outbox (docs/SYNC.md). Presidium members also open topics, approve
// residents' comments before they are public, close a topic with its
// conclusion and turn it into a problem or a proposal.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { oversees, roleOf, STAFF } from '../nav.js';
import { saveLocal, listRecords, newId, deleteRecord, notifyChange } from '../store.js';
import { requestSync } from '../sync.js';
import { useStoreQuery, StateBadge, Reason, formatTime, errorText, hashParams, isoWithOffset, localInputValue, parseTime } from '../ui.js';
import { retry } from '../outbox.js';
import { fileURL } from '../download.js';
import { TOPICS, TOPIC_STATUS, TOPIC_AUDIENCE, TOPIC_OUTCOME, COMMENT_MODERATION } from '../lists.js';

// open reports whether t still takes comments (the server decides; this
// only hides the form once the deadline passed).
const takesComments = (t) => t.status === 'open' && parseTime(t.deadline) > new Date();

export function Topics({ user, online }) {
  const [list, setList] = useState(null);
  useEffect(() => {
    cachedList('topics', () => pb.collection('topics').getFullList({ sort: '-created' })).then(setList);
  }, [online]);
  if (!list) return html`<h2>云端议事</h2><p class="muted">正在读取…</p>`;
  const groups = ['open', 'closed', 'draft'].map((s) => [TOPIC_STATUS[s], list.filter((t) => t.status === s)]);
  return html`
    <h2>云端议事</h2>
    <p class="muted">主席团就群众关心的事征求代表和群众意见，形成结论后跟踪办理。</p>
    ${oversees(user) && html`<a class="button primary" href="#/topic-new">发起议题</a>`}
    ${!list.length && html`<p>${online ? '还没有议题。' : '没有网络，也没有保存过的议题。'}</p>`}
    ${groups.filter(([, ts]) => ts.length).map(([title, ts]) => html`
      <h2>${title}（${ts.length}）</h2>
      <ul class="plain" aria-label=${title}>
        ${ts.map((t) => html`<li key=${t.id}><a class="button pick topic-link" href=${'#/topic?id=' + t.id}>
          ${t.title}<br /><span class="muted">${TOPIC_AUDIENCE[t.audience]} · 截止 ${formatTime(t.deadline)}</span></a></li>`)}
      </ul>`)}`;
}

export function Topic({ user, online }) {
  const id = hashParams().get('id');
  const [topic, setTopic] = useState(null);
  const [comments, setComments] = useState([]);
  const [reload, setReload] = useState(0);
  const [note, setNote] = useState('');
  const mine = useStoreQuery(async () => (await listRecords('topic_comments')).filter((r) => r.data.topic === id), [id]);

  useEffect(() => {
    cachedList('topic-' + id, () => pb.collection('topics').getOne(id)).then((t) => setTopic(Array.isArray(t) ? null : t));
    cachedList('topic-comments-' + id, () => pb.collection('topic_comments').getFullList({
      filter: pb.filter('topic = {:id}', { id }), sort: 'created', expand: 'deputy,village',
    })).then(setComments);
  }, [id, online, reload]);

  if (!topic) return html`<h2>云端议事</h2><p class="muted">${online ? '正在读取…' : '没有网络，也没有保存过这个议题。'}</p>`;
  const canComment = roleOf(user) !== STAFF && (topic.audience === 'deputies' || topic.audience === 'both') && takesComments(topic);
  const serverIds = new Set(comments.map((c) => c.id));
  const local = (mine ?? []).filter((r) => r.state !== 'synced' || !serverIds.has(r.id));
  const shown = comments.filter((c) => c.moderation === 'approved' || c.deputy === user.id);
  const pending = comments.filter((c) => c.moderation === 'pending');

  async function act(fn, done) {
    setNote('');
    try {
      await fn();
      setNote(done);
      setReload((n) => n + 1);
    } catch (err) {
      setNote(`操作失败：${errorText(err)}`);
    }
  }

  return html`
    <h2>${topic.title}</h2>
    <p class="muted">${TOPIC_STATUS[topic.status]} · 征求${TOPIC_AUDIENCE[topic.audience]}意见 · 截止 ${formatTime(topic.deadline)}</p>
    ${note && html`<p class="notice info" role="status">${note}</p>`}
    <section class="card"><h2>背景情况</h2><p class="pre">${topic.background}</p>
      ${topic.attachments?.length > 0 && html`<${Attachments} topic=${topic} online=${online} />`}
    </section>
    ${topic.status === 'closed' && html`<section class="card soft"><h2>议事结论</h2><p class="pre">${topic.conclusion}</p>
      ${topic.outcome && html`<p class="muted">${TOPIC_OUTCOME[topic.outcome]}</p>`}</section>`}
    ${(topic.audience === 'residents' || topic.audience === 'both') && topic.status !== 'draft' && html`<${PublicLink} topic=${topic} />`}

    <h2>意见（${shown.length + local.length}）</h2>
    <ul class="plain" aria-label="意见">
      ${shown.map((c) => html`<li key=${c.id}><article class="card comment" data-id=${c.id}>
        <p class="muted">${who(c)} · ${formatTime(c.written_at || c.created)}${c.moderation !== 'approved' ? ` · ${COMMENT_MODERATION[c.moderation]}` : ''}</p>
        <p class="pre">${c.body}</p></article></li>`)}
      ${local.map((r) => html`<li key=${r.key}><article class="card comment mine" data-id=${r.id} data-state=${r.state}>
        <p class="muted">我 · ${formatTime(r.data.written_at)} <${StateBadge} rec=${r} /></p>
        <p class="pre">${r.data.body}</p><${Reason} rec=${r} />
        ${r.state === 'failed' && html`<div class="row"><button type="button" onClick=${() => retry(r.key)}>重新上传</button>
          <button type="button" onClick=${() => deleteRecord(r.key).then(notifyChange)}>删除本机这条意见</button></div>`}</article></li>`)}
    </ul>
    ${canComment && html`<${CommentForm} topic=${topic} />`}
    ${oversees(user) && html`<${PresidiumDesk} topic=${topic} pending=${pending} online=${online} act=${act} />`}`;
}

function who(c) {
  if (c.author === 'deputy') return `代表 ${c.expand?.deputy?.name ?? ''}`;
  return `${c.expand?.village?.name ?? ''}群众`;
}

// CommentForm saves the comment on the phone first; the outbox sends it.
function CommentForm({ topic }) {
  const [body, setBody] = useState('');
  const [saved, setSaved] = useState('');
  const [error, setError] = useState('');
  async function submit(ev) {
    ev.preventDefault();
    const text = body.trim();
    if (text.length < 2) { setError('请填写意见（至少2个字）'); return; }
    setError('');
    await saveLocal({ collection: 'topic_comments', id: newId(), data: { topic: topic.id, body: text, written_at: isoWithOffset(new Date()) } });
    setBody('');
    setSaved('意见已保存在手机上，有网络时自动上传。');
    requestSync();
  }
  return html`<form class="card" onSubmit=${submit}>
    <label for="comment-body">我的意见</label>
    ${error && html`<p class="reason" id="err-body" role="alert">${error}</p>`}
    <textarea id="comment-body" maxlength="1000" value=${body} aria-describedby=${error ? 'err-body' : undefined}
      onInput=${(e) => setBody(e.target.value)}></textarea>
    <button type="submit" class="primary">发表意见</button>
    ${saved && html`<p class="notice ok" role="status">${saved}</p>`}
  </form>`;
}

function Attachments({ topic, online }) {
  const [urls, setUrls] = useState(null);
  useEffect(() => {
    if (!online) return;
    Promise.all(topic.attachments.map((f) => fileURL(topic, f))).then(setUrls, () => setUrls(null));
  }, [topic.id, online]);
  return html`<ul aria-label="附件">${topic.attachments.map((f, i) => html`<li key=${f}>
    ${urls ? html`<a href=${urls[i]} target="_blank" rel="noopener">附件${i + 1}</a>` : html`附件${i + 1}（联网后可打开）`}</li>`)}</ul>`;
}

// PublicLink shows where residents comment: the page and its QR code.
function PublicLink({ topic }) {
  const path = '/topic/' + topic.code;
  return html`<section class="card"><h2>群众扫码发表意见</h2>
    <p>群众用微信扫下面的二维码，或打开 <a href=${path}>${location.origin}${path}</a>。群众的意见经主席团审核后公开。</p>
    <img class="qr" src=${path + '/qr.svg'} alt="议题二维码" width="200" height="200" /></section>`;
}

function PresidiumDesk({ topic, pending, online, act }) {
  const [conclusion, setConclusion] = useState('');
  const [category, setCategory] = useState('');
  const id = topic.id;
  const comments = pb.collection('topic_comments');
  const topics = pb.collection('topics');
  return html`<section class="card soft" aria-labelledby="desk-title"><h2 id="desk-title">主席团</h2>
    ${!online && html`<p class="notice bad">需要联网才能审核和结束议题。</p>`}
    ${topic.status === 'draft' && html`<button type="button" class="primary" disabled=${!online}
      onClick=${() => act(() => topics.update(id, { status: 'open' }), '议题已开始征求意见。')}>开始征求意见</button>`}
    ${pending.length > 0 && html`<h3>待审核的群众意见（${pending.length}）</h3>
      <ul class="plain" aria-label="待审核的群众意见">${pending.map((c) => html`<li key=${c.id}><article class="card pending" data-id=${c.id}>
        <p class="muted">${who(c)} · ${formatTime(c.created)}</p><p class="pre">${c.body}</p>
        <div class="row">
          <button type="button" disabled=${!online} onClick=${() => act(() => comments.update(c.id, { moderation: 'approved' }), '已公开。')}>通过并公开</button>
          <button type="button" disabled=${!online} onClick=${() => act(() => comments.update(c.id, { moderation: 'rejected' }), '已不予公开。')}>不予公开</button>
        </div></article></li>`)}</ul>`}
    ${topic.status === 'open' && html`<form onSubmit=${(ev) => { ev.preventDefault(); act(() => topics.update(id, { status: 'closed', conclusion }), '议题已形成结论。'); }}>
      <label for="conclusion">议事结论（至少10个字，填写后不能修改）</label>
      <textarea id="conclusion" maxlength="2000" value=${conclusion} onInput=${(e) => setConclusion(e.target.value)}></textarea>
      <button type="submit" disabled=${!online}>形成结论，结束议题</button></form>`}
    ${topic.status === 'closed' && !topic.outcome && html`<div>
      <label for="outcome-category">转为急难愁盼问题的类别</label>
      <select id="outcome-category" value=${category} onChange=${(e) => setCategory(e.target.value)}>
        <option value="">请选择</option>${TOPICS.map((t) => html`<option value=${t}>${t}</option>`)}</select>
      <div class="row">
        <button type="button" disabled=${!online} onClick=${() => act(() => pb.send(`/api/deliberation/topics/${id}/convert`, { method: 'POST', body: { to: 'problem', category } }), '已转为急难愁盼问题，进入代表直通车。')}>转为问题</button>
        <button type="button" disabled=${!online} onClick=${() => act(() => pb.send(`/api/deliberation/topics/${id}/convert`, { method: 'POST', body: { to: 'proposal' } }), '已转为议案建议。')}>转为议案建议</button>
      </div></div>`}
  </section>`;
}

// NewTopic: the presidium opens a topic (or keeps a draft).
export function NewTopic({ online }) {
  const soon = new Date(Date.now() + 7 * 24 * 3600e3);
  const [form, setForm] = useState({ title: '', background: '', audience: 'both', deadline: localInputValue(soon) });
  const [error, setError] = useState('');
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.value });
  async function save(status) {
    setError('');
    try {
      const t = await pb.collection('topics').create({ ...form, status, deadline: new Date(form.deadline).toISOString() });
      location.hash = '#/topic?id=' + t.id;
    } catch (err) {
      setError(errorText(err));
    }
  }
  return html`<h2>发起议题</h2>
    ${!online && html`<p class="notice bad">需要联网才能发起议题。</p>`}
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    <label for="t-title">议题</label><input id="t-title" type="text" maxlength="100" value=${form.title} onInput=${set('title')} />
    <label for="t-background">背景情况（为什么议、议什么）</label>
    <textarea id="t-background" maxlength="3000" value=${form.background} onInput=${set('background')}></textarea>
    <label for="t-audience">征求谁的意见</label>
    <select id="t-audience" value=${form.audience} onChange=${set('audience')}>
      ${Object.entries(TOPIC_AUDIENCE).map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select>
    <label for="t-deadline">截止时间</label>
    <input id="t-deadline" type="datetime-local" value=${form.deadline} onInput=${set('deadline')} />
    <button type="button" class="primary" disabled=${!online} onClick=${() => save('open')}>发布并开始征求意见</button>
    <button type="button" disabled=${!online} onClick=${() => save('draft')}>存为草稿</button>`;
}
