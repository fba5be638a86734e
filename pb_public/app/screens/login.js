// 登录: who is logging in (人大代表 / 承办单位 / 工作人员, remembered on the
// phone), then phone + password, or phone + 验证码 (an SMS code), or 忘记密码
// (a code and a new password). The session survives offline (token kept
// locally).
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { login, loginWithCode, requestCode, LoginRefused, ACCOUNT_KINDS, CODE_KINDS, rememberedKind } from '../api.js';

const PASSWORD = 'password';
const CODE = 'code';
const RESET = 'reset';

// WAIT is how long before another code may be asked for (the server's
// limit: one a minute a phone).
const WAIT = 60;

export function Login({ onLogin, notice }) {
  const [kind, setKind] = useState(rememberedKind());
  const [mode, setMode] = useState(PASSWORD);
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [otpId, setOtpId] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState('');
  const [info, setInfo] = useState('');
  const [busy, setBusy] = useState(false);
  const [left, setLeft] = useState(0);
  const account = ACCOUNT_KINDS.find((a) => a.kind === kind) ?? ACCOUNT_KINDS[0];
  const codes = CODE_KINDS.includes(kind);
  const m = codes ? mode : PASSWORD;

  useEffect(() => {
    if (left <= 0) return undefined;
    const t = setTimeout(() => setLeft(left - 1), 1000);
    return () => clearTimeout(t);
  }, [left]);

  const switchTo = (next) => { setMode(next); setError(''); setInfo(''); };

  function failed(err, what) {
    if (err instanceof LoginRefused) return setError(err.message);
    if (!navigator.onLine || err?.status === 0) return setError('无法连接服务器。第一次登录需要网络，请到有信号的地方再试。');
    if (err?.status === 429) return setError('尝试次数太多，请稍后再试。');
    if (err?.status === 503) return setError(err?.response?.message || '短信服务未开通，请联系联络员重置密码。');
    const fields = Object.values(err?.response?.data ?? {}).map((e) => e?.message).filter(Boolean);
    if (err?.status === 400 && fields.length) return setError(fields.join('；'));
    if (err?.status === 400) return setError(what);
    return setError('登录失败，请稍后再试。');
  }

  async function sendCode() {
    setError(''); setInfo('');
    if (!phone.trim()) return setError('请填写手机号');
    setBusy(true);
    try {
      setOtpId(await requestCode(phone, kind));
      setLeft(WAIT);
      setInfo('如果这个手机号开通了账号，验证码短信马上就到，5分钟内有效。');
    } catch (err) {
      if (err?.status === 400 && !(err instanceof LoginRefused)) setError(`手机号或密码不正确，或账号已停用。请确认上面选的是“${account.label}”。`);
      else if (err?.status === 429 && err?.response?.message?.startsWith('登录失败次数过多')) setError(err.response.message);
      else failed(err, '手机号不正确。');
    } finally {
      setBusy(false);
    }
  }

  async function submit(e) {
    e.preventDefault();
    setError('');
    if (!phone.trim()) return setError('请填写手机号');
    if (m === PASSWORD && !password) return setError('请填写密码');
    if (m !== PASSWORD && !otpId) return setError('请先点“获取验证码”');
    if (m !== PASSWORD && !code.trim()) return setError('请填写短信里的6位验证码');
    if (m === RESET && !newPassword) return setError('请填写新密码');
    setBusy(true);
    try {
      if (m === PASSWORD) onLogin(await login(phone, password, kind));
      else if (m === CODE) onLogin(await loginWithCode(otpId, code, kind));
      else onLogin(await loginWithCode(otpId, code, kind, newPassword, confirm));
    } catch (err) {
      failed(err, m === PASSWORD
        ? `手机号或密码不正确，或账号已停用。请确认上面选的是“${account.label}”。`
        : '验证码不正确或已过期，请重新获取。');
    } finally {
      setBusy(false);
    }
  }

  const title = { [PASSWORD]: '登录', [CODE]: '验证码登录', [RESET]: '忘记密码' }[m];
  return html`
    <header class="top"><h1>思蒙镇智慧人大</h1></header>
    <main id="main" class="no-bar">
      <h2>${account.label}${title}</h2>
      ${notice && html`<p class="notice info" role="status">${notice}</p>`}
      <fieldset class="kinds">
        <legend>我是</legend>
        <div class="kind-choice">
          ${ACCOUNT_KINDS.map((a) => html`<button type="button" class="kind" aria-pressed=${a.kind === kind ? 'true' : 'false'}
            onClick=${() => { setKind(a.kind); setError(''); }}>${a.label}</button>`)}
        </div>
      </fieldset>
      ${codes && html`<div class="login-modes" role="group" aria-label="登录方式">
        <button type="button" class="kind" aria-pressed=${m === PASSWORD ? 'true' : 'false'} onClick=${() => switchTo(PASSWORD)}>密码登录</button>
        <button type="button" class="kind" aria-pressed=${m === CODE ? 'true' : 'false'} onClick=${() => switchTo(CODE)}>验证码登录</button>
      </div>`}
      <form onSubmit=${submit} novalidate>
        <label for="login-phone">手机号</label>
        <input id="login-phone" type="tel" inputmode="numeric" autocomplete="username" value=${phone}
          onInput=${(e) => setPhone(e.currentTarget.value)} />
        ${m === PASSWORD && html`
          <label for="login-password">密码</label>
          <input id="login-password" type="password" autocomplete="current-password" value=${password}
            onInput=${(e) => setPassword(e.currentTarget.value)} />`}
        ${m !== PASSWORD && html`
          <button type="button" id="send-code" onClick=${sendCode} disabled=${busy || left > 0}>
            ${left > 0 ? `${left} 秒后可重新获取` : otpId ? '重新获取验证码' : '获取验证码'}</button>
          ${info && html`<p class="notice info" role="status">${info}</p>`}
          <label for="login-code">验证码</label>
          <input id="login-code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" value=${code}
            onInput=${(e) => setCode(e.currentTarget.value)} />`}
        ${m === RESET && html`
          <label for="login-new">新密码</label>
          <input id="login-new" type="password" autocomplete="new-password" value=${newPassword}
            onInput=${(e) => setNewPassword(e.currentTarget.value)} />
          <label for="login-confirm">再输一次新密码</label>
          <input id="login-confirm" type="password" autocomplete="new-password" value=${confirm}
            onInput=${(e) => setConfirm(e.currentTarget.value)} />
          <p class="muted">新密码至少10位，不要用手机号、生日或连续数字。</p>`}
        ${error && html`<p class="notice bad" role="alert">${error}</p>`}
        <button class="primary" type="submit" disabled=${busy}>${busy ? '请稍候…' : m === RESET ? '重设密码并登录' : '登录'}</button>
      </form>
      ${codes && m !== RESET && html`<button type="button" class="link-button" onClick=${() => switchTo(RESET)}>忘记密码</button>`}
      ${codes && m === RESET && html`<button type="button" class="link-button" onClick=${() => switchTo(PASSWORD)}>返回密码登录</button>`}
      <p class="muted">${kind === 'deputy'
        ? '登录一次后，没有信号也能记走访，有信号时自动上传。收不到验证码时，请联系镇人大联络员重置密码。'
        : codes ? '账号由镇人大办公室开通。收不到验证码时，请联系镇人大联络员。' : '账号由镇人大办公室开通。忘记密码请联系技术管理员。'}</p>
    </main>`;
}
