// 工作台 · 考核和导出: the year's close, reopen (with a written reason) and
// recompute of the assessment and of the visit logs, each a button that
// asks first and says in Chinese what happened; then 导出, every export of
// the platform in one place (the server lists them:
// /api/simeng/workbench/exports), each a download an office account may
// make.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { errorText, formatTime } from '../ui.js';
import { download } from '../download.js';

const ACTION_LABELS = { close: '结算', reopen: '重新开放' };
const LEDGER_LABELS = { assessment: '考核', visits: '走访' };

// changesText says how a reopen or recompute moved the scores.
function changesText(changes) {
  const moved = (changes ?? []).filter((c) => c.had_before && c.before !== c.after);
  if (!moved.length) return '得分没有变化。';
  const shown = moved.slice(0, 5).map((c) => `${c.name} ${c.before}→${c.after}`).join('，');
  return `${moved.length} 位代表得分有变化：${shown}${moved.length > 5 ? ' 等' : ''}。`;
}

// ACTIONS are the year's buttons: what to ask before, the request, and the
// result in words. Those with reason ask for a written reason first.
const ACTIONS = [
  {
    key: 'recompute', label: '重新计算考核',
    ask: (y) => `按现有记录重新计算${y}年每位代表的考核得分？已结算的年度不能重新计算。`,
    run: (y) => pb.send('/api/assessment/recompute', { method: 'POST', body: { year: y } }),
    done: (y, r) => `${y}年考核已重新计算：${r.deputies} 位代表的得分已更新。`,
  },
  {
    key: 'close', label: '结算考核年度',
    ask: (y) => `结算后${y}年的考核得分冻结，不再随记录变动。确定结算？`,
    run: (y) => pb.send(`/api/assessment/years/${y}/close`, { method: 'POST', body: {} }),
    done: (y, r) => `${y}年考核已结算：${r.deputies} 位代表的得分已冻结。`,
  },
  {
    key: 'reopen', label: '重新开放考核年度', reason: true,
    ask: (y) => `重新开放${y}年考核？得分将按现有记录重新计算，结算时的得分留在记录里。`,
    run: (y, reason) => pb.send(`/api/assessment/years/${y}/reopen`, { method: 'POST', body: { reason } }),
    done: (y, r) => `${y}年考核已重新开放。${changesText(r.changes)}`,
  },
  {
    key: 'visits-close', label: '结算走访年度',
    ask: (y) => `结算${y}年走访记录（每位代表不少于12户）？结算后补录的走访不再计入该年。`,
    run: (y) => pb.send(`/api/visits/years/${y}/close`, { method: 'POST', body: {} }),
    done: (y, r) => `${y}年走访已结算：${(r.results ?? []).length} 位代表。`,
  },
  {
    key: 'visits-reopen', label: '重新开放走访年度', reason: true,
    ask: (y) => `重新开放${y}年走访记录？`,
    run: (y, reason) => pb.send(`/api/visits/years/${y}/reopen`, { method: 'POST', body: { reason } }),
    done: (y) => `${y}年走访已重新开放。`,
  },
];

export function Year() {
  const thisYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
  const [year, setYear] = useState(thisYear - 1);
  const [pending, setPending] = useState(null); // the action waiting for 确定
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const [history, setHistory] = useState(null);
  const [exports, setExports] = useState(null);

  useEffect(() => {
    let live = true;
    setHistory(null); setExports(null);
    pb.send(`/api/assessment/years/${year}/history`, {}).then((h) => live && setHistory(h), (e) => live && setError(errorText(e)));
    pb.send(`/api/simeng/workbench/exports?year=${year}`, {}).then((r) => live && setExports(r.items), (e) => live && setError(errorText(e)));
    return () => { live = false; };
  }, [year, tick]);

  function ask(a) {
    setNote(''); setError(''); setReason(''); setPending(a);
  }
  async function confirmAction(e) {
    e.preventDefault();
    const a = pending;
    setBusy(true); setError('');
    try {
      const r = await a.run(year, reason.trim());
      setNote(a.done(year, r));
      setPending(null);
      setTick((n) => n + 1);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  async function fetchExport(x) {
    setNote(''); setError('');
    try {
      await download(x.path, x.name);
      setNote(`${x.label}已导出。`);
    } catch (err) {
      setError(`${x.label}导出失败：${errorText(err)}`);
    }
  }

  const groups = [];
  for (const x of exports ?? []) {
    const g = groups.find((it) => it.name === x.group);
    if (g) g.items.push(x); else groups.push({ name: x.group, items: [x] });
  }
  return html`
    <h3>年度考核和导出</h3>
    <label for="yr">年度</label>
    <select id="yr" value=${year} onChange=${(e) => { setPending(null); setNote(''); setError(''); setYear(Number(e.currentTarget.value)); }}>
      ${[thisYear, thisYear - 1, thisYear - 2].map((y) => html`<option value=${y}>${y}年</option>`)}
    </select>
    <p id="wb-year-state">${history === null ? '正在读取…' : `${year}年考核：${history.closed ? '已结算（得分已冻结）' : '未结算'}`}</p>
    ${note && html`<p class="notice ok" role="status" id="wb-note">${note}</p>`}
    ${error && html`<p class="notice bad" role="alert" id="wb-error">${error}</p>`}
    ${pending
      ? html`<form class="card" id="wb-confirm" onSubmit=${confirmAction}>
          <p><strong>${pending.label}</strong></p>
          <p>${pending.ask(year)}</p>
          ${pending.reason && html`<label for="wb-reason">重新开放的理由（必填，至少4个字）</label>
            <textarea id="wb-reason" rows="3" maxlength="1000" value=${reason} onInput=${(e) => setReason(e.currentTarget.value)}
              placeholder="例如 补录12月联络站值班记录"></textarea>`}
          <div class="wb-actions">
            <button class="primary" type="submit" disabled=${busy}>确定${pending.label}</button>
            <button type="button" onClick=${() => setPending(null)}>取消</button>
          </div>
        </form>`
      : html`<div class="wb-actions" id="wb-year-actions">
          ${ACTIONS.map((a) => html`<button type="button" onClick=${() => ask(a)}>${a.label}</button>`)}
        </div>`}
    ${history?.items?.length > 0 && html`<details class="card"><summary>结算和重新开放记录</summary>
      <ul class="wb-list" id="wb-year-history">
        ${history.items.map((h) => html`<li>${formatTime(h.at)} ${h.actor_label} ${ACTION_LABELS[h.action] ?? h.action}${LEDGER_LABELS[h.ledger] ?? h.ledger}${h.reason ? `：${h.reason}` : ''}</li>`)}
      </ul></details>`}
    <h3>导出</h3>
    <p class="muted">平台上所有的 Excel 导出都在这里，按北京时间和所选年度生成。</p>
    ${exports === null && html`<p class="muted">正在读取…</p>`}
    <div id="wb-exports">
      ${groups.map((g) => html`<section>
        <h4>${g.name}</h4>
        <div class="wb-actions">
          ${g.items.map((x) => html`<button type="button" data-path=${x.path} onClick=${() => fetchExport(x)}>${x.label}</button>`)}
        </div>
      </section>`)}
    </div>`;
}
