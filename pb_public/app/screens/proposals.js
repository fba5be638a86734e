// 议案建议: a deputy's proposals. A draft (title, body, category, type,
// co-sponsors, attachments) is kept on the phone in IndexedDB and survives
// no signal; 提交 or 邀请附议 sends it with its client-made id when online
// (the server answers "already_have" to a retry, so nothing is filed twice).
// Invitations to co-sponsor (附议) are confirmed or declined here; each
// proposal shows its steps, the unit's reply and, for the sponsor, the
// rating (不满意 needs a reason and sends it back once for 重新办理).
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { getMeta, setMeta, newId, notifyChange } from '../store.js';
import { useStoreQuery, errorText, formatTime } from '../ui.js';
import VOCAB from '../vocab.js';

const PROPOSAL_TYPES_LIST = VOCAB.proposal_types;
const PROPOSAL_RATINGS_LIST = VOCAB.proposal_ratings;

const labels = (terms) => Object.fromEntries(terms.map((t) => [t.value, t.label]));
const STATUS = labels(VOCAB.proposal_statuses);
const TYPES = labels(VOCAB.proposal_types);
const CLASSES = labels(VOCAB.reply_classes);
const RATINGS = labels(VOCAB.proposal_ratings);
const ACTIONS = labels(VOCAB.proposal_actions);
const LIMITS = VOCAB.proposal_limits;
const DRAFTS = 'proposal-drafts';

async function drafts() { return (await getMeta(DRAFTS)) ?? []; }
async function putDraft(d) {
  const list = (await drafts()).filter((x) => x.client_id !== d.client_id);
  await setMeta(DRAFTS, [...list, d]);
  notifyChange();
}
async function dropDraft(id) {
  await setMeta(DRAFTS, (await drafts()).filter((x) => x.client_id !== id));
  notifyChange();
}

// sendDraft files a draft: JSON in "data" and the attachments beside it.
export async function sendDraft(d) {
  const form = new FormData();
  form.append('data', JSON.stringify({ client_id: d.client_id, type: d.type, title: d.title, body: d.body,
    category: d.category, co_invited: d.co_invited, action: d.action }));
  for (const f of d.files ?? []) form.append('attachments', f, f.name || 'attachment');
  return pb.send('/api/proposals', { method: 'POST', body: form });
}

// sendQueued sends the drafts marked to go once online; a refusal stays on
// the draft with its reason.
async function sendQueued() {
  for (const d of await drafts()) {
    if (!d.queued || !navigator.onLine) continue;
    try {
      await sendDraft(d);
      await dropDraft(d.client_id);
    } catch (err) {
      if (err?.status >= 400 && err?.status < 500) await putDraft({ ...d, queued: false, error: errorText(err) });
    }
  }
}

export function Proposals({ user, online }) {
  const local = useStoreQuery(drafts);
  const [server, setServer] = useState(null);
  const [editing, setEditing] = useState(null);
  const [open, setOpen] = useState(null);
  const [tick, setTick] = useState(0);
  const reload = () => setTick((n) => n + 1);
  useEffect(() => {
    let live = true;
    (async () => {
      if (online) await sendQueued();
      const items = await cachedList('proposals-mine', () => pb.collection('proposals').getFullList({ sort: '-created' }));
      if (live) setServer(items);
    })();
    return () => { live = false; };
  }, [online, tick, local?.length]);

  if (editing) {
    return html`<${Editor} user=${user} draft=${editing} online=${online}
      done=${() => { setEditing(null); reload(); }} />`;
  }
  if (open) return html`<${Detail} user=${user} id=${open} back=${() => { setOpen(null); reload(); }} />`;
  if (!local || !server) return html`<h2>议案建议</h2><p class="muted">正在读取…</p>`;
  const invites = server.filter((p) => p.status === 'inviting' && p.sponsor !== user.id && (p.co_invited ?? []).includes(user.id)
    && !(p.co_confirmed ?? []).includes(user.id));
  const mine = server.filter((p) => !invites.includes(p));
  return html`
    <h2>议案建议</h2>
    <button class="primary" type="button" onClick=${() => setEditing({ client_id: newId(), type: 'suggestion', title: '', body: '', category: '', co_invited: [], files: [] })}>写议案建议</button>
    ${invites.length > 0 && html`<h3>邀请我附议（${invites.length}）</h3>
      <ul class="plain" aria-label="附议邀请">${invites.map((p) => html`<li key=${p.id}><${Invite} p=${p} user=${user} done=${reload} /></li>`)}</ul>`}
    ${local.length > 0 && html`<h3>手机上的草稿（${local.length}）</h3>
      <ul class="plain" aria-label="草稿">${local.map((d) => html`<li key=${d.client_id}><article class="card draft" data-id=${d.client_id}>
        <p><strong>${d.title || '（未写标题）'}</strong> <span class="badge s-pending">${d.queued ? '待提交' : '草稿'}</span></p>
        ${d.queued && html`<p class="muted">有信号时自动提交。</p>`}
        ${d.error && html`<p class="reason">未能提交：${d.error}</p>`}
        <button type="button" onClick=${() => setEditing(d)}>继续编辑</button>
      </article></li>`)}</ul>`}
    <h3>我的议案建议（${mine.length}）</h3>
    ${!mine.length && html`<p class="muted">还没有提交过议案建议。</p>`}
    <ul class="plain" aria-label="我的议案建议">${mine.map((p) => html`<li key=${p.id}><article class=${'card proposal' + (p.overdue ? ' overdue' : '')} data-id=${p.id}>
      <p><strong>${p.number ? p.number + ' ' : ''}${p.title}</strong></p>
      <p><span class="badge s-synced">${STATUS[p.status] ?? p.status}</span> ${TYPES[p.type] ?? ''}${p.sponsor !== user.id ? '（附议）' : ''}</p>
      ${p.status === 'answered' && p.sponsor === user.id && html`<p class="reason">单位已答复，请评价</p>`}
      <button type="button" onClick=${() => setOpen(p.id)}>查看办理情况</button>
    </article></li>`)}</ul>`;
}

function Invite({ p, user, done }) {
  const [error, setError] = useState('');
  const act = (action) => pb.send(`/api/proposals/${p.id}/${action}`, { method: 'POST', body: {} })
    .then(done, (e) => setError(errorText(e)));
  return html`<article class="card invite" data-id=${p.id}>
    <p><strong>${p.title}</strong>（${TYPES[p.type] ?? ''}）</p>
    <p class="content">${p.body}</p>
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    <div class="row"><button type="button" onClick=${() => act('confirm')}>确认附议</button>
      <button type="button" onClick=${() => act('decline')}>不附议</button></div>
  </article>`;
}

function Editor({ user, draft, online, done }) {
  const [d, setD] = useState(draft);
  const [deputies, setDeputies] = useState([]);
  const [categories, setCategories] = useState([]);
  const [msg, setMsg] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    cachedList('deputies-names', () => pb.collection('deputies').getFullList({ filter: 'active = true', fields: 'id,name', sort: 'name' }))
      .then((l) => setDeputies(l.filter((x) => x.id !== user.id)));
    cachedList('supervision-settings', () => pb.collection('supervision_settings').getFullList())
      .then((s) => setCategories(s[0]?.categories ?? []));
  }, []);
  const set = (k) => (e) => setD({ ...d, [k]: e.currentTarget.value });
  const keep = async (extra = {}) => { const next = { ...d, ...extra, error: '' }; await putDraft(next); return next; };

  async function send(action) {
    setBusy(true);
    setMsg('');
    try {
      const next = await keep({ action });
      if (!navigator.onLine) {
        await keep({ action, queued: true });
        setMsg('没有网络：已保存在手机上，有信号时自动提交。');
        return;
      }
      await sendDraft(next);
      await dropDraft(next.client_id);
      done();
    } catch (err) {
      setMsg(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  const toggle = (id) => setD({ ...d, co_invited: d.co_invited.includes(id) ? d.co_invited.filter((x) => x !== id) : [...d.co_invited, id] });
  return html`
    <h2>写议案建议</h2>
    <p class="muted">写的内容随时保存在手机上，没有网络也不会丢。${d.type === 'motion' ? '议案须至少5名代表联名（含领衔代表）：先邀请附议，代表在自己的手机上确认后再提交。' : ''}</p>
    <fieldset><legend>类型</legend>
      ${PROPOSAL_TYPES_LIST.map((t) => html`<label class="check"><input type="radio" name="ptype" checked=${d.type === t.value}
        onChange=${() => setD({ ...d, type: t.value })} />${t.label}</label>`)}
    </fieldset>
    <label for="p-title">标题</label>
    <input id="p-title" type="text" maxlength=${LIMITS.title_max} value=${d.title} onInput=${set('title')} />
    <label for="p-category">分类</label>
    <select id="p-category" value=${d.category} onChange=${set('category')}>
      <option value="">请选择</option>${categories.map((c) => html`<option value=${c}>${c}</option>`)}
    </select>
    <label for="p-body">内容（问题、理由和具体建议，至少${LIMITS.body_min}字）</label>
    <textarea id="p-body" maxlength=${LIMITS.body_max} value=${d.body} onInput=${set('body')}></textarea>
    <fieldset><legend>邀请附议的代表（已选 ${d.co_invited.length} 人）</legend>
      ${deputies.map((x) => html`<label class="check"><input type="checkbox" checked=${d.co_invited.includes(x.id)} onChange=${() => toggle(x.id)} />${x.name}</label>`)}
    </fieldset>
    <label for="p-files">附件（选填，照片或文件）</label>
    <input id="p-files" type="file" multiple onChange=${(e) => setD({ ...d, files: [...e.currentTarget.files] })} />
    ${msg && html`<p class="notice info" role="status">${msg}</p>`}
    <button type="button" onClick=${() => keep().then(() => setMsg('草稿已保存在手机上。'))}>保存草稿</button>
    ${d.co_invited.length > 0 && html`<button type="button" disabled=${busy} onClick=${() => send('invite')}>邀请附议</button>`}
    <button class="primary" type="button" disabled=${busy} onClick=${() => send('submit')}>${online ? '提交' : '提交（有信号时发送）'}</button>
    <button type="button" onClick=${done}>返回</button>`;
}

function Detail({ user, id, back }) {
  const [tl, setTl] = useState(null);
  const [error, setError] = useState('');
  const [rating, setRating] = useState('');
  const [comment, setComment] = useState('');
  const load = () => pb.send(`/api/proposals/${id}/timeline`, {}).then(setTl, (e) => setError(errorText(e)));
  useEffect(() => { load(); }, [id]);
  if (!tl) return html`<h2>办理情况</h2>${error ? html`<p class="notice bad">${error}</p>` : html`<p class="muted">正在读取…</p>`}`;
  const p = tl.proposal;
  const act = (action, body = {}) => pb.send(`/api/proposals/${id}/${action}`, { method: 'POST', body })
    .then(() => { setError(''); load(); }, (e) => setError(errorText(e)));
  const mine = p.sponsor === user.id;
  return html`
    <h2>${p.number ? p.number + ' ' : ''}${p.title}</h2>
    <p><span class="badge s-synced">${STATUS[p.status] ?? p.status}</span> ${TYPES[p.type] ?? ''} · ${p.category}</p>
    ${p.overdue && html`<p class="reason">已超过办理期限</p>`}
    <p class="content">${p.body}</p>
    <p>领衔代表：${tl.sponsor?.name}</p>
    ${tl.co_sponsors.length > 0 && html`<p>附议：${tl.co_sponsors.map((c) => c.name + (c.confirmed ? '（已确认）' : '（待确认）')).join('、')}</p>`}
    ${tl.main_unit && html`<p>主办单位：${tl.main_unit.name}${tl.co_units.length ? '；协办：' + tl.co_units.map((u) => u.name).join('、') : ''}</p>`}
    ${p.deadline && html`<p>办理期限：${formatTime(p.deadline).slice(0, 10)}</p>`}
    ${p.reply && html`<section class="card soft reply"><p><strong>答复：${CLASSES[p.reply_class] ?? p.reply_class}</strong></p><p class="content">${p.reply}</p></section>`}
    ${p.rating && html`<p>评价：${RATINGS[p.rating]}</p>`}
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    ${mine && p.status === 'inviting' && html`<button class="primary" type="button" onClick=${() => act('submit')}>提交</button>`}
    ${mine && p.status === 'answered' && html`<fieldset class="rate"><legend>评价办理结果</legend>
      ${PROPOSAL_RATINGS_LIST.map((r) => html`<label class="check"><input type="radio" name="rating" checked=${rating === r.value}
        onChange=${() => setRating(r.value)} />${r.label}</label>`)}
      ${rating === 'unsatisfied' && html`<p class="muted">${p.round >= 2 ? '这是重新办理后的答复，不满意将作为最终评价。' : '不满意将退回承办单位重新办理（只有一次）。'}</p>`}
      <label for="p-comment">意见${rating === 'unsatisfied' ? '（必填）' : '（选填）'}</label>
      <textarea id="p-comment" value=${comment} onInput=${(e) => setComment(e.currentTarget.value)}></textarea>
      <button class="primary" type="button" disabled=${!rating} onClick=${() => act('rate', { rating, comment })}>提交评价</button>
    </fieldset>`}
    <h3>办理过程</h3>
    <ol class="plain">${(tl.events ?? []).map((ev) => html`<li key=${ev.id}>${formatTime(ev.at)} ${ACTIONS[ev.action] ?? ev.action}（${ev.actor_label}）${ev.note ? '：' + ev.note : ''}</li>`)}</ol>
    <button type="button" onClick=${back}>返回</button>`;
}
