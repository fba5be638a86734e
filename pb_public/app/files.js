// Files the server makes for a login: charts (SVG) drawn through <img>,
// Excel downloads, and print pages opened in a tab of their own through a
// short-lived link (a new tab has no login header to send).
import { html, useState, useEffect } from '../vendor/preact-htm.js';
import { pb } from './api.js';

async function authBlob(path) {
  const res = await fetch(path, { headers: { Authorization: pb.authStore.token } });
  if (!res.ok) throw new Error(`服务器答复 ${res.status}`);
  return res.blob();
}

// ChartImg draws a chart the server renders as SVG. The page's CSP keeps
// inline styles out of the document, so the SVG is shown as an image.
export function ChartImg({ path, alt }) {
  const [src, setSrc] = useState('');
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let url = '';
    let live = true;
    setFailed(false);
    authBlob(path).then((b) => {
      url = URL.createObjectURL(b);
      if (live) setSrc(url); else URL.revokeObjectURL(url);
    }, () => live && setFailed(true));
    return () => { live = false; if (url) URL.revokeObjectURL(url); };
  }, [path]);
  if (failed) return html`<p class="muted">图表需要联网才能显示。</p>`;
  return html`<figure class="chart">${src ? html`<img src=${src} alt=${alt} />` : html`<p class="muted">正在画图…</p>`}</figure>`;
}

// download saves the file at path (a login's) under name.
export async function download(path, name) {
  const url = URL.createObjectURL(await authBlob(path));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// openPrint opens a print page in a new tab with a 10-minute link. The tab
// is opened first (a popup blocker allows it only in the click), then sent
// to the link.
export async function openPrint(path) {
  const tab = window.open('', '_blank');
  try {
    const res = await pb.send('/api/simeng/reports/print-link', { method: 'POST', body: { path } });
    if (tab) tab.location.href = res.url; else location.href = res.url;
  } catch (err) {
    tab?.close();
    throw err;
  }
}
