// Entry point: session, hash routing, layout, service worker, sync.
import { html, render, useState, useEffect } from '../vendor/preact-htm.js';
import { pb, currentUser, refreshSession } from './api.js';
import { startAutoSync } from './sync.js';
import { Login } from './screens/login.js';
import { Home } from './screens/home.js';
import { NewVisit } from './screens/visit-new.js';
import { Visits } from './screens/visits.js';
import { Problems } from './screens/problems.js';
import { Install } from './screens/install.js';
import { Inspections } from './screens/inspections.js';
import { NewInspection } from './screens/inspection-new.js';

// lazy is a screen loaded on first use: the first load fetches only what
// the app needs to start (hooks/api_static_test.go keeps it within budget);
// the service worker precaches these modules too, so they open offline.
const loaded = {};
function lazy(load, name) {
  return function Lazy(props) {
    const [View, setView] = useState(() => loaded[name]);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (!View) load().then((m) => { loaded[name] = m[name]; setView(() => m[name]); }, () => setFailed(true));
    }, []);
    if (View) return html`<${View} ...${props} />`;
    return failed ? html`<p class="notice bad" role="alert">这一页还没有保存到手机上，需要联网才能打开。</p>` : html`<p class="muted">正在打开…</p>`;
  };
}
const Suggestions = lazy(() => import('./screens/suggestions.js'), 'Suggestions');
const Dossier = lazy(() => import('./screens/dossier.js'), 'Dossier');
const Ranking = lazy(() => import('./screens/dossier.js'), 'Ranking');
const Checkin = lazy(() => import('./screens/checkin.js'), 'Checkin');
const Ledger = lazy(() => import('./screens/ledger.js'), 'Ledger'); // presidium only
const Progress = lazy(() => import('./screens/progress.js'), 'Progress'); // presidium only

const ROUTES = {
  '': { title: '首页', view: Home },
  new: { title: '记走访', view: NewVisit },
  visits: { title: '我的走访', view: Visits },
  problems: { title: '问题', view: Problems },
  inspections: { title: '执法检查', view: Inspections },
  inspect: { title: '记检查', view: NewInspection },
  ledger: { title: '隐患台账', view: Ledger, presidium: true },
  progress: { title: '代表进度', view: Progress, presidium: true },
  install: { title: '安装', view: Install },
  suggestions: { title: '群众建议', view: Suggestions },
  dossier: { title: '履职档案', view: Dossier },
  ranking: { title: '代表亮分', view: Ranking, presidium: true },
  checkin: { title: '会议签到', view: Checkin },
};

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
  const View = r.view;
  const tabs = [['', '首页'], ['new', '记走访'], ['visits', '我的走访'], ['suggestions', '建议'], ['problems', '问题'], ['inspections', '检查']];
  if (user.presidium) tabs.push(['progress', '代表进度']);
  return html`
    <header class="top">
      <h1>思蒙镇智慧人大</h1>
      <span class="who">${user.name}${online ? '' : ' · 离线'}</span>
    </header>
    <main id="main"><${View} key=${hash} user=${user} online=${online} /></main>
    <nav class="tabs" aria-label="主菜单">
      ${tabs.map(([k, label]) => html`<a href=${'#/' + k} aria-current=${(ROUTES[route] ? route : '') === k ? 'page' : undefined}>${label}</a>`)}
    </nav>`;
}

if ('serviceWorker' in navigator) {
  // A module worker: it imports the outbox to run Background Sync.
  navigator.serviceWorker.register('/sw.js', { type: 'module', scope: '/', updateViaCache: 'none' }).catch(() => {});
}

render(html`<${App} />`, document.getElementById('app'));
