// 首页: this year's households (pace.js: pulled visits plus the outbox)
// toward the server's number, the pace, the outbox and install advice.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { listRecords, outboxRecords, getMeta, setMeta, PENDING, SENDING, UPLOADING, FAILED } from '../store.js';
import { useStoreQuery, formatTime } from '../ui.js';
import { localProgress, chinaYearMonth, PROGRESS_API } from '../pace.js';
import { syncNow, onSyncStatus } from '../sync.js';
import { isStandalone } from './install.js';
import { logout, pb } from '../api.js';
import { SuggestionsWaiting } from './suggestions-waiting.js';

export function Home({ user, online }) {
  const visits = useStoreQuery(() => listRecords('visits'));
  const queue = useStoreQuery(async () => ({
    unsent: (await outboxRecords([PENDING, SENDING, UPLOADING])).length,
    failed: (await outboxRecords([FAILED])).length,
    lastSync: await getMeta('lastSync'),
    authExpired: await getMeta('authExpired'),
  }));
  const [sync, setSync] = useState({});
  const [persisted, setPersisted] = useState(null);
  const [logoutError, setLogoutError] = useState('');
  const [required, setRequired] = useState(null);
  useEffect(() => onSyncStatus(setSync), []);
  // The year's required number: the last the server said (or the
  // default) at once, the server's own as soon as it answers.
  useEffect(() => {
    const { year } = chinaYearMonth(new Date());
    const key = 'progress-own-' + year;
    let live = true;
    getMeta(key).then((res) => res?.required
      || import('../vocab.js').then((m) => m.default.visits.households_required))
      .then((n) => live && setRequired((r) => r ?? n), () => {});
    if (online) {
      pb.send(PROGRESS_API, { query: { year, deputy: user.id } })
        .then((res) => { setMeta(key, res); if (live && res?.required) setRequired(res.required); }, () => {});
    }
    return () => { live = false; };
  }, [online, user.id]);
  useEffect(() => { navigator.storage?.persisted?.().then(setPersisted); }, []);

  // Drawn once the local data is read, so nothing jumps under the finger.
  if (!visits || !queue || !required) return html`<h2>${chinaYearMonth(new Date()).year}年走访进度</h2>`;
  const p = localProgress(visits, required);
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
    <div class="row home-links">
      <a class="button" href="#/dossier">我的履职档案</a>
      ${user.presidium && html`<a class="button" href="#/ranking">代表亮分排名</a>`}
      <a class="button" href="#/duty-report">我的述职报告</a>
      ${user.presidium && html`<a class="button" href="#/analysis">群众诉求分析</a>`}
      ${user.presidium && html`<a class="button" href="#/reports">年度统计和报告</a>`}
    </div>

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
    ${user.presidium && html`<p><a class="button" href="#/progress">查看全体代表走访进度</a></p>`}
    <section class="card">
      <p class="muted">${user.name}${queue?.authExpired ? '（登录已过期）' : ''}</p>
      ${logoutError && html`<p class="notice bad" role="alert">${logoutError}</p>`}
      <button type="button" onClick=${() => logout().catch((e) => setLogoutError(e.message))}>退出登录</button>
    </section>
    ${persisted === false && html`<p class="muted">本机存储尚未设为“持久”，安装到桌面后更安全。</p>`}`;
}
