// 排班和换班 (#/roster): the deputy's coming duties at the liaison station,
// swap requests (换班: 代班, or 互换 two days) to and from colleagues — the
// colleague accepts here, the server checks the roster still allows it —
// and the days the deputy cannot serve, which the next roster leaves out.
// Online only for changes; the last copy is shown offline.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { errorText } from '../ui.js';
import { DUTY_STATUS, SWAP_KIND, SWAP_STATUS } from '../lists.js';
import { loadMy, chinaToday, stationOf } from './station-data.js';

export function Roster({ user, online }) {
  const [my, setMy] = useState(null);
  const [reload, setReload] = useState(0);
  const [message, setMessage] = useState(null);
  const [swapFor, setSwapFor] = useState(null); // the duty a swap is being asked for
  const today = chinaToday();
  useEffect(() => { loadMy().then(setMy); }, [online, reload]);

  async function act(what, fn) {
    setMessage(null);
    try {
      await fn();
      setMessage({ ok: true, text: what });
      setSwapFor(null);
      setReload((n) => n + 1);
    } catch (err) {
      setMessage({ ok: false, text: `未成功：${errorText(err)}` });
    }
  }
  const post = (path, body = {}) => pb.send(path, { method: 'POST', body });

  if (!my) return html`<h2>我的排班和换班</h2><p class="muted">${online ? '正在读取…' : '需要联网一次才能看到排班。'}</p>`;
  const mine = my.duties.filter((d) => d.date >= today);
  return html`
    <h2>我的排班和换班</h2>
    ${message && html`<p class=${'notice ' + (message.ok ? 'ok' : 'bad')} role=${message.ok ? 'status' : 'alert'}>${message.text}</p>`}
    ${!online && html`<p class="notice bad" role="status">需要联网：现在没有网络，只能查看，不能换班或登记。</p>`}

    ${my.incoming.length > 0 && html`<section aria-labelledby="in-title">
      <h2 id="in-title">请我换班（${my.incoming.length}）</h2>
      ${my.incoming.map((s) => html`<article class="card swap-in" data-id=${s.id} key=${s.id}>
        <p><strong>${s.requester_name}</strong> 请您${s.kind === 'cover'
          ? html`代班：${s.date_label}替TA值班`
          : html`互换：您${s.date_label}替TA值班，TA${s.other_date_label}替您值班`}。</p>
        ${s.note && html`<p class="muted">留言：${s.note}</p>`}
        <div class="row">
          <button type="button" class="primary" disabled=${!online} onClick=${() => act('已同意换班，排班已更新。', () => post(`/api/station/swaps/${s.id}/accept`))}>同意</button>
          <button type="button" disabled=${!online} onClick=${() => act('已婉拒。', () => post(`/api/station/swaps/${s.id}/decline`))}>婉拒</button>
        </div>
      </article>`)}
    </section>`}

    <h2>我的值班</h2>
    ${!mine.length ? html`<p class="muted">近期没有您的值班安排。</p>` : html`<ul class="plain">${mine.map((d) => html`
      <li key=${d.id} class="card duty" data-date=${d.date}>
        <p><strong>${d.label}</strong> ${stationOf(my, d.station)?.name ?? ''} · ${DUTY_STATUS[d.status] ?? d.status}</p>
        ${d.date > today && online && html`<button type="button" onClick=${() => setSwapFor(d)} aria-expanded=${swapFor?.id === d.id}>申请换班</button>`}
        ${swapFor?.id === d.id && html`<${SwapForm} my=${my} duty=${d} me=${user.id} onSubmit=${(body) => act('换班申请已发出，等对方答复。', () => post('/api/station/swaps', body))} />`}
      </li>`)}</ul>`}

    ${my.outgoing.length > 0 && html`<h2>我的换班申请</h2>
      <ul class="plain">${my.outgoing.map((s) => html`<li key=${s.id} class="card swap-out" data-status=${s.status}>
        <p>${SWAP_KIND[s.kind]}：${s.date_label}${s.other_date_label ? ` ↔ ${s.other_date_label}` : ''}，请 ${s.other_name} · <strong>${SWAP_STATUS[s.status] ?? s.status}</strong></p>
        ${s.void_reason && html`<p class="muted">${s.void_reason}</p>`}
        ${s.status === 'pending' && html`<button type="button" disabled=${!online} onClick=${() => act('已撤回。', () => post(`/api/station/swaps/${s.id}/withdraw`))}>撤回</button>`}
      </li>`)}</ul>`}

    <${Unavailable} my=${my} me=${user.id} online=${online} act=${act} />`;
}

// SwapForm asks a colleague to take one duty (代班) or to exchange it for
// one of theirs (互换). The server decides; its refusal is shown as worded.
function SwapForm({ my, duty, me, onSubmit }) {
  const [kind, setKind] = useState('cover');
  const [other, setOther] = useState('');
  const [otherDate, setOtherDate] = useState('');
  const [note, setNote] = useState('');
  const onDay = (date) => my.roster.find((r) => r.station === duty.station && r.date === date)?.deputies.map((x) => x.id) ?? [];
  const busy = onDay(duty.date);
  const colleagues = my.colleagues.filter((c) => !busy.includes(c.id));
  const theirDays = my.roster.filter((r) => r.station === duty.station && r.date > chinaToday() && r.date !== duty.date &&
    r.deputies.some((x) => x.id === other) && !r.deputies.some((x) => x.id === me));
  return html`<form class="card soft" onSubmit=${(e) => { e.preventDefault(); onSubmit({ station: duty.station, kind, other, date: duty.date, other_date: kind === 'exchange' ? otherDate : '', note }); }}>
    <label for=${'swap-kind-' + duty.id}>换班方式</label>
    <select id=${'swap-kind-' + duty.id} value=${kind} onChange=${(e) => setKind(e.currentTarget.value)}>
      <option value="cover">${SWAP_KIND.cover}：请同事替我值这一天</option>
      <option value="exchange">${SWAP_KIND.exchange}：我再替同事值TA的一天</option>
    </select>
    <label for=${'swap-other-' + duty.id}>请哪位同事</label>
    <select id=${'swap-other-' + duty.id} value=${other} onChange=${(e) => setOther(e.currentTarget.value)}>
      <option value="">请选择</option>
      ${colleagues.map((c) => html`<option value=${c.id}>${c.name}</option>`)}
    </select>
    ${kind === 'exchange' && html`<label for=${'swap-date-' + duty.id}>我替TA值哪一天</label>
      <select id=${'swap-date-' + duty.id} value=${otherDate} onChange=${(e) => setOtherDate(e.currentTarget.value)}>
        <option value="">请选择</option>
        ${theirDays.map((r) => html`<option value=${r.date}>${r.label}</option>`)}
      </select>`}
    <label for=${'swap-note-' + duty.id}>留言（选填）</label>
    <input id=${'swap-note-' + duty.id} type="text" value=${note} onInput=${(e) => setNote(e.currentTarget.value)} />
    <button type="submit" class="primary">发出换班申请</button>
  </form>`;
}

// Unavailable lists and records the days the deputy cannot serve.
function Unavailable({ my, me, online, act }) {
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  return html`<section aria-labelledby="un-title">
    <h2 id="un-title">不能值班的日期</h2>
    <p class="muted">登记后，下一次排班不会安排您在这些日期值班；已排的值班请申请换班。</p>
    ${my.unavailable.length > 0 && html`<ul class="plain">${my.unavailable.map((u) => html`<li key=${u.id} class="row card">
      <span>${u.label}${u.reason ? `（${u.reason}）` : ''}</span>
      <button type="button" disabled=${!online} onClick=${() => act('已删除。', () => pb.collection('duty_unavailability').delete(u.id))}>删除</button>
    </li>`)}</ul>`}
    <form onSubmit=${(e) => { e.preventDefault(); act('已登记。', () => pb.collection('duty_unavailability').create({ deputy: me, date, reason: reason.trim() })); }}>
      <label for="un-date">日期</label>
      <input id="un-date" type="date" value=${date} onInput=${(e) => setDate(e.currentTarget.value)} />
      <label for="un-reason">原因（选填）</label>
      <input id="un-reason" type="text" value=${reason} onInput=${(e) => setReason(e.currentTarget.value)} />
      <button type="submit" disabled=${!online || !date}>登记不能值班</button>
    </form>
  </section>`;
}
