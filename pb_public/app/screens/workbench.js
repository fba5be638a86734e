// 工作台: the office's daily work in one place, in Chinese and China time,
// for the office PC and a 360 px phone. Sections (#/workbench?tab=…): 今日
// (what is overdue or due today), 受理登记 (hotline, station, paper and
// enterprise cases), 代表名册, 会议, 日历, 考核和导出, 通知 (the outbox) and
// 操作记录 (the audit trail, read only). Everything goes through the
// server's rules for an office (staff) account: no superuser powers.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { errorText, formatTime, hashParams } from '../ui.js';
import { TOPICS, SUGGESTION_SOURCES } from '../lists.js';

const TABS = [
  ['today', '今日'], ['intake', '受理登记'], ['roster', '代表名册'], ['meetings', '会议'],
  ['calendar', '日历'], ['year', '考核和导出'], ['outbox', '通知'], ['audit', '操作记录'],
];

const MEETING_KINDS = {
  congress_session: '镇人民代表大会', presidium: '主席团会议', party_committee: '党委人大工作会议',
  training: '季度集训', wuchang: '屋场会', inquiry: '专题询问',
};

// chinaNow is the current China time as a datetime-local value
// (2026-05-01T09:12), whatever the PC's own time zone.
export function chinaNow(d = new Date()) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

// chinaToISO turns a China-time datetime-local value into an instant.
function chinaToISO(v) { return new Date(`${v}:00+08:00`).toISOString(); }

// oneTimePassword makes an initial or reset password to hand over once.
function oneTimePassword() {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const b = crypto.getRandomValues(new Uint8Array(12));
  const s = [...b].map((x) => alphabet[x % alphabet.length]).join('');
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

// formValues reads a submitted form from the page itself (named fields),
// so a submit right after typing never sends what the last render knew.
function formValues(formEl) {
  const out = {};
  for (const el of formEl.elements) {
    if (!el.name) continue;
    out[el.name] = el.type === 'checkbox' ? el.checked : el.value;
  }
  return out;
}

function useLoad(load, deps) {
  const [state, setState] = useState({ data: null, error: '' });
  useEffect(() => {
    let live = true;
    load().then((data) => live && setState({ data, error: '' }), (e) => live && setState({ data: null, error: errorText(e) }));
    return () => { live = false; };
  }, deps);
  return state;
}

function Loading({ state }) {
  if (state.error) return html`<p class="notice bad" role="alert">${state.error}</p>`;
  if (state.data === null) return html`<p class="muted">正在读取…</p>`;
  return null;
}

export function Workbench({ online }) {
  const tab = TABS.some(([k]) => k === hashParams().get('tab')) ? hashParams().get('tab') : 'today';
  const Section = { today: Today, intake: Intake, roster: Roster, meetings: Meetings, calendar: Calendar, year: Year, outbox: Outbox, audit: Audit }[tab];
  return html`
    <h2>工作台</h2>
    <nav class="wb-tabs" aria-label="工作台栏目">
      ${TABS.map(([k, label]) => html`<a href=${'#/workbench?tab=' + k} aria-current=${k === tab ? 'page' : undefined}>${label}</a>`)}
    </nav>
    ${!online && html`<p class="notice bad" role="alert">工作台需要联网。</p>`}
    <${Section} />`;
}

function Today() {
  const state = useLoad(() => pb.send('/api/simeng/workbench/today', {}).then((r) => r.items), []);
  if (state.data === null) return html`<${Loading} state=${state} />`;
  return html`
    <h3>今日待办（北京时间）</h3>
    ${state.data.length === 0 && html`<p class="muted">今天没有逾期或到期的事项。</p>`}
    <ul class="wb-list" id="wb-today">
      ${state.data.map((it) => html`<li class=${'card' + (it.overdue ? ' overdue' : '')}>
        <p><span class="badge">${it.label}</span> ${it.overdue && html`<strong class="bad-text">已逾期</strong>`}</p>
        <p>${it.title}</p>
        <p class="muted">期限：${it.due}</p>
        <a class="button" href=${it.link}>去处理</a>
      </li>`)}
    </ul>`;
}

function Intake() {
  const deputies = useLoad(() => pb.collection('deputies').getFullList({ filter: 'active = true', sort: 'name', fields: 'id,name' }), []);
  const empty = { source: 'hotline', received_at: chinaNow(), deputy: '', category: TOPICS[0], content: '', resident_name: '', resident_phone: '', consent: false };
  const [form, setForm] = useState(empty);
  const [done, setDone] = useState(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => { const v = e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value; setForm((f) => ({ ...f, [k]: v })); };

  async function submit(e) {
    e.preventDefault();
    const body = formValues(e.currentTarget);
    setError(''); setDone(null); setBusy(true);
    try {
      const res = await pb.send('/api/simeng/workbench/intake', { method: 'POST', body });
      setDone(res);
      setForm({ ...empty, received_at: chinaNow() });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return html`
    <h3>受理登记</h3>
    <p class="muted">电话、联络站、书面和企业反映的事项在这里登记。收到时间按北京时间填写，可以补登以前的，不能晚于现在。</p>
    <form onSubmit=${submit} novalidate id="wb-intake">
      <label for="in-source">来源</label>
      <select id="in-source" name="source" value=${form.source} onChange=${set('source')}>
        ${['hotline', 'station', 'paper', 'enterprise'].map((s) => html`<option value=${s}>${SUGGESTION_SOURCES[s] ?? s}</option>`)}
      </select>
      <label for="in-at">收到时间（北京时间）</label>
      <input id="in-at" name="received_at" type="datetime-local" value=${form.received_at} max=${chinaNow()} onInput=${set('received_at')} />
      <label for="in-deputy">承办代表</label>
      <select id="in-deputy" name="deputy" value=${form.deputy} onChange=${set('deputy')}>
        <option value="">（由主席团答复）</option>
        ${(deputies.data ?? []).map((d) => html`<option value=${d.id}>${d.name}</option>`)}
      </select>
      <label for="in-category">类别</label>
      <select id="in-category" name="category" value=${form.category} onChange=${set('category')}>
        ${TOPICS.map((t) => html`<option value=${t}>${t}</option>`)}
      </select>
      <label for="in-content">反映内容</label>
      <textarea id="in-content" name="content" rows="4" value=${form.content} onInput=${set('content')}></textarea>
      <label for="in-name">群众姓名（可不填）</label>
      <input id="in-name" name="resident_name" value=${form.resident_name} onInput=${set('resident_name')} />
      <label for="in-phone">群众手机号（可不填，加密保存）</label>
      <input id="in-phone" name="resident_phone" type="tel" inputmode="numeric" value=${form.resident_phone} onInput=${set('resident_phone')} />
      <label class="check"><input type="checkbox" name="consent" checked=${form.consent} onChange=${set('consent')} /> 群众同意留下联系方式并接收短信</label>
      ${error && html`<p class="notice bad" role="alert">${error}</p>`}
      ${done && html`<p class="notice ok" role="status">已登记，查询码 ${done.tracking}，24小时内回应期限：${formatTime(done.ack_due)}。</p>`}
      <button class="primary" type="submit" disabled=${busy}>登记</button>
    </form>`;
}

function Roster() {
  const [tick, setTick] = useState(0);
  const list = useLoad(() => pb.collection('deputies').getFullList({ sort: '-active,name', expand: 'village', fields: 'id,name,active,presidium,expand.village.name' }), [tick]);
  const villages = useLoad(() => pb.collection('villages').getFullList({ sort: 'name', fields: 'id,name' }), []);
  const [form, setForm] = useState({ name: '', phone: '', gender: '', village: '', level: 'township', term: '' });
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const set = (k) => (e) => { const v = e.currentTarget.value; setForm((f) => ({ ...f, [k]: v })); };

  async function act(fn, ok) {
    setError(''); setNote('');
    try { await fn(); setNote(ok()); setTick((n) => n + 1); } catch (err) { setError(errorText(err)); }
  }
  const create = (e) => {
    e.preventDefault();
    const v = formValues(e.currentTarget);
    const pass = oneTimePassword();
    act(async () => {
      // The village list may still be loading: then the first village, as the form shows it.
      const village = v.village || (await pb.collection('villages').getList(1, 1, { sort: 'name', fields: 'id' })).items[0]?.id || '';
      return pb.collection('deputies').create({ ...v, village, active: true, password: pass, passwordConfirm: pass });
    },
      () => `已新建代表 ${v.name}。初始密码：${pass}（只显示这一次，请交给代表本人；代表也可以用手机验证码登录）`);
  };
  const toggle = (d) => act(() => pb.collection('deputies').update(d.id, { active: !d.active }), () => `${d.name}已${d.active ? '停用' : '启用'}。`);
  const reset = (d) => {
    const pass = oneTimePassword();
    act(() => pb.collection('deputies').update(d.id, { password: pass, passwordConfirm: pass }),
      () => `${d.name}的新密码：${pass}（只显示这一次；代表其他手机上的登录已失效）`);
  };
  return html`
    <h3>代表名册</h3>
    <p><a class="button" href="#/qr-cards">打印代表码联系卡</a></p>
    ${note && html`<p class="notice ok" role="status" id="wb-note">${note}</p>`}
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    <details class="card">
      <summary>新建代表</summary>
      <form onSubmit=${create} novalidate id="wb-new-deputy">
        <label for="nd-name">姓名</label><input id="nd-name" name="name" value=${form.name} onInput=${set('name')} />
        <label for="nd-phone">手机号</label><input id="nd-phone" name="phone" type="tel" inputmode="numeric" value=${form.phone} onInput=${set('phone')} />
        <label for="nd-gender">性别</label>
        <select id="nd-gender" name="gender" value=${form.gender} onChange=${set('gender')}><option value="">（不填）</option><option>男</option><option>女</option></select>
        <label for="nd-village">所在村（社区）</label>
        <select id="nd-village" name="village" value=${form.village} onChange=${set('village')}>
          ${(villages.data ?? []).map((v) => html`<option value=${v.id}>${v.name}</option>`)}
        </select>
        <label for="nd-level">代表级别</label>
        <select id="nd-level" name="level" value=${form.level} onChange=${set('level')}><option value="township">镇人大代表</option><option value="county">县人大代表</option></select>
        <label for="nd-term">届次</label><input id="nd-term" name="term" value=${form.term} onInput=${set('term')} />
        <button class="primary" type="submit">新建（在任）</button>
      </form>
    </details>
    <${Loading} state=${list} />
    <ul class="wb-list" id="wb-roster">
      ${(list.data ?? []).map((d) => html`<li class=${'card' + (d.active ? '' : ' soft')} data-name=${d.name}>
        <p><strong>${d.name}</strong> ${d.presidium ? '（主席团）' : ''} ${d.expand?.village?.name ?? ''} ${!d.active && html`<span class="badge">已停用</span>`}</p>
        <div class="wb-actions">
          <button type="button" onClick=${() => reset(d)}>重置密码</button>
          <button type="button" onClick=${() => toggle(d)}>${d.active ? '停用' : '启用'}</button>
        </div>
      </li>`)}
    </ul>`;
}

function Meetings() {
  const [tick, setTick] = useState(0);
  const list = useLoad(() => pb.collection('meetings').getList(1, 30, { sort: '-starts_at' }).then((r) => r.items), [tick]);
  const deputies = useLoad(() => pb.collection('deputies').getFullList({ filter: 'active = true', sort: 'name', fields: 'id,name' }), []);
  const [form, setForm] = useState({ title: '', kind: 'training', starts_at: chinaNow(new Date(Date.now() + 7 * 86400e3)), place: '' });
  const [leave, setLeave] = useState({ meeting: '', deputy: '', reason: '' });
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const set = (k) => (e) => { const v = e.currentTarget.value; setForm((f) => ({ ...f, [k]: v })); };

  async function act(fn, ok) {
    setError(''); setNote('');
    try { const r = await fn(); setNote(ok(r)); setTick((n) => n + 1); } catch (err) { setError(errorText(err)); }
  }
  const create = (e) => {
    e.preventDefault();
    const v = formValues(e.currentTarget);
    act(async () => {
      // Every deputy in office is expected, read now (the list above may still be loading).
      const expected = (await pb.collection('deputies').getFullList({ filter: 'active = true', fields: 'id' })).map((d) => d.id);
      return pb.collection('meetings').create({ ...v, starts_at: v.starts_at ? chinaToISO(v.starts_at) : '', expected });
    },
      () => `已新建会议：${v.title}。应到全体在任代表。`);
  };
  const notice = (m, urgent) => act(() => pb.send(`/api/simeng/meetings/${m.id}/notify`, { method: 'POST', body: { urgent } }),
    (r) => `会议通知已发给 ${r.recipients} 位代表（站内通知${urgent ? '，短信夜间也发' : '，短信在开通后发送'}）。`);
  const close = (m) => act(() => pb.send(`/api/meetings/${m.id}/absences`, { method: 'POST' }), () => `${m.title}：签到已关闭，未到且未请假的登记为无故缺席。`);
  const saveLeave = (e) => {
    e.preventDefault();
    act(() => pb.collection('meeting_attendance').create({ meeting: leave.meeting, deputy: leave.deputy, status: 'leave', leave_reason: leave.reason }),
      () => '请假已登记。');
  };
  return html`
    <h3>会议</h3>
    ${note && html`<p class="notice ok" role="status" id="wb-note">${note}</p>`}
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    <details class="card">
      <summary>新建会议</summary>
      <form onSubmit=${create} novalidate id="wb-new-meeting">
        <label for="nm-title">会议名称</label><input id="nm-title" name="title" value=${form.title} onInput=${set('title')} />
        <label for="nm-kind">会议类别</label>
        <select id="nm-kind" name="kind" value=${form.kind} onChange=${set('kind')}>
          ${Object.entries(MEETING_KINDS).map(([k, v]) => html`<option value=${k}>${v}</option>`)}
        </select>
        <label for="nm-start">开始时间（北京时间）</label>
        <input id="nm-start" name="starts_at" type="datetime-local" value=${form.starts_at} onInput=${set('starts_at')} />
        <label for="nm-place">地点</label><input id="nm-place" name="place" value=${form.place} onInput=${set('place')} />
        <button class="primary" type="submit">新建会议</button>
      </form>
    </details>
    <details class="card">
      <summary>登记请假</summary>
      <form onSubmit=${saveLeave} novalidate>
        <label for="lv-meeting">会议</label>
        <select id="lv-meeting" value=${leave.meeting} onChange=${(e) => { const v = e.currentTarget.value; setLeave((l) => ({ ...l, meeting: v })); }}>
          <option value="">（请选择）</option>
          ${(list.data ?? []).map((m) => html`<option value=${m.id}>${m.title}</option>`)}
        </select>
        <label for="lv-deputy">代表</label>
        <select id="lv-deputy" value=${leave.deputy} onChange=${(e) => { const v = e.currentTarget.value; setLeave((l) => ({ ...l, deputy: v })); }}>
          <option value="">（请选择）</option>
          ${(deputies.data ?? []).map((d) => html`<option value=${d.id}>${d.name}</option>`)}
        </select>
        <label for="lv-reason">请假原因</label>
        <input id="lv-reason" value=${leave.reason} onInput=${(e) => { const v = e.currentTarget.value; setLeave((l) => ({ ...l, reason: v })); }} />
        <button class="primary" type="submit">登记请假</button>
      </form>
    </details>
    <${Loading} state=${list} />
    <ul class="wb-list" id="wb-meetings">
      ${(list.data ?? []).map((m) => html`<li class="card" data-title=${m.title}>
        <p><strong>${m.title}</strong></p>
        <p class="muted">${MEETING_KINDS[m.kind] ?? m.kind} · ${formatTime(m.starts_at)} · ${m.place}</p>
        <div class="wb-actions">
          <button type="button" onClick=${() => notice(m, false)}>发送通知</button>
          <button type="button" onClick=${() => notice(m, true)}>紧急通知</button>
          <a class="button" href=${`/meetings/${m.id}/checkin-screen`} target="_blank" rel="noopener">签到屏</a>
          <button type="button" onClick=${() => close(m)}>关闭签到</button>
        </div>
      </li>`)}
    </ul>`;
}

function Calendar() {
  const [tick, setTick] = useState(0);
  const list = useLoad(() => pb.collection('calendar_overrides').getFullList({ sort: '-date' }), [tick]);
  const [form, setForm] = useState({ date: chinaNow().slice(0, 10), workday: 'false', name: '' });
  const [error, setError] = useState('');
  async function act(fn) {
    setError('');
    try { await fn(); setTick((n) => n + 1); } catch (err) { setError(errorText(err)); }
  }
  return html`
    <h3>日历（节假日和调休）</h3>
    <p class="muted">国家公布的节假日已经内置；这里只登记本镇另外的放假或调休上班，办理期限按它计算。</p>
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    <form id="wb-calendar" novalidate onSubmit=${(e) => { e.preventDefault(); const v = formValues(e.currentTarget); act(() => pb.collection('calendar_overrides').create({ ...v, workday: v.workday === 'true' })); }}>
      <label for="cal-date">日期</label>
      <input id="cal-date" name="date" type="date" value=${form.date} onInput=${(e) => { const v = e.currentTarget.value; setForm((f) => ({ ...f, date: v })); }} />
      <label for="cal-kind">这一天</label>
      <select id="cal-kind" name="workday" value=${form.workday} onChange=${(e) => { const v = e.currentTarget.value; setForm((f) => ({ ...f, workday: v })); }}>
        <option value="false">放假</option><option value="true">调休上班</option>
      </select>
      <label for="cal-name">名称</label>
      <input id="cal-name" name="name" value=${form.name} onInput=${(e) => { const v = e.currentTarget.value; setForm((f) => ({ ...f, name: v })); }} />
      <button class="primary" type="submit">登记</button>
    </form>
    <${Loading} state=${list} />
    <ul class="wb-list">
      ${(list.data ?? []).map((o) => html`<li class="card"><p>${o.date} ${o.workday ? '调休上班' : '放假'} ${o.name}</p>
        <button type="button" onClick=${() => act(() => pb.collection('calendar_overrides').delete(o.id))}>删除</button></li>`)}
    </ul>`;
}

async function download(path, name) {
  const res = await fetch(path, { headers: { Authorization: pb.authStore.token } });
  if (!res.ok) throw new Error(`服务器答复 ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Year() {
  const thisYear = Number(chinaNow().slice(0, 4));
  const [year, setYear] = useState(thisYear - 1);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  async function act(fn, ok) {
    setError(''); setNote('');
    try { await fn(); setNote(ok); } catch (err) { setError(errorText(err)); }
  }
  const exports = [
    ['考核得分表', `/api/assessment/export.xlsx?year=${year}`, `${year}年代表履职考核.xlsx`],
    ['执法检查季度计划', `/api/ledger/plan.xlsx?year=${year}`, `${year}年安全生产执法检查季度计划.xlsx`],
    ['隐患台账', '/api/ledger/hazards.xlsx', '隐患台账.xlsx'],
  ];
  return html`
    <h3>年度考核和导出</h3>
    <label for="yr">年度</label>
    <select id="yr" value=${year} onChange=${(e) => setYear(Number(e.currentTarget.value))}>
      ${[thisYear, thisYear - 1, thisYear - 2].map((y) => html`<option value=${y}>${y}年</option>`)}
    </select>
    ${note && html`<p class="notice ok" role="status" id="wb-note">${note}</p>`}
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    <div class="wb-actions">
      <button type="button" onClick=${() => act(() => pb.send('/api/assessment/recompute', { method: 'POST', body: { year } }), `${year}年考核已重新计算。`)}>重新计算</button>
      <button type="button" onClick=${() => confirm(`结算后${year}年的得分不再变动，确定结算？`) && act(() => pb.send(`/api/assessment/years/${year}/close`, { method: 'POST' }), `${year}年考核已结算。`)}>结算年度</button>
      <button type="button" onClick=${() => confirm(`结算${year}年走访（不少于12户）？`) && act(() => pb.send(`/api/visits/years/${year}/close`, { method: 'POST' }), `${year}年走访已结算。`)}>结算走访年度</button>
    </div>
    <p class="muted">已结算的年度需要重新开放时，请联系技术管理员（重新开放须填写原因）。</p>
    <h3>导出</h3>
    <div class="wb-actions">
      ${exports.map(([label, path, name]) => html`<button type="button" onClick=${() => act(() => download(path, name), `${label}已导出。`)}>${label}</button>`)}
    </div>`;
}

const STATES = { pending: '待发', sending: '发送中', sent: '已发', failed: '失败待重试', dead: '已放弃' };
const CHANNELS = { inapp: '站内通知', sms: '短信', wecom: '企业微信' };

function Outbox() {
  const [tick, setTick] = useState(0);
  const [state, setState] = useState('dead');
  const status = useLoad(() => pb.send('/api/simeng/notify/status', {}), [tick]);
  const list = useLoad(() => pb.collection('notify_outbox').getList(1, 50, { filter: pb.filter('state = {:s}', { s: state }), sort: '-updated' }).then((r) => r.items), [state, tick]);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const resend = async (row) => {
    setError(''); setNote('');
    try {
      await pb.send(`/api/simeng/notify/outbox/${row.id}/resend`, { method: 'POST' });
      setNote('已重新排队发送。'); setTick((n) => n + 1);
    } catch (err) { setError(errorText(err)); }
  };
  return html`
    <h3>通知发件箱</h3>
    ${status.data && html`<ul class="wb-list" id="wb-channels">
      ${Object.entries(CHANNELS).map(([k, label]) => html`<li>${label}：${status.data[k]?.on ? '已开通' : '未开通（技术管理员在后台设置）'}</li>`)}
    </ul>`}
    <p class="muted">“已放弃”的短信如果原因是“outcome unknown”（服务商没有答复是否发出），重新发送后对方可能收到两条。</p>
    <label for="ob-state">状态</label>
    <select id="ob-state" value=${state} onChange=${(e) => setState(e.currentTarget.value)}>
      ${Object.entries(STATES).map(([k, v]) => html`<option value=${k}>${v}</option>`)}
    </select>
    ${note && html`<p class="notice ok" role="status">${note}</p>`}
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    <${Loading} state=${list} />
    ${list.data && list.data.length === 0 && html`<p class="muted">没有这种状态的通知。</p>`}
    <ul class="wb-list" id="wb-outbox">
      ${(list.data ?? []).map((r) => html`<li class="card">
        <p><span class="badge">${CHANNELS[r.channel] ?? r.channel}</span> ${r.template}</p>
        <p class="muted">尝试 ${r.attempts} 次 · ${formatTime(r.updated)}</p>
        ${r.last_error && html`<p class="reason">原因：${r.last_error}</p>`}
        ${r.state === 'dead' && html`<button type="button" onClick=${() => resend(r)}>重新发送</button>`}
      </li>`)}
    </ul>`;
}

const ACTIONS = { create: '新建', update: '修改', delete: '删除', close: '结算', recompute: '重新计算', checkin: '签到', absences: '登记缺席', resend: '重发通知', notify: '发送通知' };

function Audit() {
  const [q, setQ] = useState({ who: '', what: '', day: '' });
  const [applied, setApplied] = useState(q);
  const list = useLoad(() => {
    const parts = [];
    if (applied.who) parts.push(pb.filter('actor_name ~ {:w}', { w: applied.who }));
    if (applied.what) parts.push(pb.filter('(collection ~ {:x} || record_id = {:x})', { x: applied.what }));
    if (applied.day) {
      const from = new Date(`${applied.day}T00:00:00+08:00`);
      parts.push(pb.filter('at >= {:f} && at < {:t}', { f: from, t: new Date(from.getTime() + 86400e3) }));
    }
    return pb.collection('audit_log').getList(1, 50, { filter: parts.join(' && '), sort: '-seq' }).then((r) => r.items);
  }, [applied]);
  return html`
    <h3>操作记录（只读）</h3>
    <form novalidate onSubmit=${(e) => { e.preventDefault(); setApplied(q); }}>
      <label for="au-who">操作人</label><input id="au-who" value=${q.who} onInput=${(e) => { const v = e.currentTarget.value; setQ((x) => ({ ...x, who: v })); }} />
      <label for="au-what">数据表或记录编号</label><input id="au-what" value=${q.what} onInput=${(e) => { const v = e.currentTarget.value; setQ((x) => ({ ...x, what: v })); }} />
      <label for="au-day">日期</label><input id="au-day" type="date" value=${q.day} onInput=${(e) => { const v = e.currentTarget.value; setQ((x) => ({ ...x, day: v })); }} />
      <button class="primary" type="submit">查找</button>
    </form>
    <${Loading} state=${list} />
    <ul class="wb-list" id="wb-audit">
      ${(list.data ?? []).map((a) => html`<li class="card">
        <p><strong>${a.actor_name || a.actor_kind}</strong> ${ACTIONS[a.action] ?? a.action} ${a.collection}</p>
        <p class="muted">${formatTime(a.at)} · ${a.via || ''} ${a.reason ? '· ' + a.reason : ''}</p>
      </li>`)}
    </ul>`;
}
