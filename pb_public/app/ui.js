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
    ? Object.entries(rec.errors).map(([f, e]) => `${FIELD_NAMES[f] ?? f}：${fieldMessage(e)}`) : [];
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
// PocketBase's own English messages ("Failed to create record.", the
// validation_* codes of its fields) are shown in Chinese (zhMessage,
// fieldMessage): the one place that turns them.
export function errorText(err) {
  if (!navigator.onLine || err?.status === 0) return '需要联网：现在没有网络，请到有信号的地方再试。';
  const fields = Object.values(err?.response?.data ?? {}).map(fieldMessage).filter(Boolean).join('；');
  return fields || zhMessage(err?.response?.message || err?.message || String(err ?? ''), err?.status);
}

const HAS_CHINESE = /[\u3400-\u9fff]/;

// PB_MESSAGES are PocketBase's own top-level messages (compared without
// the final full stop, case folded).
const PB_MESSAGES = {
  'failed to create record': '保存没有成功，请检查填写的内容后再试。',
  'failed to update record': '修改没有成功，请检查填写的内容后再试。',
  'failed to delete record': '删除没有成功：还有其他记录用到它。',
  'an error occurred while loading the submitted data': '提交的内容无法读取，请检查后再试。',
  'an error occurred while validating the submitted data': '提交的内容不符合要求，请检查后再试。',
  'failed to load the submitted data due to invalid formatting': '提交的内容格式不正确。',
  'failed to read the submitted data': '提交的内容无法读取，请检查后再试。',
  'something went wrong while processing your request': '服务器处理出错，请稍后再试。',
  "the requested resource wasn't found": '没有找到这条记录，可能已被删除。',
  'the authorized record is not allowed to perform this action': '您的账号没有权限做这件事。',
  'you are not allowed to perform this request': '您的账号没有权限做这件事。',
  'insufficient permissions to access the resource': '您的账号没有权限查看。',
  'only superusers can perform this action': '只有技术管理员可以做这件事。',
  'the request requires valid record authorization token': '请先登录。',
  'the request requires valid auth record': '请先登录。',
  'missing or invalid authentication': '登录已过期，请重新登录。',
  'failed to authenticate': '账号或密码不正确。',
  'invalid or expired otp': '验证码不正确或已过期。',
  'too many attempts, please try again later with a new otp': '尝试次数太多，请重新获取验证码。',
  'too many requests': '操作太频繁，请稍后再试。',
  'missing or invalid collection context': '没有这一类数据。',
  'missing collection context': '没有这一类数据。',
};

// STATUS_MESSAGES answer an English message PB_MESSAGES does not know.
const STATUS_MESSAGES = {
  400: '提交的内容不符合要求，请检查后再试。', 401: '请先登录。', 403: '您的账号没有权限做这件事。',
  404: '没有找到这条记录。', 413: '提交的内容太大。', 429: '操作太频繁，请稍后再试。',
};

// zhMessage is a top-level message in Chinese: the server's own Chinese
// as it is, PocketBase's English turned.
export function zhMessage(message, status) {
  const m = String(message ?? '').trim();
  if (HAS_CHINESE.test(m)) return m;
  const key = m.replace(/[.。]+$/, '').toLowerCase();
  if (PB_MESSAGES[key]) return PB_MESSAGES[key];
  if (key.startsWith('failed to delete record')) return PB_MESSAGES['failed to delete record'];
  if (key.startsWith('only superusers can filter by')) return '只有技术管理员可以按这一项筛选。';
  if (status >= 500) return '服务器出错，请稍后再试。';
  return STATUS_MESSAGES[status] ?? (m ? '操作没有成功，请稍后再试。' : '操作没有成功。');
}

// VALIDATION_MESSAGES are PocketBase's field error codes in Chinese.
const VALIDATION_MESSAGES = {
  validation_required: '必须填写。',
  validation_nil_or_not_empty_required: '必须填写。',
  validation_not_unique: '已有相同的内容，不能重复。',
  validation_min_text_constraint: '内容太短。',
  validation_max_text_constraint: '内容太长。',
  validation_length_too_long: '内容太长。',
  validation_length_out_of_range: '长度不符合要求。',
  validation_length_invalid: '长度不符合要求。',
  validation_match_invalid: '格式不正确。',
  validation_invalid_format: '格式不正确。',
  validation_invalid_value: '所选的值无效。',
  validation_in_invalid: '所选的值无效。',
  validation_values_mismatch: '两次填写的不一致。',
  validation_too_many_values: '选得太多了。',
  validation_not_enough_values: '选得太少了。',
  validation_missing_rel_records: '关联的记录不存在。',
  validation_invalid_email: '邮箱格式不正确。',
  validation_is_email: '邮箱格式不正确。',
  validation_invalid_url: '网址格式不正确。',
  validation_invalid_date: '日期时间格式不正确。',
  validation_not_a_number: '请填写数字。',
  validation_only_int_constraint: '请填写整数。',
  validation_min_number_constraint: '数值太小。',
  validation_max_number_constraint: '数值太大。',
  validation_min_greater_equal_than_required: '数值太小。',
  validation_max_less_equal_than_required: '数值太大。',
  validation_invalid_file: '文件无效。',
  validation_too_many_files: '文件太多。',
  validation_file_size_limit: '文件太大。',
  validation_invalid_mime_type: '不支持这种文件类型。',
  validation_json_size_limit: '内容太多。',
  validation_invalid_json: '格式不正确。',
  validation_invalid_password: '密码不正确。',
  validation_pk_change: '记录编号不能修改。',
  validation_invalid_latitude: '位置不正确。',
  validation_invalid_longitude: '位置不正确。',
};

// fieldMessage is one field's error ({code, message}) in Chinese.
export function fieldMessage(e) {
  const message = String(e?.message ?? (typeof e === 'string' ? e : '')).trim();
  if (HAS_CHINESE.test(message)) return message;
  const code = String(e?.code ?? '');
  return VALIDATION_MESSAGES[code] ?? (code.startsWith('validation_') || message ? '填写的内容不符合要求。' : '');
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
