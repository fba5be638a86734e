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

// deviceTimeError checks a time typed on the phone against the server's
// bounds (docs/SYNC.md): not more than 10 minutes ahead, not before 2020.
export function deviceTimeError(value, what) {
  const t = new Date(value);
  if (!value || Number.isNaN(t.getTime())) return `请填写${what}`;
  if (t.getTime() > Date.now() + 10 * 60_000) return `${what}不能晚于现在`;
  if (t.getFullYear() < 2020) return `${what}不能早于2020年`;
  return '';
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

// The server's lists for inspections (migrations/1764400000_inspections_hazards.go).
export const INSPECTION_KINDS = {
  safety: '安全生产检查', environment: '法治护绿（环保、森林）', enterprise: '法治护企', project: '专题视察',
};
export const DEPARTMENTS = ['镇应急办', '市监所', '镇派出所', '镇中心学校', '镇自然资源所',
  '镇生态环境站', '镇林业站', '镇水利站', '镇交通站', '镇财政所', '镇司法所', '镇综治中心', '其他'];
export const HAZARD_STATUS = {
  open: '待整改', rectifying: '整改中', rectified: '已整改待复查', verified: '复查通过', closed: '已销号',
};

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
