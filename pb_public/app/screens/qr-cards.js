// 打印代表码联系卡 (staff): opens the A4 sheet of deputies' QR contact cards
// (/staff/qr-cards) in a tab of its own for printing. The sheet takes this
// login's token, POSTed in a form field so it is never in a URL; no second
// password.
import { html } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';

export function QRCards({ online }) {
  return html`
    <h2>打印代表码联系卡</h2>
    <p>每位在任代表一张：姓名、所在村、照片和代表码。A4 纸每页 8 张，按村排列，剪开后交各村张贴或发给代表。</p>
    <p class="muted">打开后用浏览器的“打印”，纸张选 A4，勾选“背景图形”。页面上也有每位代表二维码的单独下载（交印刷厂用）。</p>
    ${!online && html`<p class="notice bad" role="status">需要联网才能打开联系卡。</p>`}
    <form method="post" action="/staff/qr-cards" target="_blank">
      <input type="hidden" name="token" value=${pb.authStore.token} />
      <button class="primary" type="submit" disabled=${!online}>打开联系卡（新页面）</button>
    </form>`;
}
