// 我的述职报告 (every deputy): the year's 述职 draft made from the deputy's
// own records (visits, suggestions answered, meetings, activities, score,
// 述职评议), which they edit, then print on A4 or export to Excel.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { hashParams, errorText } from '../ui.js';
import { ReportEditor, YearSelect } from './year-report.js';

const API = '/api/simeng/reports';

export function DutyReport({ user, online }) {
  const params = hashParams();
  const now = new Date().getFullYear();
  const y = Number(params.get('year'));
  const year = y >= 2020 && y <= now ? y : now;
  const [report, setReport] = useState(undefined);
  const [note, setNote] = useState('');
  useEffect(() => {
    pb.collection('duty_reports').getFirstListItem(`deputy = "${user.id}" && year = ${year}`).then(setReport, () => setReport(null));
  }, [year, online]);
  async function generate(regenerate) {
    setNote('');
    try {
      setReport(await pb.send(`${API}/duty`, { method: 'POST', query: { year, ...(regenerate ? { regenerate: 1 } : {}) } }));
    } catch (err) {
      setNote(`未生成：${errorText(err)}`);
    }
  }
  return html`
    <h2>我的述职报告</h2>
    <${YearSelect} year=${year} route="duty-report" />
    ${note && html`<p class="notice bad" role="alert">${note}</p>`}
    ${!online && html`<p class="notice info">生成、保存和打印需要联网。</p>`}
    ${report === undefined ? html`<p class="muted">正在读取…</p>` : report === null ? html`
      <p>初稿根据您${year}年在平台上的走访、群众建议办理、会议签到、履职活动和考核得分生成，生成后可以修改再打印。</p>
      <button type="button" class="primary" onClick=${() => generate(false)} disabled=${!online}>生成述职报告初稿</button>` : html`
      <${ReportEditor} record=${report} collection="duty_reports" online=${online} onSaved=${setReport}
        printPath=${`${API}/duty/${report.id}/print`} xlsxPath=${`${API}/duty/${report.id}.xlsx`} xlsxName=${`${user.name}${year}年度述职报告.xlsx`} />
      ${report.status !== 'final' && html`<p class="muted">数据有更新时，可以用最新记录重新生成（会覆盖您的修改）。</p>
        <button type="button" onClick=${() => generate(true)} disabled=${!online}>用最新记录重新生成</button>`}`}`;
}
