// The follow-up of a hazard the deputy registered, online: start the
// rectification (整改中), record it done with what was done and a photo
// after (已整改), and confirm it by a re-inspection (复查通过) or send it
// back (复查不合格). 销号 and 挂牌督办 stay the presidium's (#/ledger). The
// server checks every step; its refusal is shown as it names the field.
import { html, useState } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { syncNow } from '../sync.js';
import { formatTime, errorText } from '../ui.js';
import { INSPECTION_KINDS } from '../lists.js';
import { downscale } from '../photo.js';

export function HazardActions({ h, inspections, online }) {
  const [note, setNote] = useState('');
  const [text, setText] = useState('');
  const [photo, setPhoto] = useState(null);
  const [reinspection, setReinspection] = useState('');
  const [busy, setBusy] = useState(false);
  const status = h.data.status ?? 'open';
  if (!['open', 'rectifying', 'rectified'].includes(status)) return null;
  if (!online) return html`<p class="muted">联网后可以登记整改和复查。</p>`;

  async function send(body, done) {
    setBusy(true);
    setNote('');
    try {
      await pb.collection('hazards').update(h.id, body);
      setNote(done);
      setText('');
      setPhoto(null);
      syncNow(); // pull the new state into this phone's copy
    } catch (err) {
      setNote(`未保存：${errorText(err)}`);
    } finally {
      setBusy(false);
    }
  }

  async function rectified() {
    const form = new FormData();
    form.append('status', 'rectified');
    form.append('rectification', text.trim());
    if (photo) form.append('photos_after', photo, 'after.jpg');
    await send(form, '已登记整改完成，等待复查。');
  }

  const others = inspections.filter((i) => i.id !== h.data.inspection && i.state === 'synced');
  const id = (k) => `${k}-${h.id}`;
  return html`<div class="hazard-actions">
    ${note && html`<p class="notice info" role="status">${note}</p>`}
    ${status === 'open' && html`<button type="button" disabled=${busy} onClick=${() => send({ status: 'rectifying' }, '已开始整改。')}>开始整改</button>`}
    ${status === 'rectifying' && html`
      <label for=${id('rect')}>整改情况</label>
      <textarea id=${id('rect')} value=${text} onInput=${(e) => setText(e.currentTarget.value)}></textarea>
      <label for=${id('after')} class="button">拍整改后照片${photo ? '（已选）' : ''}</label>
      <input id=${id('after')} class="sr-only" type="file" accept="image/*" capture="environment"
        onChange=${async (e) => { const f = e.currentTarget.files[0]; if (f) setPhoto(await downscale(f).catch(() => f)); }} />
      <button type="button" disabled=${busy} onClick=${rectified}>登记整改完成</button>`}
    ${status === 'rectified' && html`
      <label for=${id('re')}>复查（选择复查时的检查记录）</label>
      <select id=${id('re')} value=${reinspection} onChange=${(e) => setReinspection(e.currentTarget.value)}>
        <option value="">请选择</option>
        ${others.map((i) => html`<option value=${i.id}>${formatTime(i.data.inspected_at)} ${INSPECTION_KINDS[i.data.kind] ?? ''}</option>`)}
      </select>
      <label for=${id('ver')}>复查意见</label>
      <textarea id=${id('ver')} value=${text} onInput=${(e) => setText(e.currentTarget.value)}></textarea>
      <div class="row">
        <button type="button" disabled=${busy} onClick=${() => send({ status: 'verified', verify_inspection: reinspection, verification: text.trim() }, '复查通过，等待主席团销号。')}>复查通过</button>
        <button type="button" disabled=${busy} onClick=${() => send({ status: 'rectifying', verification: text.trim() }, '复查不合格，已退回整改。')}>复查不合格</button>
      </div>`}
  </div>`;
}
