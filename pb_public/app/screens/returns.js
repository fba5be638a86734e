// 退办申请: the office's (staff, the presidium) list of units' requests to
// return an item outside their remit (GET /api/returns), waiting ones
// first, oldest first: for each, 改派 (another unit; a new deadline typed
// for rectification items and hazards, by the rule for proposals and
// problems) or 维持交办 with the reason the unit will read (POST
// /api/returns/{id}/decide). Online only.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { errorText } from '../ui.js';

export function Returns({ online }) {
  const [data, setData] = useState(null);
  const [units, setUnits] = useState([]);
  const [msg, setMsg] = useState('');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!online) return;
    pb.send('/api/returns', {}).then(setData, (e) => setMsg(errorText(e)));
    pb.send('/api/units/names', {}).then((r) => setUnits(r.items), () => {});
  }, [online, tick]);
  if (!online) return html`<h2>退办申请</h2><p class="notice info">需要联网。</p>`;
  if (!data) return html`<h2>退办申请</h2>${msg ? html`<p class="notice bad" role="alert">${msg}</p>` : html`<p class="muted">正在读取…</p>`}`;
  return html`
    <h2>退办申请${data.pending ? `（待处理 ${data.pending}）` : ''}</h2>
    <p class="muted">承办单位须在交办后 ${data.limit_workdays} 个工作日内申请退办。请尽快改派或维持交办：处理期间办理期限照常计算。</p>
    ${!data.items.length && html`<p class="card soft">没有退办申请。</p>`}
    <ul class="plain" aria-label="退办申请">${data.items.map((r) => html`<li key=${r.id}>
      <article class=${'card return-request' + (r.status === 'pending' ? ' overdue' : '')} data-id=${r.id}>
        <p class="muted">${r.kind_label} · ${r.unit_name} · ${r.asked} 申请 <span class="badge s-synced">${r.status_label}</span></p>
        <p><strong>${r.title}</strong></p>
        <p>退办理由：${r.reason}</p>
        ${r.status === 'reassigned' && html`<p class="muted">已改派${r.new_unit_name}${r.new_deadline ? '，期限 ' + r.new_deadline : ''}（${r.decided_by}，${r.decided_at}）</p>`}
        ${r.status === 'insisted' && html`<p class="muted">维持交办：${r.note}（${r.decided_by}，${r.decided_at}）</p>`}
        ${r.status === 'pending' && html`<${Decide} r=${r} units=${units.filter((u) => u.id !== r.unit)} done=${() => setTick((n) => n + 1)} />`}
      </article></li>`)}</ul>`;
}

function Decide({ r, units, done }) {
  const [f, setF] = useState({ decision: '', unit: '', deadline: '', note: '' });
  const [msg, setMsg] = useState('');
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const send = () => pb.send(`/api/returns/${r.id}/decide`, { method: 'POST', body: f }).then(done, (e) => setMsg(errorText(e)));
  const id = (k) => `rd-${k}-${r.id}`;
  return html`<fieldset class="decide"><legend>处理</legend>
    <label class="check"><input type="radio" name=${'rd-' + r.id} checked=${f.decision === 'reassigned'}
      onChange=${() => setF({ ...f, decision: 'reassigned' })} />改派其他单位</label>
    <label class="check"><input type="radio" name=${'rd-' + r.id} checked=${f.decision === 'insisted'}
      onChange=${() => setF({ ...f, decision: 'insisted' })} />维持交办</label>
    ${f.decision === 'reassigned' && html`
      <label for=${id('unit')}>改派的承办单位</label>
      <select id=${id('unit')} value=${f.unit} onChange=${set('unit')}><option value="">请选择</option>
        ${units.map((u) => html`<option value=${u.id}>${u.name}</option>`)}</select>
      ${r.typed_deadline ? html`<label for=${id('deadline')}>新的整改期限</label>
        <input id=${id('deadline')} type="date" value=${f.deadline} onInput=${set('deadline')} />`
        : html`<p class="muted">新的办理期限按规定从改派之日重新计算。</p>`}`}
    <label for=${id('note')}>${f.decision === 'insisted' ? '维持交办的理由（承办单位会看到）' : '说明（可不填）'}</label>
    <textarea id=${id('note')} value=${f.note} onInput=${set('note')}></textarea>
    <button class="primary" type="button" onClick=${send}>确定</button>
    ${msg && html`<p class="notice bad" role="alert">${msg}</p>`}
  </fieldset>`;
}
