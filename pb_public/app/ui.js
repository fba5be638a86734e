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

export function Reason({ rec }) {
  if (rec.state !== FAILED) return null;
  const fields = rec.errors && typeof rec.errors === 'object'
    ? Object.entries(rec.errors).map(([f, e]) => `${FIELD_NAMES[f] ?? f}：${e?.message ?? e}`) : [];
  return html`<p class="reason">原因：${rec.reason}${fields.length ? '（' + fields.join('；') + '）' : ''}</p>`;
}

export const FIELD_NAMES = {
  household: '走访户', visited_at: '走访时间', location: '位置', notes: '走访情况', topics: '类别',
  problems: '反映的问题', photos: '照片', village: '村（社区）', head_name: '户主姓名', address: '门牌地址', phone: '联系电话',
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

// The server's list (migrations: Topics); a value outside it is rejected.
export const TOPICS = ['道路交通', '饮水安全', '医疗卫生', '教育', '养老助残', '就业增收',
  '农业生产', '生态环境', '安全生产', '社会保障', '住房', '矛盾纠纷', '其他'];

export const PROBLEM_STATUS = {
  open: '待办理', forwarded: '已转交（代表直通车）', answered: '已答复', closed: '已办结',
};
