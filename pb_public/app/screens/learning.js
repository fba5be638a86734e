// 学习园地: policy explanations, cases, training materials and the rule
// documents staff publish. Articles arrive with the sync pull and live in
// the phone's store, so they open offline; their documents are kept in the
// cache once fetched. Opening an article records that it was read (a read
// receipt, sent by the outbox). Training meetings (季度集训) list their
// materials; presidium members see who has read what.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { oversees } from '../nav.js';
import { listRecords, getRecord, saveLocal, recordKey, deleteRecord, notifyChange } from '../store.js';
import { requestSync } from '../sync.js';
import { useStoreQuery, formatTime, hashParams, isoWithOffset, errorText } from '../ui.js';
import { download } from '../download.js';
import { ARTICLE_CATEGORY } from '../lists.js';

const DOC_CACHE = 'learning-docs';
const MAX_CACHED_DOC = 5 << 20;

// readID is the id of a deputy's read receipt of an article: the same on
// every phone (hooks/learning ReadID), so a receipt is never counted twice.
export async function readID(deputy, article) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`article_read:${deputy}:${article}`));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('').slice(0, 15);
}

const published = (rs) => rs.filter((r) => r.data?.published);

export function Learning({ user, online }) {
  const articles = useStoreQuery(async () => published(await listRecords('articles'))
    .sort((a, b) => String(b.data.published_at).localeCompare(String(a.data.published_at))));
  const reads = useStoreQuery(async () => new Set((await listRecords('article_reads')).map((r) => r.data.article)));
  const [trainings, setTrainings] = useState([]);
  useEffect(() => {
    cachedList('training-meetings', () => pb.collection('meetings').getFullList({ filter: 'kind = "training"', sort: '-starts_at', fields: 'id,title,starts_at,place' }))
      .then(setTrainings);
    // A receipt the server refused (the article was taken down) is no
    // record of the deputy's to keep: it would hold up logging out.
    listRecords('article_reads').then((rs) => Promise.all(rs.filter((r) => r.state === 'failed').map((r) => deleteRecord(r.key))))
      .then((done) => done.length && notifyChange());
  }, [online]);
  useEffect(() => { if (online && articles) cacheDocuments(articles); }, [online, articles?.length]);

  if (!articles || !reads) return html`<h2>学习园地</h2><p class="muted">正在读取…</p>`;
  return html`
    <h2>学习园地</h2>
    <p class="muted">文章同步到手机上，没有网络也能看。</p>
    ${oversees(user) && html`<a class="button" href="#/reading">代表阅读情况</a>`}
    ${!articles.length && html`<p>${online ? '还没有文章，同步后再看。' : '手机上还没有文章：联网同步一次后，没有网络也能看。'}</p>`}
    ${Object.entries(ARTICLE_CATEGORY).map(([value, name]) => {
      const list = articles.filter((a) => a.data.category === value);
      return list.length > 0 && html`<h2>${name}</h2>
        <ul class="plain" aria-label=${name}>${list.map((a) => html`<li key=${a.id}><a class="button pick article-link" href=${'#/article?id=' + a.id}>
          ${a.data.title}${reads.has(a.id) ? html` <span class="badge s-synced">已读</span>` : ''}</a></li>`)}</ul>`;
    })}
    ${trainings.length > 0 && html`<h2>季度集训学习材料</h2>
      ${trainings.map((m) => {
        const materials = articles.filter((a) => (a.data.meetings ?? []).includes(m.id));
        return html`<section class="card" key=${m.id}><h3>${m.title}</h3><p class="muted">${formatTime(m.starts_at)} · ${m.place}</p>
          ${materials.length ? html`<ul>${materials.map((a) => html`<li key=${a.id}><a href=${'#/article?id=' + a.id}>${a.data.title}</a></li>`)}</ul>`
            : html`<p class="muted">尚未上传学习材料。</p>`}</section>`;
      })}`}`;
}

// cacheDocuments keeps the articles' documents (small ones) for offline
// reading, one at a time so a slow link is not flooded.
async function cacheDocuments(articles) {
  if (!globalThis.caches) return;
  const cache = await caches.open(DOC_CACHE);
  for (const a of articles) {
    const url = a.data.document_url;
    if (!url || (await cache.match(url))) continue;
    try {
      const token = await pb.files.getToken();
      const res = await fetch(`${url}?token=${encodeURIComponent(token)}`);
      if (!res.ok || Number(res.headers.get('Content-Length') ?? 0) > MAX_CACHED_DOC) continue;
      await cache.put(url, res);
    } catch { return; /* offline again: next time */ }
  }
}

export function Article({ user, online }) {
  const id = hashParams().get('id');
  const [a, setA] = useState(undefined);
  const [doc, setDoc] = useState(null);
  const [note, setNote] = useState('');
  useEffect(() => {
    getRecord(recordKey('articles', id)).then((r) => setA(r?.data?.published ? r : null));
  }, [id]);
  // Opening it is reading it: the receipt is saved on the phone first.
  useEffect(() => {
    if (!a) return;
    (async () => {
      const rid = await readID(user.id, a.id);
      if (await getRecord(recordKey('article_reads', rid))) return;
      await saveLocal({ collection: 'article_reads', id: rid, data: { article: a.id, read_at: isoWithOffset(new Date()) } });
      requestSync();
    })();
  }, [a?.id]);
  useEffect(() => {
    if (!a?.data.document_url || !globalThis.caches) return;
    caches.open(DOC_CACHE).then((c) => c.match(a.data.document_url)).then(async (hit) => {
      if (hit) setDoc(URL.createObjectURL(await hit.blob()));
    });
  }, [a?.id, online]);

  if (a === undefined) return html`<p class="muted">正在打开…</p>`;
  if (a === null) return html`<h2>学习园地</h2><p>这篇文章不在手机上，或已撤下。联网同步后再看。</p><a class="button" href="#/learning">返回学习园地</a>`;
  const d = a.data;
  async function openOnline() {
    setNote('');
    try {
      const token = await pb.files.getToken();
      window.open(`${d.document_url}?token=${encodeURIComponent(token)}`, '_blank', 'noopener');
    } catch (err) {
      setNote(errorText(err));
    }
  }
  const paragraphs = String(d.body ?? '').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  return html`<article class="article-body">
    <h2>${d.title}</h2>
    <p class="muted">${ARTICLE_CATEGORY[d.category] ?? ''}${d.source ? ' · ' + d.source : ''}${d.published_at ? ' · ' + formatTime(d.published_at).slice(0, 10) : ''}</p>
    ${d.summary && html`<p class="card soft">${d.summary}</p>`}
    ${paragraphs.map((p, i) => html`<p class="pre" key=${i}>${p}</p>`)}
    ${!paragraphs.length && !d.document_url && html`<p class="notice info">原文尚未上传，请等工作人员上传后再看。</p>`}
    ${d.document_url && html`<p>${doc ? html`<a class="button" href=${doc} download=${d.title}>打开原文件（已存在手机上）</a>`
      : html`<button type="button" disabled=${!online} onClick=${openOnline}>打开原文件${online ? '' : '（需要联网）'}</button>`}</p>`}
    ${note && html`<p class="notice bad" role="alert">${note}</p>`}
    <a class="button" href="#/learning">返回学习园地</a>
  </article>`;
}

// Reading: who has read what (presidium; staff in the same view).
export function Reading({ online }) {
  const [list, setList] = useState(null);
  const [open, setOpen] = useState(null);
  const [readers, setReaders] = useState(null);
  const [note, setNote] = useState('');
  useEffect(() => {
    cachedList('learning-overview', () => pb.send('/api/learning/overview', {}).then((r) => r.articles)).then(setList);
  }, [online]);
  useEffect(() => {
    if (!open) return;
    setReaders(null);
    cachedList('learning-readers-' + open, () => pb.send(`/api/learning/articles/${open}/readers`, {}).then((r) => r.readers)).then(setReaders);
  }, [open, online]);
  return html`<h2>代表阅读情况</h2>
    ${note && html`<p class="notice bad" role="alert">${note}</p>`}
    <button type="button" disabled=${!online} onClick=${() => download('/api/learning/reads.xlsx', '学习园地阅读情况.xlsx').catch((e) => setNote(`导出失败：${e.message}`))}>导出阅读情况（Excel）</button>
    ${!list ? html`<p class="muted">正在读取…</p>` : html`<ul class="plain" aria-label="文章">
      ${list.map((a) => html`<li key=${a.id}><button type="button" class="pick" aria-pressed=${open === a.id} onClick=${() => setOpen(a.id)}>
        ${a.title}<br /><span class="muted">已读 ${a.read} / ${a.deputies} 人</span></button>
        ${open === a.id && readers && html`<table><caption class="sr-only">${a.title}的阅读情况</caption>
          <thead><tr><th scope="col">代表</th><th scope="col">村</th><th scope="col">阅读时间</th></tr></thead>
          <tbody>${readers.map((r) => html`<tr key=${r.deputy}><td>${r.name}</td><td>${r.village}</td><td>${r.read_at ? formatTime(r.read_at) : '未读'}</td></tr>`)}</tbody></table>`}
      </li>`)}</ul>`}`;
}
