// Pieces the problem screens share: the status badge (each state its own
// colour and words), the deadline in words, and a problem's steps read
// from GET /api/problems/{id}/timeline (kept for offline viewing).
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { formatTime, parseTime } from '../ui.js';
import { PROBLEM_STATUS } from '../lists.js';

// ProblemBadge: 待办 grey, 已转办 amber, 已答复 blue, 已办结 green.
export function ProblemBadge({ status }) {
  return html`<span class=${'badge p-' + status} data-status=${status}>${PROBLEM_STATUS[status] ?? status}</span>`;
}

const DAY = 86_400_000;

// dueText is the forward's deadline and how long is left, or how far past.
export function dueText(p, now = new Date()) {
  if (p.status !== 'forwarded' || !p.deadline) return '';
  const due = parseTime(p.deadline);
  const left = due.getTime() - now.getTime();
  const day = formatTime(p.deadline).slice(0, 10);
  if (left < 0) return `办理期限 ${day}，已逾期 ${Math.max(1, Math.ceil(-left / DAY))} 天`;
  return `办理期限 ${day}，还剩 ${Math.max(1, Math.ceil(left / DAY))} 天`;
}

const ACTIONS = { raise: '提出', forward: '转办', answer: '答复', close: '办结', reopen: '重新办理', escalate: '逾期督办' };

// Timeline lists every step of problem id: what, when, by whom.
export function Timeline({ id, online }) {
  const [events, setEvents] = useState(null);
  useEffect(() => {
    cachedList(`problem-timeline-${id}`, () => pb.send(`/api/problems/${id}/timeline`, {}).then((r) => r.events))
      .then(setEvents);
  }, [id, online]);
  if (events === null) return html`<p class="muted">正在读取办理经过…</p>`;
  if (!events.length) return html`<p class="muted">${online ? '还没有办理经过。' : '需要联网才能查看办理经过。'}</p>`;
  return html`<ol class="timeline" aria-label="办理经过">
    ${events.map((e, i) => html`<li key=${i} data-action=${e.action}>
      <strong>${ACTIONS[e.action] ?? e.action}</strong> <span class="muted">${formatTime(e.at)} · ${e.actor_label}</span>
      ${e.note && html`<br />${e.action === 'forward' ? '承办单位：' : e.action === 'answer' ? '答复：' : e.action === 'reopen' ? '理由：' : ''}${e.note}`}
      ${e.action === 'forward' && e.deadline && html`<br /><span class="muted">办理期限 ${formatTime(e.deadline).slice(0, 10)}</span>`}
    </li>`)}
  </ol>`;
}
