// 微调研: small surveys residents answer anonymously on a public page
// (/survey/{code}) opened from a QR code. Every deputy finds the link and
// the code to pass on; presidium members write a questionnaire, open and
// close it, and read the results per question and village (never a group
// of fewer than the server's minimum, vocab.SurveyMinGroup) and export them to Excel.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';
import { oversees } from '../nav.js';
import { formatTime, errorText, hashParams, localInputValue } from '../ui.js';
import { download } from '../download.js';
import { SURVEY_STATUS, SURVEY_KIND } from '../lists.js';

export function Surveys({ user, online }) {
  const [list, setList] = useState(null);
  useEffect(() => {
    cachedList('surveys', () => pb.collection('surveys').getFullList({ sort: '-created', fields: 'id,title,status,closes_at,responses,code' })).then(setList);
  }, [online]);
  if (!list) return html`<h2>微调研</h2><p class="muted">正在读取…</p>`;
  return html`
    <h2>微调研</h2>
    <p class="muted">群众扫码匿名填写的小调查。把二维码或链接转给群众，结果由主席团汇总研究。</p>
    ${oversees(user) && html`<a class="button primary" href="#/survey-new">发起调查</a>`}
    ${!list.length && html`<p>${online ? '还没有调查。' : '没有网络，也没有保存过的调查。'}</p>`}
    <ul class="plain" aria-label="调查">
      ${list.map((s) => html`<li key=${s.id}><a class="button pick" href=${'#/survey?id=' + s.id}>
        ${s.title}<br /><span class="muted">${SURVEY_STATUS[s.status]} · 截止 ${formatTime(s.closes_at)}</span></a></li>`)}
    </ul>`;
}

export function Survey({ user, online }) {
  const id = hashParams().get('id');
  const [s, setS] = useState(null);
  const [results, setResults] = useState(null);
  const [note, setNote] = useState('');
  const [reload, setReload] = useState(0);
  useEffect(() => {
    cachedList('survey-' + id, () => pb.collection('surveys').getOne(id)).then((x) => setS(Array.isArray(x) ? null : x));
    if (oversees(user)) cachedList('survey-results-' + id, () => pb.send(`/api/surveys/${id}/results`, {})).then((r) => setResults(Array.isArray(r) ? null : r));
  }, [id, online, reload]);
  if (!s) return html`<h2>微调研</h2><p class="muted">${online ? '正在读取…' : '没有网络，也没有保存过这项调查。'}</p>`;

  async function act(fn, done) {
    setNote('');
    try {
      await fn();
      setNote(done);
      setReload((n) => n + 1);
    } catch (err) {
      setNote(`操作失败：${errorText(err)}`);
    }
  }
  const path = '/survey/' + s.code;
  return html`
    <h2>${s.title}</h2>
    <p class="muted">${SURVEY_STATUS[s.status]} · 截止 ${formatTime(s.closes_at)} · 已收到 ${s.responses} 份</p>
    ${note && html`<p class="notice info" role="status">${note}</p>`}
    ${s.intro && html`<p class="pre">${s.intro}</p>`}
    <ol aria-label="题目">${(s.questions ?? []).map((q) => html`<li key=${q.id}>${q.title}（${SURVEY_KIND[q.kind]}）</li>`)}</ol>
    ${s.status === 'open' && html`<section class="card"><h2>请群众扫码填写</h2>
      <p>匿名填写，不记录姓名。链接：<a href=${path}>${location.origin}${path}</a></p>
      <img class="qr" src=${path + '/qr.svg'} alt="调查二维码" width="200" height="200" /></section>`}
    ${oversees(user) && html`<section class="card soft" aria-labelledby="survey-desk"><h2 id="survey-desk">主席团</h2>
      ${!online && html`<p class="notice bad">需要联网才能开始、结束或导出。</p>`}
      <div class="row">
        ${s.status === 'draft' && html`<button type="button" disabled=${!online} onClick=${() => act(() => pb.collection('surveys').update(id, { status: 'open' }), '调查已开始。')}>开始收集</button>`}
        ${s.status === 'open' && html`<button type="button" disabled=${!online} onClick=${() => act(() => pb.collection('surveys').update(id, { status: 'closed' }), '调查已结束。')}>结束调查</button>`}
        <button type="button" disabled=${!online} onClick=${() => act(() => download(`/api/surveys/${id}/results.xlsx`, s.title + '-调查结果.xlsx'), '已导出。')}>导出结果（Excel）</button>
      </div>
      ${results && html`<${Results} r=${results} />`}
    </section>`}`;
}

function Results({ r }) {
  if (r.suppressed) return html`<p class="notice info">已收到 ${r.respondents} 份。回答人数不足 ${r.min_group} 人，为保护填写人，暂不显示结果。</p>`;
  if (!r.respondents) return html`<p class="muted">还没有收到答卷。</p>`;
  const pct = (x) => `${Math.round(x * 1000) / 10}%`;
  return html`<div class="results">
    <p>共 ${r.respondents} 份答卷。分村：${r.groups.map((g) => `${g.label} ${g.respondents} 人`).join('，')}（不足 ${r.min_group} 人的村合并统计）。</p>
    ${r.questions.map((q, i) => html`<div key=${q.id} class="card">
      <h3>${i + 1}. ${q.title}</h3><p class="muted">${q.answered} 人回答</p>
      ${q.kind === 'text' ? html`<ul>${(q.texts ?? []).map((t) => html`<li>${t.group}：${t.text}</li>`)}</ul>` : html`
      <table><caption class="sr-only">${q.title}</caption>
        <thead><tr><th scope="col">选项</th><th scope="col" class="num">人数</th>${r.groups.map((g) => html`<th scope="col" class="num">${g.label}</th>`)}</tr></thead>
        <tbody>${q.options.map((o) => html`<tr><th scope="row">${o.label}<progress max="1" value=${o.share} aria-hidden="true"></progress></th>
          <td class="num">${o.count}（${pct(o.share)}）</td>${o.by_group.map((n) => html`<td class="num">${n}</td>`)}</tr>`)}</tbody>
      </table>`}
    </div>`)}
  </div>`;
}

function emptyQuestion(kind = 'single') {
  return { kind, title: '', options: '', required: kind !== 'text', max: 0 };
}

// NewSurvey: the presidium writes a questionnaire.
export function NewSurvey({ online }) {
  const soon = new Date(Date.now() + 14 * 24 * 3600e3);
  const [form, setForm] = useState({ title: '', intro: '匿名填写，约需2分钟。', closes_at: localInputValue(soon), require_phone: false, villages: [] });
  const [questions, setQuestions] = useState([emptyQuestion()]);
  const [villages, setVillages] = useState([]);
  const [error, setError] = useState('');
  useEffect(() => { cachedList('villages', () => pb.collection('villages').getFullList({ sort: 'name' })).then(setVillages); }, [online]);
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  const setQ = (i, k) => (e) => setQuestions(questions.map((q, j) => (j === i ? { ...q, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value } : q)));
  const toggleVillage = (id) => setForm({ ...form, villages: form.villages.includes(id) ? form.villages.filter((v) => v !== id) : [...form.villages, id] });

  async function save(status) {
    setError('');
    const qs = questions.map((q) => ({
      kind: q.kind, title: q.title.trim(), required: q.required,
      ...(q.kind === 'text' ? {} : { options: q.options.split('\n').map((o) => o.trim()).filter(Boolean) }),
      ...(q.kind === 'multiple' && Number(q.max) > 0 ? { max: Number(q.max) } : {}),
    }));
    try {
      const s = await pb.collection('surveys').create({ ...form, status, questions: qs, closes_at: new Date(form.closes_at).toISOString() });
      location.hash = '#/survey?id=' + s.id;
    } catch (err) {
      setError(errorText(err));
    }
  }
  return html`<h2>发起调查</h2>
    ${!online && html`<p class="notice bad">需要联网才能发起调查。</p>`}
    ${error && html`<p class="notice bad" role="alert">${error}</p>`}
    <label for="s-title">调查名称</label><input id="s-title" type="text" maxlength="100" value=${form.title} onInput=${set('title')} />
    <label for="s-intro">说明</label><textarea id="s-intro" maxlength="2000" value=${form.intro} onInput=${set('intro')}></textarea>
    <label for="s-closes">截止时间</label><input id="s-closes" type="datetime-local" value=${form.closes_at} onInput=${set('closes_at')} />
    <label class="check"><input type="checkbox" checked=${form.require_phone} onChange=${set('require_phone')} />每个手机号限填一次（填写人须留手机号）</label>
    <fieldset><legend>面向的村（不选则面向全镇）</legend>
      ${villages.map((v) => html`<label class="check" key=${v.id}><input type="checkbox" checked=${form.villages.includes(v.id)} onChange=${() => toggleVillage(v.id)} />${v.name}</label>`)}
    </fieldset>
    ${questions.map((q, i) => html`<fieldset key=${i}><legend>第${i + 1}题</legend>
      <label for=${'q-kind-' + i}>题型</label>
      <select id=${'q-kind-' + i} value=${q.kind} onChange=${setQ(i, 'kind')}>${Object.entries(SURVEY_KIND).map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select>
      <label for=${'q-title-' + i}>题目</label><input id=${'q-title-' + i} type="text" maxlength="100" value=${q.title} onInput=${setQ(i, 'title')} />
      ${q.kind !== 'text' && html`<label for=${'q-opts-' + i}>选项（每行一个）</label>
        <textarea id=${'q-opts-' + i} value=${q.options} onInput=${setQ(i, 'options')}></textarea>`}
      ${q.kind === 'multiple' && html`<label for=${'q-max-' + i}>最多选几项（0为不限）</label>
        <input id=${'q-max-' + i} type="number" min="0" max="10" value=${q.max} onInput=${setQ(i, 'max')} />`}
      <label class="check"><input type="checkbox" checked=${q.required} onChange=${setQ(i, 'required')} />必答</label>
      ${questions.length > 1 && html`<button type="button" onClick=${() => setQuestions(questions.filter((_, j) => j !== i))}>删除这道题</button>`}
    </fieldset>`)}
    <button type="button" onClick=${() => setQuestions([...questions, emptyQuestion()])}>添加一道题</button>
    <button type="button" class="primary" disabled=${!online} onClick=${() => save('open')}>发布并开始收集</button>
    <button type="button" disabled=${!online} onClick=${() => save('draft')}>存为草稿</button>`;
}
