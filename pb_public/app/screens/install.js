// 安装: add to home screen. Browsers may evict the storage of sites that are
// not installed, so this matters for records not yet uploaded. Inside
// WeChat the app cannot be installed: explain how to open it in the
// phone's browser.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';

let deferredPrompt = null;
addEventListener('beforeinstallprompt', (e) => { e.preventDefault(); deferredPrompt = e; });

export const isWeChat = () => /MicroMessenger/i.test(navigator.userAgent);
export const isIOS = () => /iPhone|iPad|iPod/i.test(navigator.userAgent);
export const isStandalone = () => matchMedia('(display-mode: standalone)').matches || navigator.standalone === true;

export function Install() {
  const [canPrompt, setCanPrompt] = useState(!!deferredPrompt);
  const [done, setDone] = useState(isStandalone());
  useEffect(() => {
    const on = () => setCanPrompt(true);
    const installed = () => setDone(true);
    addEventListener('beforeinstallprompt', on);
    addEventListener('appinstalled', installed);
    return () => { removeEventListener('beforeinstallprompt', on); removeEventListener('appinstalled', installed); };
  }, []);

  async function install() {
    if (!deferredPrompt) return;
    deferredPrompt.prompt();
    const { outcome } = await deferredPrompt.userChoice;
    deferredPrompt = null;
    setCanPrompt(false);
    if (outcome === 'accepted') setDone(true);
  }

  if (done) return html`<h2>已安装</h2><p>本应用已在手机桌面，可以从桌面图标打开。</p>`;
  return html`
    <h2>添加到手机桌面</h2>
    <p>添加到桌面后：打开更快，没有信号也能用，手机不会清理还没上传的走访记录。</p>
    ${isWeChat() ? html`
      <section class="card notice info" aria-labelledby="wx-title">
        <h2 id="wx-title">您正在微信里打开</h2>
        <p>微信里不能添加到桌面，离线记录也可能被微信清理。请这样做：</p>
        <ol>
          <li>点右上角的 <strong>「···」</strong>（三个点）；</li>
          <li>选 <strong>「在浏览器打开」</strong>（苹果手机选「在 Safari 中打开」）；</li>
          <li>在浏览器里登录后，按下面的方法添加到桌面。</li>
        </ol>
      </section>` : ''}
    ${canPrompt ? html`<button class="primary" type="button" onClick=${install}>添加到桌面</button>` : html`
      <section class="card">
        <h2>${isIOS() ? '苹果手机（Safari）' : '安卓手机'}</h2>
        ${isIOS() ? html`<ol><li>点屏幕下方的「分享」按钮（方框加向上箭头）；</li><li>选「添加到主屏幕」；</li><li>点「添加」。</li></ol>` : html`
          <ol><li>点浏览器右上角或下方的菜单（「⋮」或「≡」）；</li><li>选「添加到主屏幕」或「添加到桌面」「安装应用」；</li><li>点「添加」或「安装」。</li></ol>
          <p class="muted">华为、小米、vivo、OPPO 自带浏览器的菜单名称略有不同；找不到时可以用 Chrome 或 Edge 浏览器打开。</p>`}
      </section>`}`;
}
