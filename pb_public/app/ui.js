// Small pieces shared by the screens.
import { html, useState, useEffect, useCallback } from '../vendor/preact-htm.js';
import { onStoreChange, STATE_LABELS, FAILED } from './store.js';

// useStoreQuery runs load now and again whenever the local store changes
// (in this tab, another tab, or the service worker).
export function useStoreQuery(load, deps = []) {
  const [value, setValue] = useState(null);
  const reload = useCallback(() => { load().then(setValue, () => setValue(null)); }, deps);
  useEffect(() => { reload(); return onStoreChange(reload); }, [reload]);
  return value;
}

export function StateBadge({ rec }) {
  const label = STATE_LABELS[rec.state] ?? rec.state;
  return html`<span class=${'badge s-' + (rec.state === 'uploading' ? 'sending' : rec.state)}>${label}</span>`;
}

// fieldErrors gives a form's error line for a field and the id that the
// field's aria-describedby points to.
export function fieldErrors(errors) {
  return {
    err: (k) => errors[k] && html`<p class="reason" id=${'err-' + k} role="alert">${errors[k]}</p>`,
    described: (k) => (errors[k] ? 'err-' + k : undefined),
  };
}

export function Reason({ rec }) {
  if (rec.state !== FAILED) return null;
  const fields = rec.errors && typeof rec.errors === 'object'
    ? Object.entries(rec.errors).map(([f, e]) => `${FIELD_NAMES[f] ?? f}：${e?.message ?? e}`) : [];
  return html`<p class="reason">原因：${rec.reason}${fields.length ? '（' + fields.join('；') + '）' : ''}</p>`;
}

export const FIELD_NAMES = {
  household: '走访户', visited_at: '走访时间', location: '位置', notes: '走访情况', topics: '类别',
  problems: '反映的问题', photos: '照片', village: '村（社区）', head_name: '户主姓名', address: '门牌地址', phone: '联系电话',
  kind: '检查类别', site: '检查场所', subject: '检查事项', inspected_at: '检查时间', departments: '联合检查部门', findings: '检查发现',
  inspection: '所属检查', title: '隐患名称', description: '隐患描述', severity: '隐患等级', responsible_unit: '整改责任单位',
  responsible_person: '责任人', deadline: '整改期限',
};

// parseTime reads both the phone's RFC 3339 times and PocketBase's
// "2026-03-05 01:30:00.000Z" (which Safari's Date cannot parse as is).
export function parseTime(s) {
  return new Date(String(s ?? '').replace(' ', 'T'));
}

export function formatTime(iso) {
  if (!iso) return '';
  const d = parseTime(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// isoWithOffset writes a local time as RFC 3339 with the device's offset
// (+08:00 in China): the visit time as the deputy saw it.
export function isoWithOffset(d) {
  const p = (n) => String(Math.abs(n)).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}` +
    `${sign}${p(Math.trunc(off / 60))}:${p(off % 60)}`;
}

export function localInputValue(d) {
  return isoWithOffset(d).slice(0, 16);
}

// errorText is the server's refusal in its own words (PocketBase's 400
// shape names each field), or a plain line when the phone is offline.
export function errorText(err) {
  if (!navigator.onLine || err?.status === 0) return '需要联网：现在没有网络，请到有信号的地方再试。';
  const fields = Object.values(err?.response?.data ?? {}).map((e) => e?.message).filter(Boolean).join('；');
  return fields || err?.response?.message || err?.message || String(err);
}

// hashParams reads the query part of the hash route (#/dossier?id=…&year=…).
export function hashParams() {
  return new URLSearchParams(location.hash.split('?')[1] ?? '');
}

// YearPicker chooses the year of a screen that shows one (#/route?year=…):
// this year and the two before.
export function YearPicker({ year, route, extra = '' }) {
  const now = new Date().getFullYear();
  return html`<div class="row"><label for="year-pick">年度</label>
    <select id="year-pick" value=${year} onChange=${(e) => { location.hash = `#/${route}?year=${e.currentTarget.value}${extra}`; }}>
      ${[now, now - 1, now - 2].map((y) => html`<option value=${y}>${y}年</option>`)}
    </select></div>`;
}
