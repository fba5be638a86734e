// 回访抽查 (presidium and office): last month's random sample of visits to
// call back. The caller sees the household's phone (tap to call), asks
// whether the visit happened and records 属实 / 否认 / 未联系上; a denial
// (with what the household said) raises a flag the deputy sees.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { formatTime, errorText } from '../ui.js';

const RESULTS = [['confirmed', '属实'], ['denied', '否认'], ['unreachable', '未联系上']];
const RESULT_TEXT = Object.fromEntries(RESULTS);

export function Callbacks({ online }) {
  const [state, setState] = useState({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!online) { setState({ error: '需要联网才能回访。' }); return; }
    pb.send('/api/verification/callbacks', {})
      .then((res) => setState({ res }), (err) => setState({ error: errorText(err) }));
  }, [round, online]);
  const res = state.res;
  return html`
    <h2>回访抽查</h2>
    ${state.loading && html`<p>正在读取…</p>`}
    ${state.error && html`<p class="notice bad" role="alert">${state.error}</p>`}
    ${res && html`<p>${res.month} 随机抽取 ${res.items.length} 次走访（抽样编号 ${res.seed}），请逐户电话核实。</p>`}
    ${res && !res.items.length && html`<p>上月没有可回访的走访（农户未留电话）。</p>`}
    <ul class="plain" aria-label="回访名单">
      ${(res?.items ?? []).map((it) => html`<li key=${it.id}><${Item} it=${it} onDone=${() => setRound(round + 1)} /></li>`)}
    </ul>`;
}

function Item({ it, onDone }) {
  const [note, setNote] = useState(it.note || '');
  const [error, setError] = useState('');
  async function record(result) {
    setError('');
    try {
      await pb.send(`/api/verification/callbacks/${it.id}`, { method: 'POST', body: { result, note } });
      onDone();
    } catch (err) { setError(errorText(err)); }
  }
  return html`<article class="card" data-callback=${it.id}>
    <p><strong>${it.head_name}</strong>（${it.village}）· 代表 ${it.deputy_name}</p>
    <p class="muted">走访时间 ${formatTime(it.visited_at)}</p>
    <p><a class="button" href=${'tel:' + it.phone}>拨打 ${it.phone}</a></p>
    ${it.result && html`<p class="notice info">${RESULT_TEXT[it.result]}（${it.by}，${formatTime(it.at)}）${it.note ? '：' + it.note : ''}</p>`}
    <label for=${'cb-note-' + it.id}>农户怎么说（否认时必填）</label>
    <textarea id=${'cb-note-' + it.id} maxlength="300" value=${note} onInput=${(e) => setNote(e.currentTarget.value)}></textarea>
    ${error && html`<p class="reason" role="alert">${error}</p>`}
    <div class="sheet-actions">
      ${RESULTS.map(([k, label]) => html`<button type="button" onClick=${() => record(k)}>${label}</button>`)}
    </div>
  </article>`;
}
