// 会议签到: the meeting screen's QR holds APP_URL/#/checkin?t=TOKEN. Scanned
// with the phone camera or WeChat it opens here (after the login if the
// phone has no session: the token waits in the hash), and the check-in is
// sent once: POST /api/meetings/checkin records the logged-in deputy as
// present. Online only: the code lives 90 seconds, so an offline scan
// cannot be kept for later.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { hashParams, errorText, formatTime } from '../ui.js';

const EXPIRED = '二维码已过期，请重新扫描会场二维码';

// checkinError words the server's refusal for the deputy.
function checkinError(err) {
  const text = errorText(err);
  if (/过期/.test(text)) return EXPIRED;
  if (err?.status === 403) return err?.response?.message || text;
  return text;
}

export function Checkin() {
  // Read once: the hash is cleared after the check-in (below).
  const [token] = useState(() => (hashParams().get('t') ?? '').trim());
  const [state, setState] = useState({ busy: !!token });

  useEffect(() => {
    if (!token) return;
    if (!navigator.onLine) { setState({ error: 'offline' }); return; }
    let gone = false;
    (async () => {
      try {
        const res = await pb.send('/api/meetings/checkin', { method: 'POST', body: { token } });
        const meeting = await pb.collection('meetings').getOne(res.meeting, { fields: 'title,starts_at,place' }).catch(() => null);
        // Forget the token: a reload then shows the scan advice rather
        // than an expired code after a check-in that went through.
        history.replaceState(null, '', '#/checkin');
        if (!gone) setState({ res, meeting });
      } catch (err) {
        if (!gone) setState({ error: !navigator.onLine || err?.status === 0 ? 'offline' : checkinError(err) });
      }
    })();
    return () => { gone = true; };
  }, [token]);

  let body;
  if (!token) {
    body = html`<p>请用手机相机或微信扫描会场屏幕上的签到二维码，扫码后会自动打开本页面完成签到。</p>`;
  } else if (state.busy) {
    body = html`<p class="muted" role="status">正在签到…</p>`;
  } else if (state.error === 'offline') {
    body = html`<div class="notice bad" role="alert"><p>需要联网：现在没有网络，签到没有完成。</p>
      <p>请到有信号的地方，再扫描一次会场屏幕上的二维码（二维码每90秒更换一次）。</p></div>`;
  } else if (state.error) {
    body = html`<p class="notice bad" role="alert">签到未成功：${state.error}</p>
      <p>如有疑问请联系会场工作人员。</p>`;
  } else {
    const { res, meeting } = state;
    body = html`<div class="notice ok checkin-ok" role="status">
      <p><strong>${res.already ? '您已签到，无需重复签到' : '签到成功'}</strong></p>
      <p>${meeting?.title || res.title}</p>
      ${meeting?.starts_at && html`<p>会议时间：${formatTime(meeting.starts_at)}${meeting.place ? ` · ${meeting.place}` : ''}</p>`}
      <p>签到时间：${formatTime(res.checked_in_at)}</p>
    </div>`;
  }
  return html`<h2>会议签到</h2>
    ${body}
    <a class="button" href="#/">返回首页</a>`;
}
