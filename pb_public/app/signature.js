// The household's confirmation (农户确认): the deputy hands the phone over,
// the head of household (or whoever received them) writes their name and
// signs on the screen. Works offline: the signature is cropped to its ink,
// scaled to at most 600×300, drawn black on white and kept as a small PNG
// that the outbox uploads like a photo (manifest key "signature"). The
// household may also agree to a text message about the visit (sms: the
// office may send a notice instead of calling back).
import { html, useState, useEffect, useRef } from '../vendor/preact-htm.js';
import { isoWithOffset } from './ui.js';

export const SIGNATURE_KEY = 'signature';
const MAX_W = 600;
const MAX_H = 300;
const STROKE = 4;

// SignatureSheet: a full-screen sheet. onDone({name, at, sms, blob}) on 确认,
// onCancel() on 跳过 or 返回.
export function SignatureSheet({ onDone, onCancel, optional }) {
  const canvas = useRef(null);
  const ink = useRef(null); // bounds of what was drawn, in canvas pixels
  const [name, setName] = useState('');
  const [sms, setSMS] = useState(false);
  const [hasInk, setHasInk] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    const c = canvas.current;
    const ratio = devicePixelRatio || 1;
    c.width = Math.round(c.clientWidth * ratio);
    c.height = Math.round(c.clientHeight * ratio);
    clear();
    let last = null;
    const at = (e) => {
      const r = c.getBoundingClientRect();
      return { x: (e.clientX - r.left) * ratio, y: (e.clientY - r.top) * ratio };
    };
    const mark = (p) => {
      const b = ink.current ?? { x0: p.x, y0: p.y, x1: p.x, y1: p.y };
      ink.current = { x0: Math.min(b.x0, p.x), y0: Math.min(b.y0, p.y), x1: Math.max(b.x1, p.x), y1: Math.max(b.y1, p.y) };
    };
    const ctx = c.getContext('2d');
    const down = (e) => { e.preventDefault(); c.setPointerCapture?.(e.pointerId); last = at(e); mark(last); dot(ctx, last, ratio); setHasInk(true); };
    const move = (e) => {
      if (!last) return;
      e.preventDefault();
      const p = at(e);
      ctx.lineWidth = STROKE * ratio;
      ctx.lineCap = 'round';
      ctx.strokeStyle = '#000';
      ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke();
      mark(p);
      last = p;
    };
    const up = () => { last = null; };
    c.addEventListener('pointerdown', down);
    c.addEventListener('pointermove', move);
    c.addEventListener('pointerup', up);
    c.addEventListener('pointercancel', up);
    return () => {
      c.removeEventListener('pointerdown', down);
      c.removeEventListener('pointermove', move);
      c.removeEventListener('pointerup', up);
      c.removeEventListener('pointercancel', up);
    };
  }, []);

  function clear() {
    const c = canvas.current;
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, c.width, c.height);
    ink.current = null;
    setHasInk(false);
  }

  async function confirm() {
    if (!name.trim()) { setError('请填写确认人姓名'); return; }
    if (!ink.current) { setError('请在框内签名'); return; }
    const blob = await cropped(canvas.current, ink.current);
    onDone({ name: name.trim(), at: isoWithOffset(new Date()), sms, blob });
  }

  return html`<div class="sheet" role="dialog" aria-modal="true" aria-labelledby="sig-title">
    <h2 id="sig-title">请农户确认</h2>
    <label for="sig-name">确认人姓名</label>
    <input id="sig-name" type="text" maxlength="20" value=${name} onInput=${(e) => setName(e.currentTarget.value)} />
    <p class="muted" id="sig-hint">请户主或接待人在框内签名</p>
    <canvas ref=${canvas} class="signature-pad" aria-describedby="sig-hint" aria-label="签名框"></canvas>
    <label class="check"><input id="sig-sms" type="checkbox" checked=${sms} onChange=${(e) => setSMS(e.currentTarget.checked)} />
      同意镇人大办公室发短信核实这次走访</label>
    ${error && html`<p class="reason" role="alert">${error}</p>`}
    <div class="sheet-actions">
      <button type="button" onClick=${clear}>重写</button>
      ${optional && html`<button type="button" onClick=${onCancel}>跳过</button>`}
      ${!optional && html`<button type="button" onClick=${onCancel}>返回</button>`}
      <button type="button" class="primary" disabled=${!hasInk} onClick=${confirm}>确认</button>
    </div>
  </div>`;
}

function dot(ctx, p, ratio) {
  ctx.fillStyle = '#000';
  ctx.beginPath(); ctx.arc(p.x, p.y, (STROKE * ratio) / 2, 0, Math.PI * 2); ctx.fill();
}

// cropped is the ink's bounds (with a margin) scaled to fit MAX_W×MAX_H,
// black on white, as a PNG blob.
function cropped(src, b) {
  const pad = 8;
  const x = Math.max(0, Math.floor(b.x0 - pad));
  const y = Math.max(0, Math.floor(b.y0 - pad));
  const w = Math.min(src.width - x, Math.ceil(b.x1 - b.x0 + 2 * pad));
  const h = Math.min(src.height - y, Math.ceil(b.y1 - b.y0 + 2 * pad));
  const scale = Math.min(1, MAX_W / w, MAX_H / h);
  const out = document.createElement('canvas');
  out.width = Math.max(1, Math.round(w * scale));
  out.height = Math.max(1, Math.round(h * scale));
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(src, x, y, w, h, 0, 0, out.width, out.height);
  return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
}
