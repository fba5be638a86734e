// Entry point: session, hash routing, layout, service worker, sync.
import { html, render, useState, useEffect } from '../vendor/preact-htm.js';
import { pb, currentUser, refreshSession } from './api.js';
import { startAutoSync } from './sync.js';
import { Login } from './screens/login.js';
import { Home } from './screens/home.js';
import { roleOf, destination, barFor, DEPUTY, PRESIDIUM, STAFF } from './nav.js';
import { useUnread } from './notices.js';

// Login and home load with the app; every other screen is a module of its
// own fetched on first use (the service worker precaches them all, so this
// works offline), which keeps the first load within its budget. The
// destinations, who may open each and the menus are nav.js's registry.
const loadedViews = new Map();

// Screen renders a route's view, loading its module first if needed.
function Screen({ route, ...props }) {
  const [, setLoaded] = useState(0);
  const [failed, setFailed] = useState(false);
  const View = route.key === '' ? Home : loadedViews.get(route);
  useEffect(() => {
    if (View) return undefined;
    let live = true;
    route.load().then(
      (v) => { loadedViews.set(route, v); if (live) setLoaded((n) => n + 1); },
      () => { if (live) setFailed(true); },
    );
    return () => { live = false; };
  }, [route]);
  if (View) return html`<${View} ...${props} />`;
  return failed
    ? html`<p class="notice bad" role="alert">这一页还没有保存到手机上，需要联网才能打开。</p>`
    : html`<p class="muted">正在打开…</p>`;
}

// useRoute gives the screen (#/name) and the whole hash, so that a screen
// opened again with other parameters (#/dossier?id=…) starts afresh.
function useRoute() {
  const read = () => location.hash.replace(/^#\/?/, '');
  const [hash, setHash] = useState(read());
  useEffect(() => {
    const on = () => setHash(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return [hash.split('?')[0], hash];
}

function useOnline() {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(navigator.onLine);
    addEventListener('online', on);
    addEventListener('offline', on);
    return () => { removeEventListener('online', on); removeEventListener('offline', on); };
  }, []);
  return online;
}

// NoticeBell is the header's way to the notices, with the unread count.
function NoticeBell({ role, route }) {
  const n = useUnread(role, route);
  return html`<a class="bell" href="#/notices" id="notice-bell" aria-label=${n ? `通知，${n} 条未读` : '通知'}>
    通知${n > 0 && html`<span class="count">${n > 99 ? '99+' : n}</span>`}</a>`;
}

function App() {
  const [user, setUser] = useState(currentUser());
  const [route, hash] = useRoute();
  const online = useOnline();

  // Login hands the user over once the session is stored for the outbox;
  // here only a cleared session (logout) matters.
  useEffect(() => pb.authStore.onChange(() => { if (!pb.authStore.record) setUser(null); }), []);
  const role = roleOf(user);
  const deputy = role === DEPUTY || role === PRESIDIUM;
  useEffect(() => {
    if (!user) return;
    refreshSession();
    // Only deputies record offline: the outbox and its sync are theirs.
    if (deputy) startAutoSync();
    // Ask the browser not to evict our data (granted more readily once the
    // app is installed to the home screen).
    navigator.storage?.persist?.();
  }, [user?.id]);

  const r = destination(route, role);
  useEffect(() => { document.title = user ? `${r.title} · 思蒙镇智慧人大` : '登录 · 思蒙镇智慧人大'; }, [r.title, !!user]);

  // A check-in QR scanned before logging in: the token stays in the hash.
  const loginNotice = { checkin: '请先登录，登录后自动完成会议签到。', duty: '请先登录，登录后自动完成值班签到。' }[route] ?? '';
  if (!user) return html`<${Login} onLogin=${setUser} notice=${loginNotice} />`;
  const bar = barFor(role);
  return html`
    <header class="top">
      <h1>思蒙镇智慧人大</h1>
      ${(deputy || role === STAFF) && html`<${NoticeBell} role=${role} route=${hash} />`}
      <span class="who">${user.name}${online ? '' : ' · 离线'}</span>
    </header>
    <main id="main" class=${bar.length ? '' : 'no-bar'}><${Screen} key=${hash} route=${r} user=${user} role=${role} online=${online} /></main>
    ${bar.length > 0 && html`<nav class="tabs" aria-label="主菜单">
      ${bar.map((d) => html`<a href=${'#/' + d.key} aria-current=${r.key === d.key ? 'page' : undefined}>${d.short}</a>`)}
    </nav>`}`;
}

if ('serviceWorker' in navigator) {
  // A module worker: it imports the outbox to run Background Sync.
  navigator.serviceWorker.register('/sw.js', { type: 'module', scope: '/', updateViaCache: 'none' }).catch(() => {});
}

render(html`<${App} />`, document.getElementById('app'));
