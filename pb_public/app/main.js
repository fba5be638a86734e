// Entry point: session, hash routing, layout, service worker, sync.
import { html, render, useState, useEffect } from '../vendor/preact-htm.js';
import { pb, currentUser, refreshSession } from './api.js';
import { startAutoSync } from './sync.js';
import { Login } from './screens/login.js';
import { Home } from './screens/home.js';

// Login and home load with the app; every other screen is a module of its
// own fetched on first use (the service worker precaches them all, so this
// works offline), which keeps the first load within its budget.
const ROUTES = {
  '': { title: '首页', view: Home },
  new: { title: '记走访', load: () => import('./screens/visit-new.js').then((m) => m.NewVisit) },
  visits: { title: '我的走访', load: () => import('./screens/visits.js').then((m) => m.Visits) },
  problems: { title: '问题', load: () => import('./screens/problems.js').then((m) => m.Problems) },
  inspections: { title: '执法检查', load: () => import('./screens/inspections.js').then((m) => m.Inspections) },
  inspect: { title: '记检查', load: () => import('./screens/inspection-new.js').then((m) => m.NewInspection) },
  ledger: { title: '隐患台账', load: () => import('./screens/ledger.js').then((m) => m.Ledger), presidium: true },
  progress: { title: '代表进度', load: () => import('./screens/progress.js').then((m) => m.Progress), presidium: true },
  install: { title: '安装', load: () => import('./screens/install.js').then((m) => m.Install) },
  suggestions: { title: '群众建议', load: () => import('./screens/suggestions.js').then((m) => m.Suggestions) },
  dossier: { title: '履职档案', load: () => import('./screens/dossier.js').then((m) => m.Dossier) },
  ranking: { title: '代表亮分', load: () => import('./screens/dossier.js').then((m) => m.Ranking), presidium: true },
  checkin: { title: '会议签到', load: () => import('./screens/checkin.js').then((m) => m.Checkin) },
  analysis: { title: '诉求分析', load: () => import('./screens/analysis.js').then((m) => m.Analysis), presidium: true },
  'demand-search': { title: '诉求检索', load: () => import('./screens/demand-search.js').then((m) => m.DemandSearch) },
  reports: { title: '年度报告', load: () => import('./screens/reports.js').then((m) => m.Reports), presidium: true },
  'duty-report': { title: '我的述职报告', load: () => import('./screens/duty-report.js').then((m) => m.DutyReport) },
};

const loadedViews = new Map();

// Screen renders a route's view, loading its module first if needed.
function Screen({ route, ...props }) {
  const [, setLoaded] = useState(0);
  const [failed, setFailed] = useState(false);
  const View = route.view ?? loadedViews.get(route);
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

function App() {
  const [user, setUser] = useState(currentUser());
  const [route, hash] = useRoute();
  const online = useOnline();

  // Login hands the user over once the session is stored for the outbox;
  // here only a cleared session (logout) matters.
  useEffect(() => pb.authStore.onChange(() => { if (!pb.authStore.record) setUser(null); }), []);
  useEffect(() => {
    if (!user) return;
    refreshSession();
    startAutoSync();
    // Ask the browser not to evict our data (granted more readily once the
    // app is installed to the home screen).
    navigator.storage?.persist?.();
  }, [user?.id]);

  const r = ROUTES[route] && (!ROUTES[route].presidium || user?.presidium) ? ROUTES[route] : ROUTES[''];
  useEffect(() => { document.title = user ? `${r.title} · 思蒙镇智慧人大` : '登录 · 思蒙镇智慧人大'; }, [r.title, !!user]);

  // A check-in QR scanned before logging in: the token stays in the hash.
  if (!user) return html`<${Login} onLogin=${setUser} notice=${route === 'checkin' ? '请先登录，登录后自动完成会议签到。' : ''} />`;
  const tabs = [['', '首页'], ['new', '记走访'], ['visits', '我的走访'], ['suggestions', '建议'], ['problems', '问题'], ['inspections', '检查']];
  if (user.presidium) tabs.push(['progress', '代表进度']);
  return html`
    <header class="top">
      <h1>思蒙镇智慧人大</h1>
      <span class="who">${user.name}${online ? '' : ' · 离线'}</span>
    </header>
    <main id="main"><${Screen} key=${hash} route=${r} user=${user} online=${online} /></main>
    <nav class="tabs" aria-label="主菜单">
      ${tabs.map(([k, label]) => html`<a href=${'#/' + k} aria-current=${(ROUTES[route] ? route : '') === k ? 'page' : undefined}>${label}</a>`)}
    </nav>`;
}

if ('serviceWorker' in navigator) {
  // A module worker: it imports the outbox to run Background Sync.
  navigator.serviceWorker.register('/sw.js', { type: 'module', scope: '/', updateViaCache: 'none' }).catch(() => {});
}

render(html`<${App} />`, document.getElementById('app'));
