// 年度报告 (presidium, staff): the township's figures for a year with
// their definitions and the records behind each; the annual work report
// draft (generate, edit, print on A4, Excel); and the 述职评议 results of
// the year, which the presidium records here.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { hashParams, errorText } from '../ui.js';
import { download, openPrint } from '../files.js';

const API = '/api/simeng/reports';

function yearOf(params) {
  const y = Number(params.get('year'));
  const now = new Date().getFullYear();
  return y >= 2020 && y <= now ? y : now - (new Date().getMonth() < 2 ? 1 : 0);
}

export function YearSelect({ year, route }) {
  const now = new Date().getFullYear();
  return html`<label for="year-pick">年度</label>
    <select id="year-pick" value=${year} onChange=${(e) => { location.hash = `#/${route}?year=${e.currentTarget.value}`; }}>
      ${[now, now - 1, now - 2].map((y) => html`<option value=${y}>${y}年</option>`)}
    </select>`;
}

// ReportEditor edits a draft's text: save, mark final, print, Excel.
export function ReportEditor({ record, collection, printPath, xlsxPath, xlsxName, onSaved, online }) {
  const [body, setBody] = useState(record.body);
  const [note, setNote] = useState('');
  useEffect(() => setBody(record.body), [record.id, record.body]);
  async function save(extra = {}) {
    setNote('');
    try {
      const r = await pb.collection(collection).update(record.id, { body, ...extra });
      setNote('已保存。');
      onSaved(r);
    } catch (err) {
      setNote(`未保存：${errorText(err)}`);
    }
  }
  const act = (f) => async () => { setNote(''); try { await f(); } catch (err) { setNote(`操作失败：${errorText(err)}`); } };
  const final = record.status === 'final';
  return html`<section class="card report-editor" data-status=${record.status}>
    <p>状态：<strong>${final ? '定稿' : '草稿'}</strong>${record.generated_at ? html`<span class="muted">（初稿生成于 ${String(record.generated_at).slice(0, 10)}）</span>` : ''}</p>
    <label for="report-body">报告正文（空一行分段，“一、”开头的行是小标题）</label>
    <textarea id="report-body" class="report-body" rows="16" value=${body} onInput=${(e) => setBody(e.currentTarget.value)} disabled=${final}></textarea>
    ${note && html`<p class="notice info" role="status">${note}</p>`}
    <div class="row report-actions">
      ${!final && html`<button type="button" onClick=${() => save()} disabled=${!online}>保存修改</button>`}
      <button type="button" onClick=${() => save({ status: final ? 'draft' : 'final' })} disabled=${!online}>${final ? '改回草稿' : '定稿'}</button>
      <button type="button" onClick=${act(() => openPrint(printPath))} disabled=${!online}>打印（A4）</button>
      <button type="button" onClick=${act(() => download(xlsxPath, xlsxName))} disabled=${!online}>导出Excel</button>
    </div>
  </section>`;
}

function Figures({ year, online }) {
  const [state, setState] = useState({ loading: true });
  const [open, setOpen] = useState({});
  useEffect(() => {
    let error = '';
    cachedList(`stats-${year}`, () => pb.send(`${API}/stats`, { query: { year } }).catch((err) => { error = errorText(err); throw err; }))
      .then((data) => setState({ data: Array.isArray(data) ? null : data, error }));
  }, [year, online]);
  async function drill(key) {
    if (open[key]) { setOpen({ ...open, [key]: null }); return; }
    try {
      const r = await pb.send(`${API}/stats/${key}/records`, { query: { year } });
      setOpen({ ...open, [key]: r });
    } catch (err) {
      setOpen({ ...open, [key]: { error: errorText(err) } });
    }
  }
  const d = state.data;
  if (!d) return html`<p class=${state.error ? 'notice bad' : 'muted'}>${state.error || (online ? '正在统计…' : '需要联网。')}</p>`;
  const text = (f) => (f.value == null ? '无' : f.rate ? `${f.value}%（${f.numerator}/${f.denominator}）` : `${f.value}${f.unit}`);
  return html`${d.groups.map((g) => html`<section class="card figures" key=${g}>
    <h4>${g}</h4>
    <ul class="plain">${d.figures.filter((f) => f.group === g).map((f) => html`<li key=${f.key} class="figure" data-key=${f.key}>
      <p><strong>${f.label}</strong>：<span class="figure-value">${text(f)}</span></p>
      <details><summary>统计口径</summary><p class="muted">${f.definition}</p></details>
      ${f.drill && f.numerator > 0 && html`<button type="button" class="pick" aria-expanded=${!!open[f.key]} onClick=${() => drill(f.key)} disabled=${!online}>
        ${open[f.key] ? '收起记录' : `查看${f.numerator > 50 ? '最近50条' : ''}记录`}</button>`}
      ${open[f.key] && html`<ul class="drill">${open[f.key].error ? html`<li class="reason">${open[f.key].error}</li>`
        : open[f.key].items.map((r) => html`<li key=${r.id}>${r.date} ${r.title}${r.detail ? html` <span class="muted">（${r.detail}）</span>` : ''}</li>`)}</ul>`}
    </li>`)}</ul>
  </section>`)}`;
}

function Reviews({ year, online }) {
  const [list, setList] = useState(null);
  const [meetings, setMeetings] = useState([]);
  const [deputies, setDeputies] = useState([]);
  const [form, setForm] = useState({ deputy: '', meeting: '', evaluators: 'voters', satisfied: '', basic: '', unsatisfied: '', voters_present: '', note: '' });
  const [msg, setMsg] = useState('');
  const [reload, setReload] = useState(0);
  useEffect(() => {
    // The year in China time, as stored (UTC).
    const from = `${year - 1}-12-31 16:00:00`, to = `${year}-12-31 16:00:00`;
    pb.collection('meetings').getFullList({ filter: `kind = "duty_review" && starts_at >= "${from}" && starts_at < "${to}"`, sort: 'starts_at' })
      .then(setMeetings, () => setMeetings([]));
    pb.collection('deputies').getFullList({ filter: 'active = true', fields: 'id,name', sort: 'name' }).then(setDeputies, () => setDeputies([]));
    pb.collection('duty_reviews').getFullList({ filter: `meeting.starts_at >= "${from}" && meeting.starts_at < "${to}"`, expand: 'deputy,meeting', sort: 'meeting.starts_at' })
      .then(setList, () => setList([]));
  }, [year, online, reload]);
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.value });
  async function submit(e) {
    e.preventDefault();
    setMsg('');
    try {
      const num = (v) => (v === '' ? 0 : Number(v));
      await pb.collection('duty_reviews').create({ ...form, satisfied: num(form.satisfied), basic: num(form.basic),
        unsatisfied: num(form.unsatisfied), voters_present: num(form.voters_present) });
      setMsg('已登记。');
      setForm({ ...form, deputy: '', satisfied: '', basic: '', unsatisfied: '', note: '' });
      setReload(reload + 1);
    } catch (err) {
      setMsg(`未登记：${errorText(err)}`);
    }
  }
  return html`<section class="card reviews">
    <h3>述职评议</h3>
    ${list == null ? html`<p class="muted">正在读取…</p>` : list.length === 0 ? html`<p class="muted">${year}年还没有登记述职评议结果。</p>` : html`
      <ul class="plain">${list.map((r) => html`<li key=${r.id} class="review">
        <p><strong>${r.expand?.deputy?.name}</strong> · ${r.expand?.meeting?.title}</p>
        <p>满意 ${r.satisfied} 票，基本满意 ${r.basic} 票，不满意 ${r.unsatisfied} 票${r.voters_present ? `（到会 ${r.voters_present} 人）` : ''}</p>
      </li>`)}</ul>`}
    <h4>登记评议结果</h4>
    ${meetings.length === 0 ? html`<p class="muted">请先在会议管理中登记类型为“述职评议会”的会议。</p>` : html`
    <form onSubmit=${submit} class="review-form">
      <label for="rv-meeting">述职评议会</label>
      <select id="rv-meeting" value=${form.meeting} onChange=${set('meeting')} required>
        <option value="">请选择</option>${meetings.map((m) => html`<option value=${m.id}>${m.title}</option>`)}
      </select>
      <label for="rv-deputy">述职的代表</label>
      <select id="rv-deputy" value=${form.deputy} onChange=${set('deputy')} required>
        <option value="">请选择</option>${deputies.map((d) => html`<option value=${d.id}>${d.name}</option>`)}
      </select>
      <label for="rv-evaluators">评议人</label>
      <select id="rv-evaluators" value=${form.evaluators} onChange=${set('evaluators')}>
        <option value="voters">选民</option><option value="deputies">代表</option>
      </select>
      <label for="rv-satisfied">满意票数</label>
      <input id="rv-satisfied" type="number" inputmode="numeric" min="0" value=${form.satisfied} onInput=${set('satisfied')} />
      <label for="rv-basic">基本满意票数</label>
      <input id="rv-basic" type="number" inputmode="numeric" min="0" value=${form.basic} onInput=${set('basic')} />
      <label for="rv-unsatisfied">不满意票数</label>
      <input id="rv-unsatisfied" type="number" inputmode="numeric" min="0" value=${form.unsatisfied} onInput=${set('unsatisfied')} />
      <label for="rv-present">到会评议人数（可不填）</label>
      <input id="rv-present" type="number" inputmode="numeric" min="0" value=${form.voters_present} onInput=${set('voters_present')} />
      <label for="rv-note">评议意见摘要</label>
      <textarea id="rv-note" value=${form.note} onInput=${set('note')}></textarea>
      ${msg && html`<p class="notice info" role="status">${msg}</p>`}
      <button type="submit" class="primary" disabled=${!online}>登记</button>
    </form>`}
  </section>`;
}

export function YearReport({ online }) {
  const year = yearOf(hashParams());
  const [annual, setAnnual] = useState(undefined);
  const [note, setNote] = useState('');
  useEffect(() => {
    pb.collection('annual_reports').getFirstListItem(`year = ${year}`).then(setAnnual, () => setAnnual(null));
  }, [year, online]);
  async function generate(regenerate) {
    setNote('');
    try {
      setAnnual(await pb.send(`${API}/annual`, { method: 'POST', query: { year, ...(regenerate ? { regenerate: 1 } : {}) } }));
    } catch (err) {
      setNote(`未生成：${errorText(err)}`);
    }
  }
  return html`
    <h2>${year}年度统计和报告</h2>
    <${YearSelect} year=${year} route="year-report" />
    <h3>年度工作报告</h3>
    ${note && html`<p class="notice bad" role="alert">${note}</p>`}
    ${annual === undefined ? html`<p class="muted">正在读取…</p>` : annual === null ? html`
      <p>还没有${year}年度工作报告。初稿由本年度的统计数据和群众诉求分析生成，生成后可以修改。</p>
      <button type="button" class="primary" onClick=${() => generate(false)} disabled=${!online}>生成报告初稿</button>` : html`
      <${ReportEditor} record=${annual} collection="annual_reports" online=${online} onSaved=${setAnnual}
        printPath=${`${API}/annual/${year}/print`} xlsxPath=${`${API}/annual/${year}.xlsx`} xlsxName=${`${year}年度工作报告.xlsx`} />
      ${annual.status !== 'final' && html`<button type="button" onClick=${() => { if (confirm('重新生成会覆盖已修改的正文，确定吗？')) generate(true); }} disabled=${!online}>用最新数据重新生成</button>`}`}
    <h3>年度统计</h3>
    <p class="muted">每项数据都有统计口径；点“查看记录”列出数据背后的记录。</p>
    <${Figures} year=${year} online=${online} />
    <${Reviews} year=${year} online=${online} />`;
}
