// 票决评议: the 民生实事 vote at the congress session and the year-end
// evaluation (年终评议), online only. A ballot chooses at most K
// candidates, is confirmed once more, and after it is cast the screen says
// only that the deputy voted: the server keeps no link from the deputy to
// the choices, and the phone keeps none either.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { errorText } from '../ui.js';
import VOCAB from '../vocab.js';

export function Votes({ online }) {
  const [votes, setVotes] = useState(null);
  const [evals, setEvals] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!online) return;
    pb.collection('votes').getFullList({ filter: 'status = "open"', sort: '-created' }).then(setVotes, (e) => setError(errorText(e)));
    pb.collection('evaluations').getFullList({ filter: 'status = "open"', sort: '-created' }).then(setEvals, (e) => setError(errorText(e)));
  }, [online]);
  if (!online) return html`<h2>票决评议</h2><p class="notice info">投票和评议需要联网：请到有信号的地方再打开。</p>`;
  if (error) return html`<h2>票决评议</h2><p class="notice bad" role="alert">${error}</p>`;
  if (!votes || !evals) return html`<h2>票决评议</h2><p class="muted">正在读取…</p>`;
  return html`
    <h2>票决评议</h2>
    ${!votes.length && !evals.length && html`<p>现在没有进行中的民生实事票决或年终评议。</p>`}
    ${votes.map((v) => html`<${Ballot} key=${v.id} id=${v.id} />`)}
    ${evals.map((e) => html`<${Sheet} key=${e.id} id=${e.id} />`)}`;
}

function Ballot({ id }) {
  const [sheet, setSheet] = useState(null);
  const [chosen, setChosen] = useState([]);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const load = () => pb.send(`/api/votes/${id}/sheet`, {}).then(setSheet, (e) => setError(errorText(e)));
  useEffect(() => { load(); }, [id]);
  if (!sheet) return html`<section class="card">${error || '正在读取…'}</section>`;
  if (sheet.voted) {
    return html`<section class="card soft ballot"><h3>${sheet.title}</h3>
      <p class="notice ok" role="status">您已投票。选票不记名，投票内容不保存在手机上，也不能查看或修改。</p></section>`;
  }
  if (!sheet.may_vote) return html`<section class="card ballot"><h3>${sheet.title}</h3><p>您不在本次会议的应到代表名单中。</p></section>`;
  const k = sheet.max_choices;
  const toggle = (cid) => setChosen(chosen.includes(cid) ? chosen.filter((x) => x !== cid) : chosen.length < k ? [...chosen, cid] : chosen);
  const cast = () => pb.send(`/api/votes/${id}/ballot`, { method: 'POST', body: { choices: chosen } })
    .then(() => { setChosen([]); setConfirming(false); load(); }, (e) => { setConfirming(false); setError(errorText(e)); });
  return html`<section class="card ballot">
    <h3>${sheet.title}</h3>
    <p>从下列候选项目中选择不超过 <strong>${k}</strong> 项（拟确定 ${sheet.seats} 项${sheet.majority ? '，须获全体代表过半数赞成' : ''}）。可以少选或不选（弃权）。</p>
    <p class="counter" aria-live="polite">已选 ${chosen.length}/${k}</p>
    <ul class="plain">${sheet.candidates.map((c) => html`<li key=${c.id}>
      <button type="button" class="pick candidate" aria-pressed=${chosen.includes(c.id)} onClick=${() => toggle(c.id)} disabled=${confirming}>
        ${chosen.includes(c.id) ? '☑ ' : '☐ '}${c.title}</button>
      <p class="muted">${c.description}${c.villages?.length ? '（' + c.villages.join('、') + '）' : ''}${c.est_funds ? ' 估算 ' + c.est_funds + ' 万元' : ''}</p></li>`)}</ul>
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    ${confirming ? html`<div class="notice info" role="alertdialog" aria-label="确认投票">
        <p>确认投票？您选择了 ${chosen.length} 项。投票后不能修改。</p>
        <div class="row"><button type="button" class="confirm-cast" onClick=${cast}>确认投票</button>
        <button type="button" onClick=${() => setConfirming(false)}>再看看</button></div></div>`
      : html`<button class="primary" type="button" onClick=${() => setConfirming(true)}>投票</button>`}
  </section>`;
}

const RATINGS = VOCAB.evaluation_ratings;

function Sheet({ id }) {
  const [form, setForm] = useState(null);
  const [marks, setMarks] = useState({});
  const [error, setError] = useState('');
  const load = () => pb.send(`/api/evaluations/${id}/form`, {}).then(setForm, (e) => setError(errorText(e)));
  useEffect(() => { load(); }, [id]);
  if (!form) return html`<section class="card">${error || '正在读取…'}</section>`;
  if (form.submitted) {
    return html`<section class="card soft evaluation"><h3>${form.title}</h3><p class="notice ok" role="status">您已提交评议表（不记名）。</p></section>`;
  }
  if (!form.may_submit) return html`<section class="card evaluation"><h3>${form.title}</h3><p>您不在本次评议的代表名单中。</p></section>`;
  const set = (pid, k, v) => setMarks({ ...marks, [pid]: { ...(marks[pid] ?? {}), [k]: v } });
  const submit = () => pb.send(`/api/evaluations/${id}/sheet`, { method: 'POST', body: {
    marks: form.projects.map((p) => ({ project: p.id, rating: marks[p.id]?.rating ?? '', comment: marks[p.id]?.comment ?? '' })),
  } }).then(load, (e) => setError(errorText(e)));
  return html`<section class="card evaluation">
    <h3>${form.title}</h3>
    <p>请对每个民生实事项目作出满意度测评。评议表不记名。</p>
    ${form.projects.map((p, i) => html`<fieldset key=${p.id}><legend>${i + 1}. ${p.title}</legend>
      <p class="muted">进度 ${p.progress_pct}%${p.budget ? `，预算 ${p.budget} 万元，已使用 ${p.spent} 万元` : ''}</p>
      ${RATINGS.map((r) => html`<label class="check"><input type="radio" name=${'r-' + p.id} checked=${marks[p.id]?.rating === r.value}
        onChange=${() => set(p.id, 'rating', r.value)} />${r.label}</label>`)}
      <label for=${'c-' + p.id}>意见${marks[p.id]?.rating === 'unsatisfied' ? '（请写明不满意的原因）' : '（选填）'}</label>
      <textarea id=${'c-' + p.id} value=${marks[p.id]?.comment ?? ''} onInput=${(e) => set(p.id, 'comment', e.currentTarget.value)}></textarea>
    </fieldset>`)}
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    <button class="primary" type="button" onClick=${submit}>提交评议表</button>
  </section>`;
}
