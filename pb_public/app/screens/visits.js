// 我的走访: every visit on this phone (made here or pulled from the server)
// with its sync state: 待同步 / 同步中 / 已同步 / 需处理 with the reason.
import { html, useEffect, useState } from '../../vendor/preact-htm.js';
import { listRecords, photoBlobs, FAILED } from '../store.js';
import { retry } from '../outbox.js';
import { requestSync } from '../sync.js';
import { useStoreQuery, StateBadge, Reason, formatTime, parseTime, errorText } from '../ui.js';
import { pb } from '../api.js';

// Received photos are protected files: one short-lived file token serves
// every thumbnail on the screen.
let fileToken = null;
async function withFileToken(urls) {
  if (!urls.length || !navigator.onLine) return urls;
  try {
    if (!fileToken || fileToken.until < Date.now()) fileToken = { token: await pb.files.getToken(), until: Date.now() + 60_000 };
  } catch { return urls; }
  return urls.map((u) => `${u}${u.includes('?') ? '&' : '?'}token=${encodeURIComponent(fileToken.token)}`);
}

export function Visits() {
  const data = useStoreQuery(async () => {
    const [visits, households] = await Promise.all([listRecords('visits'), listRecords('households')]);
    const byId = new Map(households.map((h) => [h.id, h]));
    visits.sort((a, b) => parseTime(b.data.visited_at) - parseTime(a.data.visited_at));
    return { visits, byId, failedHouseholds: households.filter((h) => h.state === FAILED) };
  });
  if (!data) return html`<p>正在读取…</p>`;
  const { visits, byId, failedHouseholds } = data;
  return html`
    <h2>我的走访（${visits.length}）</h2>
    ${!visits.length && html`<p>还没有走访记录。<a href="#/new">记一次走访</a></p>`}
    ${failedHouseholds.map((h) => html`<article class="card" key=${h.key} aria-label=${'走访户 ' + h.data.head_name}>
      <p><strong>新建户：${h.data.head_name}</strong> ${h.data.address} <${StateBadge} rec=${h} /></p>
      <${Reason} rec=${h} />
      <button type="button" onClick=${() => retry(h.key).then(requestSync)}>重新上传</button>
    </article>`)}
    <ul class="plain" aria-label="走访记录">
      ${visits.map((v) => html`<li key=${v.key}><${VisitCard} v=${v} hh=${byId.get(v.data.household)} /></li>`)}
    </ul>`;
}

function VisitCard({ v, hh }) {
  const name = hh ? `${hh.data.head_name}　${hh.data.address}` : '（走访户待同步）';
  return html`<article class="card visit" data-id=${v.id} data-state=${v.state}>
    <p><strong>${name}</strong> <${StateBadge} rec=${v} /></p>
    <p class="muted">${formatTime(v.data.visited_at)}${v.data.topics?.length ? ' · ' + v.data.topics.join('、') : ''}</p>
    ${v.data.notes && html`<p>${v.data.notes}</p>`}
    ${v.data.problems?.length ? html`<p>反映问题 ${v.data.problems.length} 个</p>` : ''}
    <${Photos} v=${v} />
    ${v.data.confirmation?.name && html`<p class="muted">${v.data.confirmation.name} 已确认 ${formatTime(v.data.confirmation.at)}</p>`}
    <${Checks} v=${v} />
    <${Reason} rec=${v} />
    ${v.state === FAILED && html`<button type="button" onClick=${() => retry(v.key).then(requestSync)}>重新上传</button>`}
  </article>`;
}

// Local blobs until synced; the server's thumbnails afterwards.
function Photos({ v }) {
  const [urls, setUrls] = useState([]);
  useEffect(() => {
    let made = [];
    if (v.photos?.length) {
      photoBlobs(v.key).then((rows) => { made = rows.map((r) => URL.createObjectURL(r.blob)); setUrls(made); });
    } else {
      withFileToken(v.photo_urls ?? []).then(setUrls);
    }
    return () => made.forEach((u) => URL.revokeObjectURL(u));
  }, [v.key, v.state, v.photos?.length]);
  const count = v.photos?.length || v.photo_urls?.length || 0;
  if (!count) return null;
  return html`<div class="thumbs">${urls.map((u, i) => html`<img src=${u} alt=${'走访照片' + (i + 1)} loading="lazy" />`)}</div>
    <p class="muted">照片 ${count} 张</p>`;
}

const REVIEW_TEXT = { accepted: '主席团已认可', not_counted: '主席团审核：不计入户数' };

// Checks: the server's plausibility flags on the visit (never silent) and
// the presidium's review, with the deputy's answer to a "not counted".
function Checks({ v }) {
  const flags = Array.isArray(v.data.flags) ? v.data.flags : [];
  const [answer, setAnswer] = useState('');
  const [sent, setSent] = useState('');
  if (!flags.length && !v.data.review) return null;
  async function send() {
    try {
      await pb.send(`/api/verification/visits/${v.id}/answer`, { method: 'POST', body: { text: answer } });
      setSent('答复已送达主席团。'); setAnswer('');
    } catch (err) { setSent(errorText(err)); }
  }
  return html`<div class="flags" aria-label="核查提示">
    ${flags.length > 0 && html`<p><strong>核查提示</strong>（请主席团核实，不影响保存）</p>
      <ul>${flags.map((f) => html`<li key=${f.kind}><strong>${f.label}</strong>：${f.reason}</li>`)}</ul>`}
    ${v.data.review && html`<p><strong>${REVIEW_TEXT[v.data.review]}</strong>${v.data.review_note ? '：' + v.data.review_note : ''}</p>`}
    ${v.data.review === 'not_counted' && html`
      <label for=${'answer-' + v.id}>我的答复</label>
      <textarea id=${'answer-' + v.id} maxlength="500" value=${answer} onInput=${(e) => setAnswer(e.currentTarget.value)}></textarea>
      <button type="button" disabled=${!answer.trim()} onClick=${send}>提交答复</button>
      ${sent && html`<p role="status">${sent}</p>`}`}
  </div>`;
}
