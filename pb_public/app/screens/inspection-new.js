// 记检查: an inspection (执法检查) recorded on site, offline, with the
// hazards (隐患) found in it. The inspection and each hazard are records of
// their own in the same outbox as visits (docs/SYNC.md): the inspection is
// saved first, so it reaches the server before the hazards that point to it.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { saveLocal, newId } from '../store.js';
import { requestSync } from '../sync.js';
import { cachedList, pb } from '../api.js';
import { isoWithOffset, localInputValue, fieldErrors } from '../ui.js';
import { INSPECTION_KINDS, DEPARTMENTS, deviceTimeError } from '../lists.js';
import { downscale, MAX_PHOTOS } from '../photo.js';

// A new hazard's deadline defaults to 15 days (a typical 限期整改).
const DEFAULT_DEADLINE_DAYS = 15;

function dateInputValue(d) {
  return localInputValue(d).slice(0, 10);
}

function newHazard() {
  return {
    id: newId(), title: '', description: '', severity: 'general', responsible_unit: '', responsible_person: '',
    deadline: dateInputValue(new Date(Date.now() + DEFAULT_DEADLINE_DAYS * 86400_000)), photos: [],
  };
}

// PhotoPicker takes camera photos, downscaled on the phone, for one record.
function PhotoPicker({ id, label, photos, setPhotos, onError }) {
  async function add(e) {
    const files = [...e.currentTarget.files];
    e.currentTarget.value = '';
    const next = [];
    for (const f of files.slice(0, MAX_PHOTOS - photos.length)) {
      try {
        const blob = await downscale(f);
        next.push({ key: 'ph' + newId().slice(0, 8), blob, url: URL.createObjectURL(blob) });
      } catch {
        onError('这张照片无法读取，请重拍');
      }
    }
    setPhotos([...photos, ...next]);
  }
  return html`<div class="thumbs">${photos.map((p, i) => html`<figure key=${p.key}><img src=${p.url} alt=${label + (i + 1)} />
      <button type="button" onClick=${() => { URL.revokeObjectURL(p.url); setPhotos(photos.filter((x) => x.key !== p.key)); }}>删除${label}${i + 1}</button></figure>`)}</div>
    ${photos.length < MAX_PHOTOS && html`<label for=${id} class="button">拍${label}</label>
      <input id=${id} class="sr-only" type="file" accept="image/*" capture="environment" multiple onChange=${add} />`}`;
}

export function NewInspection({ user }) {
  const [sites, setSites] = useState([]);
  const [roster, setRoster] = useState([]);
  useEffect(() => {
    cachedList('inspection_sites', () => pb.collection('inspection_sites').getFullList({ filter: 'active = true', fields: 'id,name,kind', sort: 'name' })).then(setSites);
    cachedList('deputy-roster', () => pb.collection('deputies').getFullList({ filter: 'active = true', fields: 'id,name', sort: 'name' })).then(setRoster);
  }, []);
  const [participants, setParticipants] = useState([]);
  const [who, setWho] = useState('');
  const others = roster.filter((d) => d.id !== user?.id && (participants.includes(d.id) || (who.trim() && d.name.includes(who.trim())))).slice(0, 20);

  const [kind, setKind] = useState('safety');
  const [site, setSite] = useState('');
  const [subject, setSubject] = useState('');
  const [at, setAt] = useState(localInputValue(new Date()));
  const [departments, setDepartments] = useState([]);
  const [findings, setFindings] = useState('');
  const [project, setProject] = useState({ progress: '', quality: '', funds: '' });
  const [done, setDone] = useState(true);
  const [photos, setPhotos] = useState([]);
  const [hazards, setHazards] = useState([]);
  const [errors, setErrors] = useState({});
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);

  const setHazard = (id, patch) => setHazards((hs) => hs.map((h) => (h.id === id ? { ...h, ...patch } : h)));

  function validate() {
    const errs = {};
    if (kind === 'safety' && !site) errs.site = '安全生产检查须选择检查场所';
    if (kind === 'project' && !subject.trim()) errs.subject = '专题视察须填写视察项目，例如 桥思公路';
    const timeErr = deviceTimeError(at, '检查时间');
    if (timeErr) errs.inspected_at = timeErr;
    if (done && !findings.trim()) errs.findings = '完成检查须填写检查发现（没有问题请写“未发现问题”）';
    hazards.forEach((h, i) => {
      if (!h.title.trim()) errs[`h${i}title`] = '请填写隐患名称';
      if (!h.description.trim()) errs[`h${i}description`] = '请填写隐患描述';
      if (!h.responsible_unit.trim()) errs[`h${i}unit`] = '请填写整改责任单位';
      if (!h.deadline) errs[`h${i}deadline`] = '请填写整改期限';
    });
    setErrors(errs);
    return Object.keys(errs).length === 0;
  }

  async function save(e) {
    e.preventDefault();
    setSaved('');
    if (!validate()) return;
    setBusy(true);
    try {
      const inspectionId = newId();
      const data = {
        kind, inspected_at: isoWithOffset(new Date(at)), departments, findings: findings.trim(),
        participants: user?.id ? [user.id, ...participants] : participants,
        status: done ? 'completed' : 'ongoing',
        ...(site ? { site } : {}), ...(subject.trim() ? { subject: subject.trim() } : {}),
        ...(kind === 'project' ? { progress: project.progress.trim(), quality: project.quality.trim(), funds: project.funds.trim() } : {}),
      };
      // "Saved" only once each IndexedDB transaction committed; each hazard
      // is queued after the inspection it belongs to.
      let last = await saveLocal({ collection: 'inspections', id: inspectionId, data, photos: photos.map(({ key, blob }) => ({ key, blob })) });
      for (const h of hazards) {
        last = await saveLocal({
          collection: 'hazards', id: h.id, after: last.lseq,
          data: {
            title: h.title.trim(), description: h.description.trim(), source: 'inspection', inspection: inspectionId,
            severity: h.severity, responsible_unit: h.responsible_unit.trim(), responsible_person: h.responsible_person.trim(),
            deadline: isoWithOffset(new Date(h.deadline + 'T00:00')), ...(site ? { site } : {}),
          },
          photos: h.photos.map(({ key, blob }) => ({ key, blob })),
        });
      }
      const siteName = sites.find((s) => s.id === site)?.name ?? subject.trim();
      setSaved(`已保存到本机：${siteName}的检查${hazards.length ? `和 ${hazards.length} 条隐患` : ''}。${navigator.onLine ? '正在上传…' : '有信号时自动上传。'}`);
      photos.forEach((p) => URL.revokeObjectURL(p.url));
      hazards.forEach((h) => h.photos.forEach((p) => URL.revokeObjectURL(p.url)));
      setSite(''); setSubject(''); setDepartments([]); setParticipants([]); setWho(''); setFindings(''); setProject({ progress: '', quality: '', funds: '' });
      setPhotos([]); setHazards([]); setAt(localInputValue(new Date()));
      requestSync();
      scrollTo(0, 0);
    } catch (err) {
      setErrors({ save: `保存失败：${err?.message || err}。请重试，不要关闭页面。` });
    } finally {
      setBusy(false);
    }
  }

  const { err, described } = fieldErrors(errors);

  return html`
    <h2>记一次检查</h2>
    ${saved && html`<p class="notice ok" role="status">${saved}</p>`}
    <form onSubmit=${save} novalidate>
      <label for="insp-kind">检查类别</label>
      <select id="insp-kind" value=${kind} onChange=${(e) => setKind(e.currentTarget.value)}>
        ${Object.entries(INSPECTION_KINDS).map(([v, label]) => html`<option value=${v}>${label}</option>`)}
      </select>

      <label for="insp-site">检查场所</label>
      <select id="insp-site" value=${site} onChange=${(e) => setSite(e.currentTarget.value)} aria-describedby=${described('site')}>
        <option value="">${kind === 'safety' ? '请选择' : '（不选）'}</option>
        ${sites.map((s) => html`<option value=${s.id}>${s.name}</option>`)}
      </select>${err('site')}
      ${!sites.length && html`<p class="muted">场所列表需联网读取一次，之后离线也能选。</p>`}

      <label for="insp-subject">检查事项或视察项目${kind === 'project' ? '' : '（选填）'}</label>
      <input id="insp-subject" type="text" value=${subject} onInput=${(e) => setSubject(e.currentTarget.value)} aria-describedby=${described('subject')} />${err('subject')}

      <label for="insp-time">检查时间</label>
      <input id="insp-time" type="datetime-local" value=${at} onInput=${(e) => setAt(e.currentTarget.value)} aria-describedby=${described('inspected_at')} />${err('inspected_at')}

      <fieldset>
        <legend>参加检查的其他代表</legend>
        <label for="insp-who">按姓名查找代表</label>
        <input id="insp-who" type="search" value=${who} onInput=${(e) => setWho(e.currentTarget.value)} />
        ${others.map((d) => html`<label class="check" key=${d.id}><input type="checkbox" checked=${participants.includes(d.id)}
          onChange=${(e) => setParticipants(e.currentTarget.checked ? [...participants, d.id] : participants.filter((x) => x !== d.id))} />${d.name}</label>`)}
        ${!roster.length && html`<p class="muted">代表名单需联网读取一次，之后离线也能选。</p>`}
      </fieldset>

      <fieldset>
        <legend>联合检查的部门</legend>
        ${DEPARTMENTS.map((d) => html`<label class="check"><input type="checkbox" checked=${departments.includes(d)}
          onChange=${(e) => setDepartments(e.currentTarget.checked ? [...departments, d] : departments.filter((x) => x !== d))} />${d}</label>`)}
      </fieldset>

      <label for="insp-findings">检查发现的问题和意见</label>
      <textarea id="insp-findings" value=${findings} onInput=${(e) => setFindings(e.currentTarget.value)} aria-describedby=${described('findings')}></textarea>${err('findings')}

      ${kind === 'project' && html`
        <label for="insp-progress">工程进度</label>
        <textarea id="insp-progress" value=${project.progress} onInput=${(e) => setProject({ ...project, progress: e.currentTarget.value })}></textarea>
        <label for="insp-quality">质量安全</label>
        <textarea id="insp-quality" value=${project.quality} onInput=${(e) => setProject({ ...project, quality: e.currentTarget.value })}></textarea>
        <label for="insp-funds">资金使用</label>
        <textarea id="insp-funds" value=${project.funds} onInput=${(e) => setProject({ ...project, funds: e.currentTarget.value })}></textarea>`}

      <fieldset>
        <legend>现场照片（最多${MAX_PHOTOS}张）</legend>
        <${PhotoPicker} id="insp-photo" label="现场照片" photos=${photos} setPhotos=${setPhotos} onError=${(m) => setErrors((x) => ({ ...x, photos: m }))} />
        ${err('photos')}
      </fieldset>

      <fieldset>
        <legend>发现的隐患（登记隐患台账）</legend>
        ${hazards.map((h, i) => html`<div class="card" key=${h.id}>
          <label for=${'ht-' + h.id}>隐患${i + 1}名称</label>
          <input id=${'ht-' + h.id} type="text" value=${h.title} onInput=${(e) => setHazard(h.id, { title: e.currentTarget.value })} aria-describedby=${described(`h${i}title`)} />${err(`h${i}title`)}
          <label for=${'hd-' + h.id}>隐患${i + 1}描述</label>
          <textarea id=${'hd-' + h.id} value=${h.description} onInput=${(e) => setHazard(h.id, { description: e.currentTarget.value })} aria-describedby=${described(`h${i}description`)}></textarea>${err(`h${i}description`)}
          <label for=${'hs-' + h.id}>隐患${i + 1}等级</label>
          <select id=${'hs-' + h.id} value=${h.severity} onChange=${(e) => setHazard(h.id, { severity: e.currentTarget.value })}>
            <option value="general">一般隐患</option><option value="major">重大隐患</option>
          </select>
          <label for=${'hu-' + h.id}>隐患${i + 1}整改责任单位</label>
          <input id=${'hu-' + h.id} type="text" value=${h.responsible_unit} onInput=${(e) => setHazard(h.id, { responsible_unit: e.currentTarget.value })} aria-describedby=${described(`h${i}unit`)} />${err(`h${i}unit`)}
          <label for=${'hp-' + h.id}>隐患${i + 1}责任人（选填）</label>
          <input id=${'hp-' + h.id} type="text" value=${h.responsible_person} onInput=${(e) => setHazard(h.id, { responsible_person: e.currentTarget.value })} />
          <label for=${'hl-' + h.id}>隐患${i + 1}整改期限</label>
          <input id=${'hl-' + h.id} type="date" value=${h.deadline} onInput=${(e) => setHazard(h.id, { deadline: e.currentTarget.value })} aria-describedby=${described(`h${i}deadline`)} />${err(`h${i}deadline`)}
          <${PhotoPicker} id=${'hph-' + h.id} label=${`隐患${i + 1}照片`} photos=${h.photos} setPhotos=${(p) => setHazard(h.id, { photos: p })} onError=${(m) => setErrors((x) => ({ ...x, photos: m }))} />
          <button type="button" onClick=${() => setHazards(hazards.filter((x) => x.id !== h.id))}>删除隐患${i + 1}</button>
        </div>`)}
        <button type="button" onClick=${() => setHazards([...hazards, newHazard()])}>添加一条隐患</button>
      </fieldset>

      <label class="check"><input type="checkbox" checked=${done} onChange=${(e) => setDone(e.currentTarget.checked)} />检查已完成（计入季度检查计划）</label>

      ${err('save')}
      <button class="primary" type="submit" disabled=${busy}>${busy ? '正在保存…' : '保存检查'}</button>
    </form>`;
}
