// 首页, by role. A deputy's: this year's households (pace.js: pulled visits
// plus the outbox) toward the server's number, the pace, the outbox and
// install advice. Every role's: a grid of large tiles, one per destination
// (nav.js). Staff see the presidium's views of the township; a handling
// unit what it will find here.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { listRecords, outboxRecords, getMeta, setMeta, PENDING, SENDING, UPLOADING, FAILED } from '../store.js';
import { useStoreQuery, formatTime } from '../ui.js';
import { localProgress, chinaYearMonth, PROGRESS_API } from '../pace.js';
import { syncNow, onSyncStatus } from '../sync.js';
import { isStandalone } from './install.js';
import { logout, pb } from '../api.js';
import { SuggestionsWaiting } from './suggestions-waiting.js';
import { tilesFor, STAFF, UNIT } from '../nav.js';

export function Home({ user, role, online }) {
  if (role === STAFF) return html`<${OfficeHome} user=${user} role=${role} />`;
  if (role === UNIT) return html`<${UnitHome} user=${user} role=${role} />`;
  return html`<${DeputyHome} user=${user} role=${role} online=${online} />`;
}

// Tiles are the role's destinations as large tiles, two a row at 360 px.
export function Tiles({ role }) {
  return html`<nav class="tiles" aria-label="全部功能">
    ${tilesFor(role).map((d) => html`<a class="tile" href=${'#/' + d.key} data-key=${d.key}>
      <span class="tile-title">${d.title}</span>${d.note && html`<span class="tile-note">${d.note}</span>`}</a>`)}
  </nav>`;
}

function Logout({ user, note = '' }) {
  const [error, setError] = useState('');
  return html`<section class="card">
    <p class="muted">${user.name}${note}</p>
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    <button type="button" onClick=${() => logout().catch((e) => setError(e.message))}>退出登录</button>
  </section>`;
}

function OfficeHome({ user, role }) {
  return html`
    <h2>工作人员首页</h2>
    <p>${user.name}${user.title ? `（${user.title}）` : ''}：这里可以查看全镇代表的走访进度、群众建议、检查计划和隐患台账、亮分排名，打印代表码联系卡。</p>
    <${Tiles} role=${role} />
    <p><a class="button primary" href="#/workbench">打开工作台</a></p>
    <p class="muted">日常工作（今日待办、受理登记、代表名册、会议、日历、年度考核和导出、通知、操作记录）都在工作台办理；管理后台只留给技术管理员做设置和数据修复。</p>
    <${Logout} user=${user} />`;
}

// A unit's home is its inbox (screens/unit-inbox.js, loaded on first use):
// what is assigned to it, overdue first.
function UnitHome({ user, role }) {
  const [Inbox, setInbox] = useState(null);
  useEffect(() => { import('./unit-inbox.js').then((m) => setInbox(() => m.UnitInbox), () => {}); }, []);
  return html`
    <h2 class="sr-only">承办单位首页</h2>
    ${Inbox ? html`<${Inbox} user=${user} />` : html`<p class="muted">正在读取交办事项…</p>`}
    <${Tiles} role=${role} />
    <${Logout} user=${user} />`;
}

function DeputyHome({ user, role, online }) {
  const visits = useStoreQuery(() => listRecords('visits'));
  const queue = useStoreQuery(async () => ({
    unsent: (await outboxRecords([PENDING, SENDING, UPLOADING])).length,
    failed: (await outboxRecords([FAILED])).length,
    lastSync: await getMeta('lastSync'),
    authExpired: await getMeta('authExpired'),
  }));
  const [sync, setSync] = useState({});
  const [persisted, setPersisted] = useState(null);
  const [required, setRequired] = useState(null);
  const [mode, setMode] = useState('not_excluded'); // the township's counting setting
  useEffect(() => onSyncStatus(setSync), []);
  // The year's required number: the last the server said (or the
  // default) at once, the server's own as soon as it answers.
  useEffect(() => {
    const { year } = chinaYearMonth(new Date());
    const key = 'progress-own-' + year;
    let live = true;
    getMeta(key).then((res) => {
      if (live && res?.count_mode) setMode(res.count_mode);
      return res?.required || import('../vocab.js').then((m) => m.default.visits.households_required);
    }).then((n) => live && setRequired((r) => r ?? n), () => {});
    if (online) {
      pb.send(PROGRESS_API, { query: { year, deputy: user.id } })
        .then((res) => {
          setMeta(key, res);
          if (live && res?.required) setRequired(res.required);
          if (live && res?.count_mode) setMode(res.count_mode);
        }, () => {});
    }
    return () => { live = false; };
  }, [online, user.id]);
  useEffect(() => { navigator.storage?.persisted?.().then(setPersisted); }, []);

  // Drawn once the local data is read, so nothing jumps under the finger.
  if (!visits || !queue || !required) return html`<h2>${chinaYearMonth(new Date()).year}年走访进度</h2>`;
  const p = localProgress(visits, required, new Date(), mode);
  return html`
    <h2>${p.year}年走访进度</h2>
    <section class="card soft" aria-labelledby="progress-title">
      <p id="progress-title">已走访 <span class="big">${p.count}</span> / ${p.required} 户</p>
      <progress max=${p.required} value=${Math.min(p.count, p.required)} aria-label="全年走访进度">${p.count}/${p.required}</progress>
      <p>本月已走访 ${p.thisMonth} 次。${p.behind
        ? html`<span class="behind">按全年 ${p.required} 户的进度，到上月底应达 ${p.expected} 户，还差 ${p.behind} 户。</span>`
        : html`<span>进度正常（应达 ${p.expected} 户）。</span>`}</p>
    </section>
    <a class="button primary" href="#/new">记一次走访</a>
    <${SuggestionsWaiting} user=${user} online=${online} />
    <${Tiles} role=${role} />

    <section class="card" aria-labelledby="sync-title">
      <h2 id="sync-title">同步</h2>
      ${queue && html`<p>待上传 ${queue.unsent} 条${queue.failed ? html`，<a href="#/visits" class="reason">需处理 ${queue.failed} 条</a>` : ''}。
        ${queue.lastSync ? `上次同步 ${formatTime(queue.lastSync)}。` : '尚未同步。'}</p>`}
      ${queue?.authExpired && html`<div class="notice bad" role="alert"><p>登录已过期：记录都保存在本机，不会丢失。请联网后重新登录，登录后自动上传。</p>
        <button type="button" onClick=${() => pb.authStore.clear()}>重新登录</button></div>`}
      ${!online && html`<p class="notice info">现在没有网络。走访照常记录，保存在本机，有信号时自动上传。</p>`}
      ${sync.last && !sync.last.ok && !sync.last.auth && online && html`<p class="muted">上传未完成（${sync.last.error}），稍后自动重试。</p>`}
      <button type="button" onClick=${syncNow} disabled=${sync.running || !online}>${sync.running ? '正在同步…' : '立即同步'}</button>
    </section>

    ${!isStandalone() && html`<section class="card notice info">
      <p>请把本应用<strong>添加到手机桌面</strong>：没有安装的网页，手机可能清理掉里面还没上传的记录。</p>
      <a class="button" href="#/install">怎样添加到桌面</a>
    </section>`}
    <${Logout} user=${user} note=${queue?.authExpired ? '（登录已过期）' : ''} />
    ${persisted === false && html`<p class="muted">本机存储尚未设为“持久”，安装到桌面后更安全。</p>`}`;
}
