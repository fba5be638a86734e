// 问题: the problems (急难愁盼) this deputy raised in visits and where each
// stands: open → forwarded (代表直通车) → answered → closed, each state
// with its own badge, the forward's deadline or how far past it, and every
// step with who took it (办理经过).
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { listRecords } from '../store.js';
import { cachedList, pb } from '../api.js';
import { useStoreQuery, StateBadge, formatTime, parseTime } from '../ui.js';
import { ProblemBadge, Timeline, dueText } from './problem-parts.js';

export function Problems({ user, online }) {
  const local = useStoreQuery(async () => {
    const out = [];
    for (const v of await listRecords('visits')) {
      for (const p of v.data.problems ?? []) out.push({ ...p, visit: v });
    }
    return out.sort((a, b) => parseTime(b.visit.data.visited_at) - parseTime(a.visit.data.visited_at));
  });
  const [server, setServer] = useState(null);
  useEffect(() => {
    cachedList('problems', () => pb.collection('problems').getFullList({ filter: pb.filter('deputy = {:me}', { me: user.id }), sort: '-created' }))
      .then(setServer);
  }, [online]);

  // A problem raised in a visit keeps its client-made id on the server.
  if (!local || !server) return html`<h2>我反映的问题</h2><p class="muted">正在读取…</p>`;
  const byId = new Map(server.map((p) => [p.id, p]));
  const list = local;
  const extra = server.filter((p) => !list.some((l) => l.id === p.id));
  return html`
    <h2>我反映的问题（${list.length + extra.length}）</h2>
    ${!list.length && !extra.length && html`<p>还没有问题记录。走访时可以在“反映的问题”里添加。</p>`}
    <ul class="plain" aria-label="问题列表">
      ${list.map((p) => html`<li key=${p.id}><${ProblemCard} p=${p} s=${byId.get(p.id)} online=${online} /></li>`)}
      ${extra.map((s) => html`<li key=${s.id}><${ProblemCard} p=${s} s=${s} online=${online} /></li>`)}
    </ul>`;
}

function ProblemCard({ p, s, online }) {
  const [open, setOpen] = useState(false);
  const status = s?.status;
  const due = s ? dueText(s) : '';
  return html`<article class=${'card problem' + (s?.overdue ? ' overdue' : '')} data-id=${p.id} data-status=${status ?? ''}>
    <p><strong>${p.category}</strong> ${status ? html`<${ProblemBadge} status=${status} />`
      : p.visit && html`<${StateBadge} rec=${p.visit} />`}
      ${s?.overdue && html` <span class="badge s-failed">已逾期，已报主席团督办</span>`}</p>
    <p>${p.description}</p>
    ${p.visit && html`<p class="muted">走访时间 ${formatTime(p.visit.data.visited_at)}</p>`}
    ${s?.forwarded_to && html`<p>承办单位：${s.forwarded_to}${due ? ` · ${due}` : ''}</p>`}
    ${s?.reply && html`<p>答复：${s.reply}</p>`}
    ${s?.reopens > 0 && html`<p class="muted">重新办理 ${s.reopens} 次${s.reopen_reason ? `：${s.reopen_reason}` : ''}</p>`}
    ${s && html`<button type="button" aria-expanded=${open} onClick=${() => setOpen(!open)}>${open ? '收起办理经过' : '办理经过'}</button>
      ${open && html`<${Timeline} id=${s.id} online=${online} />`}`}
  </article>`;
}
