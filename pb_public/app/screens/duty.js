// 值班签到 (#/duty): today's duty at the liaison station. The station's
// wall QR code of the day opens APP_URL/#/duty?t=TOKEN; the token is sent
// once (POST /api/station/checkin) and the server checks it is today's
// code and that the logged-in deputy is on today's roster there. Offline,
// the token is kept on the phone and sent as soon as the signal returns
// (the server judges the day). Then today's bookings (预约), with 接待并记录
// (a reception, offline) and 未到, and the way to the roster and swaps.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { getMeta, setMeta } from '../store.js';
import { hashParams, errorText, formatTime } from '../ui.js';
import { BOOKING_STATUS, CHECKIN_METHOD } from '../lists.js';
import { loadMy, chinaToday, stationOf } from './station-data.js';

const PENDING_KEY = 'station-checkin-pending';

async function sendCheckin(token) {
  return pb.send('/api/station/checkin', { method: 'POST', body: { token } });
}

export function Duty({ online }) {
  const [token] = useState(() => (hashParams().get('t') ?? '').trim());
  const [my, setMy] = useState(null);
  const [check, setCheck] = useState(token ? { busy: true } : null);
  const [bookings, setBookings] = useState(null);
  const [actionError, setActionError] = useState('');
  const [reload, setReload] = useState(0);
  const today = chinaToday();

  useEffect(() => { loadMy().then(setMy); }, [online, reload]);

  // The check-in: the scanned token now, or one kept from an offline scan.
  useEffect(() => {
    let gone = false;
    (async () => {
      const tok = token || (await getMeta(PENDING_KEY))?.token;
      if (!tok) return;
      if (!navigator.onLine) {
        await setMeta(PENDING_KEY, { token: tok, at: new Date().toISOString() });
        if (!gone) setCheck({ waiting: true });
        return;
      }
      try {
        const res = await sendCheckin(tok);
        await setMeta(PENDING_KEY, null);
        history.replaceState(null, '', '#/duty');
        if (!gone) {
          setCheck({ res });
          // The duty shows checked in at once; the server's copy follows.
          setMy((m) => m && { ...m, duties: m.duties.map((d) => (d.id === res.duty
            ? { ...d, status: res.status, checkin_method: res.checkin_method, checked_in_at: res.checked_in_at } : d)) });
          setReload((n) => n + 1);
        }
      } catch (err) {
        if (!navigator.onLine || err?.status === 0) {
          await setMeta(PENDING_KEY, { token: tok, at: new Date().toISOString() });
          if (!gone) setCheck({ waiting: true });
          return;
        }
        await setMeta(PENDING_KEY, null);
        if (!gone) setCheck({ error: err?.status === 403 ? (err?.response?.message || errorText(err)) : errorText(err) });
      }
    })();
    return () => { gone = true; };
  }, [token, online]);

  const duties = (my?.duties ?? []).filter((d) => d.date === today);
  useEffect(() => {
    if (!online || !duties.length) return;
    pb.send('/api/station/bookings', { query: { date: today } })
      .then((res) => { setBookings(res.items); setMeta('station-bookings-' + today, res.items); }, () => {});
  }, [online, duties.length, reload]);
  useEffect(() => {
    if (!online) getMeta('station-bookings-' + today).then((b) => setBookings(b ?? null));
  }, [online]);

  async function noShow(b) {
    setActionError('');
    try {
      await pb.send(`/api/station/bookings/${b.id}/mark`, { method: 'POST', body: { status: 'no_show' } });
      setReload((n) => n + 1);
    } catch (err) {
      setActionError(`未保存：${errorText(err)}`);
    }
  }

  let checkin = null;
  if (check?.busy) checkin = html`<p class="muted" role="status">正在签到…</p>`;
  else if (check?.waiting) checkin = html`<p class="notice info" role="status">已记下签到码：现在没有网络，联网后自动签到（当天有效）。</p>`;
  else if (check?.error) checkin = html`<p class="notice bad" role="alert">签到未成功：${check.error}</p>`;
  else if (check?.res) {
    checkin = html`<div class="notice ok checkin-ok" role="status"><p><strong>${check.res.already ? '您今天已签到，无需重复签到' : '签到成功'}</strong></p>
      <p>${check.res.station_name} · ${check.res.label}</p><p>签到时间：${formatTime(check.res.checked_in_at)}</p></div>`;
  }

  const next = (my?.duties ?? []).find((d) => d.date > today);
  return html`
    <h2>联络站值班</h2>
    ${checkin}
    ${!my ? html`<p class="muted">${online ? '正在读取值班安排…' : '需要联网一次才能看到值班安排。'}</p>` : html`
      ${duties.length ? duties.map((d) => {
        const st = stationOf(my, d.station);
        return html`<section class="card soft duty-today" data-status=${d.status} key=${d.id}>
          <p><strong>今天您在${st?.name ?? '本站'}值班</strong></p>
          ${st && html`<p>${st.address}${st.opening_notes ? `。${st.opening_notes}` : ''}</p>`}
          <p>${d.checkin_method ? html`<span class="badge s-synced">${CHECKIN_METHOD[d.checkin_method]}</span> 已签到 ${formatTime(d.checked_in_at)}`
            : html`<span class="badge s-pending">待签到</span> 请用手机相机或微信扫描联络站墙上今天的签到二维码。`}</p>
        </section>`;
      }) : html`<p class="card">今天没有您的值班安排。${next ? `下一次值班：${next.label}。` : ''}</p>`}
      ${duties.length > 0 && html`
        <a class="button primary" href="#/reception">记录接待</a>
        <h2>今天的预约</h2>
        ${actionError && html`<p class="notice bad" role="alert">${actionError}</p>`}
        ${bookings === null ? html`<p class="muted">${online ? '正在读取…' : '需要联网才能看到预约。'}</p>`
          : !bookings.length ? html`<p class="muted">今天还没有群众预约。没有预约的群众也照常接待。</p>`
          : html`<ul class="plain">${bookings.map((b) => html`<li key=${b.id} class="card booking" data-status=${b.status}>
            <p>${b.description}</p>
            <p class="muted">${b.deputy_name ? `预约：${b.deputy_name}` : '预约当天值班代表'}${b.resident_phone_masked ? ` · 电话 ${b.resident_phone_masked}` : ''} · <span class="booking-status">${BOOKING_STATUS[b.status] ?? b.status}</span></p>
            ${(b.status === 'booked' || b.status === 'no_show') && html`<div class="row">
              <a class="button" href=${`#/reception?booking=${b.id}&station=${b.station}`}>接待并记录</a>
              ${b.status === 'booked' && online && html`<button type="button" onClick=${() => noShow(b)}>未到</button>`}
            </div>`}
          </li>`)}</ul>`}`}
    `}
    <a class="button" href="#/roster">我的排班和换班</a>`;
}
