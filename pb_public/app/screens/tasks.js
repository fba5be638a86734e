// 会后督办: follow-up tasks of the meetings. A deputy sees the tasks they
// own, each with its deadline and overdue flag, reports progress on it
// (meeting_task_progress) and closes it with the result; the presidium and
// staff see every task not done, overdue first, and who it was escalated
// to. Online only for reporting; the last list read is kept offline.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { formatTime, parseTime, errorText } from '../ui.js';
import { TASK_STATUS } from '../lists.js';

const STATUS_CLASS = { open: 'p-open', in_progress: 'p-forwarded', done: 'p-closed' };

export function Tasks({ user, online }) {
  const oversee = !!user.presidium || user.collectionName === 'staff';
  const [scope, setScope] = useState(oversee ? 'all' : 'mine');
  const [list, setList] = useState(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    const filter = scope === 'mine' ? pb.filter('owner_deputy = {:me}', { me: user.id }) : 'status != "done"';
    cachedList(`tasks-${scope}`, () => pb.collection('meeting_tasks').getFullList({
      filter, sort: '-overdue,deadline', expand: 'meeting,owner_deputy,escalated_to',
    })).then(setList);
  }, [online, scope, reload]);
  const overdue = (list ?? []).filter((t) => t.overdue && t.status !== 'done').length;
  return html`
    <h2>会后督办${list ? `（${list.length}）` : ''}</h2>
    <p class="muted">会议决定的事项逐件督办：按时限办结，逾期报主席团督办。</p>
    ${oversee && html`<div class="row" role="group" aria-label="显示哪些事项">
      <button type="button" class=${scope === 'all' ? 'primary' : ''} aria-pressed=${scope === 'all'} onClick=${() => setScope('all')}>全镇未办结</button>
      <button type="button" class=${scope === 'mine' ? 'primary' : ''} aria-pressed=${scope === 'mine'} onClick=${() => setScope('mine')}>我负责的</button>
    </div>`}
    ${overdue > 0 && html`<p class="notice bad" role="status">有 ${overdue} 件已逾期。</p>`}
    ${list === null ? html`<p class="muted">正在读取…</p>`
      : !list.length ? html`<p>${scope === 'mine' ? '没有交给您跟踪的督办事项。' : '没有未办结的督办事项。'}</p>`
      : html`<ul class="plain" aria-label="督办事项">${list.map((t) => html`<li key=${t.id}>
          <${TaskCard} t=${t} mine=${t.owner_deputy === user.id} online=${online} reload=${reload} onDone=${() => setReload((n) => n + 1)} /></li>`)}</ul>`}`;
}

function TaskCard({ t, mine, online, reload, onDone }) {
  const [note, setNote] = useState('');
  const [result, setResult] = useState('');
  const [msg, setMsg] = useState(null);
  const [busy, setBusy] = useState(false);
  const [reports, setReports] = useState(null);
  const id = (k) => `${k}-${t.id}`;
  useEffect(() => {
    cachedList(`task-progress-${t.id}`, () => pb.collection('meeting_task_progress').getFullList({
      filter: pb.filter('task = {:t}', { t: t.id }), sort: 'created',
    })).then(setReports);
  }, [t.id, online, reload]);

  async function run(fn, done) {
    setBusy(true);
    setMsg(null);
    try {
      await fn();
      setNote('');
      setResult('');
      setMsg({ ok: true, text: done });
      onDone();
    } catch (err) {
      setMsg({ ok: false, text: `未保存：${errorText(err)}` });
    } finally {
      setBusy(false);
    }
  }

  const late = t.status !== 'done' && t.overdue;
  const daysLeft = Math.ceil((parseTime(t.deadline).getTime() - Date.now()) / 86_400_000);
  return html`<article class=${'card task' + (late ? ' overdue' : '')} data-id=${t.id} data-status=${t.status}>
    <p><strong>${t.title}</strong> <span class=${'badge ' + (STATUS_CLASS[t.status] ?? '')}>${TASK_STATUS[t.status] ?? t.status}</span>
      ${late && html` <span class="badge s-failed">已逾期，已报主席团督办</span>`}</p>
    <p class="muted">${t.expand?.meeting?.title ?? ''} · 责任单位 ${t.owner}${t.expand?.owner_deputy ? ` · 跟踪代表 ${t.expand.owner_deputy.name}` : ''}</p>
    <p>办结时限 ${formatTime(t.deadline).slice(0, 10)}${t.status !== 'done' && daysLeft >= 0 ? `（还剩 ${daysLeft} 天）` : ''}
      ${t.escalated_to && t.expand?.escalated_to ? ` · 督办：${t.expand.escalated_to.name}` : ''}</p>
    ${t.result && html`<p>办理结果：${t.result}${t.done_at ? `（${formatTime(t.done_at).slice(0, 10)}）` : ''}</p>`}
    ${reports?.length > 0 && html`<ol class="timeline" aria-label="进展">${reports.map((r) => html`<li key=${r.id}>
      <span class="muted">${formatTime(r.created).slice(0, 10)}</span> ${r.note}</li>`)}</ol>`}
    ${msg && html`<p class=${'notice ' + (msg.ok ? 'ok' : 'bad')} role=${msg.ok ? 'status' : 'alert'}>${msg.text}</p>`}
    ${online && mine && t.status !== 'done' && html`<div class="task-actions">
      <label for=${id('note')}>报告进展</label>
      <textarea id=${id('note')} value=${note} onInput=${(e) => setNote(e.currentTarget.value)}></textarea>
      <button type="button" disabled=${busy} onClick=${() => run(() => pb.collection('meeting_task_progress').create({ task: t.id, note: note.trim() }), '进展已报告。')}>报告进展</button>
      <label for=${id('result')}>办理结果（办结时填写）</label>
      <textarea id=${id('result')} value=${result} onInput=${(e) => setResult(e.currentTarget.value)}></textarea>
      <button type="button" disabled=${busy} onClick=${() => run(() => pb.collection('meeting_tasks').update(t.id, { status: 'done', result: result.trim() }), '已办结。')}>办结</button>
    </div>`}
  </article>`;
}
