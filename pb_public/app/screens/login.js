// 登录: who is logging in (人大代表 / 承办单位 / 工作人员, remembered on the
// phone), then phone + password. The session survives offline (token kept
// locally).
import { html, useState } from '../../vendor/preact-htm.js';
import { login, LoginRefused, ACCOUNT_KINDS, rememberedKind } from '../api.js';

export function Login({ onLogin, notice }) {
  const [kind, setKind] = useState(rememberedKind());
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const account = ACCOUNT_KINDS.find((a) => a.kind === kind) ?? ACCOUNT_KINDS[0];

  async function submit(e) {
    e.preventDefault();
    setError('');
    if (!phone.trim()) return setError('请填写手机号');
    if (!password) return setError('请填写密码');
    setBusy(true);
    try {
      onLogin(await login(phone, password, kind));
    } catch (err) {
      if (err instanceof LoginRefused) setError(err.message);
      else if (!navigator.onLine || err?.status === 0) setError('无法连接服务器。第一次登录需要网络，请到有信号的地方再试。');
      else if (err?.status === 400) setError(`手机号或密码不正确，或账号已停用。请确认上面选的是“${account.label}”。`);
      else if (err?.status === 429) setError('尝试次数太多，请稍后再试。');
      else setError('登录失败，请稍后再试。');
    } finally {
      setBusy(false);
    }
  }

  return html`
    <header class="top"><h1>思蒙镇智慧人大</h1></header>
    <main id="main" class="no-bar">
      <h2>${account.label}登录</h2>
      ${notice && html`<p class="notice info" role="status">${notice}</p>`}
      <fieldset class="kinds">
        <legend>我是</legend>
        <div class="kind-choice">
          ${ACCOUNT_KINDS.map((a) => html`<button type="button" class="kind" aria-pressed=${a.kind === kind ? 'true' : 'false'}
            onClick=${() => { setKind(a.kind); setError(''); }}>${a.label}</button>`)}
        </div>
      </fieldset>
      <form onSubmit=${submit} novalidate>
        <label for="login-phone">手机号</label>
        <input id="login-phone" type="tel" inputmode="numeric" autocomplete="username" value=${phone}
          onInput=${(e) => setPhone(e.currentTarget.value)} />
        <label for="login-password">密码</label>
        <input id="login-password" type="password" autocomplete="current-password" value=${password}
          onInput=${(e) => setPassword(e.currentTarget.value)} />
        ${error && html`<p class="notice bad" role="alert">${error}</p>`}
        <button class="primary" type="submit" disabled=${busy}>${busy ? '正在登录…' : '登录'}</button>
      </form>
      <p class="muted">${kind === 'deputy'
        ? '登录一次后，没有信号也能记走访，有信号时自动上传。忘记密码请联系镇人大联络员。'
        : '账号由镇人大办公室开通。忘记密码请联系镇人大联络员。'}</p>
    </main>`;
}
