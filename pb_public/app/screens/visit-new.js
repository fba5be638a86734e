// 记走访: a household visit, recorded offline. Household picker with search
// (households of the village and of earlier visits, kept locally), creating
// a household offline, camera photos downscaled on the phone, GPS that
// never blocks saving, notes, categories and problems raised.
import { html, useState, useEffect, useMemo } from '../../vendor/preact-htm.js';
import { listRecords, saveLocal, newId } from '../store.js';
import { requestSync } from '../sync.js';
import { cachedList, pb } from '../api.js';
import { useStoreQuery, isoWithOffset, localInputValue, fieldErrors, formatTime } from '../ui.js';
import { TOPICS, deviceTimeError } from '../lists.js';
import { downscale, MAX_PHOTOS } from '../photo.js';
import { SignatureSheet, SIGNATURE_KEY } from '../signature.js';

const GPS_TIMEOUT = 20_000;

function useLocation() {
  const [loc, setLoc] = useState({ status: 'locating' });
  useEffect(() => {
    if (!navigator.geolocation) { setLoc({ status: 'none' }); return; }
    let done = false;
    // Without network a fix can take long; saving never waits for it.
    const timer = setTimeout(() => { if (!done) setLoc({ status: 'timeout' }); }, GPS_TIMEOUT + 1000);
    navigator.geolocation.getCurrentPosition(
      (pos) => { done = true; setLoc({ status: 'ok', lat: pos.coords.latitude, lon: pos.coords.longitude, accuracy: Math.round(pos.coords.accuracy) }); },
      (err) => { done = true; setLoc({ status: err.code === 1 ? 'denied' : 'timeout' }); },
      { enableHighAccuracy: true, timeout: GPS_TIMEOUT, maximumAge: 5 * 60_000 },
    );
    return () => clearTimeout(timer);
  }, []);
  return loc;
}

const LOCATION_TEXT = {
  locating: '正在定位…（不用等，可以直接保存）',
  ok: (l) => `已定位，误差约 ${l.accuracy} 米`,
  denied: '未允许定位，保存时不带位置',
  timeout: '暂时无法定位，保存时不带位置',
  none: '本机不支持定位',
};

export function NewVisit({ user }) {
  const households = useStoreQuery(() => listRecords('households'));
  const [villages, setVillages] = useState([]);
  useEffect(() => {
    cachedList('villages', () => pb.collection('villages').getFullList({ fields: 'id,name', sort: 'name' })).then(setVillages);
  }, []);

  const [search, setSearch] = useState('');
  const [household, setHousehold] = useState(null);
  const [creating, setCreating] = useState(false);
  const [newHh, setNewHh] = useState({ village: user.village, head_name: '', address: '', phone: '' });
  const [visitedAt, setVisitedAt] = useState(localInputValue(new Date()));
  const [notes, setNotes] = useState('');
  const [topics, setTopics] = useState([]);
  const [problems, setProblems] = useState([]);
  const [photos, setPhotos] = useState([]);
  // The household's confirmation: {name, at, blob, url} once signed.
  const [confirmation, setConfirmation] = useState(null);
  const [signing, setSigning] = useState(false);
  const [confirmSetting, setConfirmSetting] = useState('offered');
  useEffect(() => {
    cachedList('verificationSettings', () => pb.collection('verification_settings').getFullList({ fields: 'confirmation' }))
      .then((rows) => { if (rows?.[0]?.confirmation) setConfirmSetting(rows[0].confirmation); });
  }, []);
  const [errors, setErrors] = useState({});
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  const loc = useLocation();

  const matches = useMemo(() => {
    const q = search.trim();
    const list = (households ?? []).filter((h) => !q || `${h.data.head_name} ${h.data.address}`.includes(q));
    return list.sort((a, b) => (a.data.head_name || '').localeCompare(b.data.head_name || '', 'zh')).slice(0, 30);
  }, [households, search]);

  async function addPhotos(e) {
    const files = [...e.currentTarget.files];
    e.currentTarget.value = '';
    const room = MAX_PHOTOS - photos.length;
    const next = [];
    for (const f of files.slice(0, room)) {
      try {
        const blob = await downscale(f);
        next.push({ key: 'ph' + newId().slice(0, 8), blob, url: URL.createObjectURL(blob) });
      } catch {
        setErrors((x) => ({ ...x, photos: '这张照片无法读取，请重拍' }));
      }
    }
    setPhotos((p) => [...p, ...next]);
  }

  function validate() {
    const errs = {};
    if (creating) {
      if (!newHh.village) errs.village = '请选择村（社区）';
      if (!newHh.head_name.trim()) errs.head_name = '请填写户主姓名';
      if (!newHh.address.trim()) errs.address = '请填写门牌地址';
      if (newHh.phone.trim() && !/^1[3-9]\d{9}$/.test(newHh.phone.replace(/[\s-]/g, ''))) errs.phone = '手机号格式不对';
    } else if (!household) errs.household = '请选择或新建走访户';
    const timeErr = deviceTimeError(visitedAt, '走访时间');
    if (timeErr) errs.visited_at = timeErr;
    problems.forEach((p, i) => { if (!p.description.trim()) errs[`problem${i}`] = '请填写问题内容，或删除这一条'; });
    setErrors(errs);
    return Object.keys(errs).length === 0;
  }

  async function save(e) {
    e.preventDefault();
    setSaved('');
    if (!validate()) return;
    setBusy(true);
    try {
      let householdId = household?.id;
      if (creating) {
        householdId = newId();
        await saveLocal({ collection: 'households', id: householdId, data: {
          village: newHh.village, head_name: newHh.head_name.trim(), address: newHh.address.trim(),
          ...(newHh.phone.trim() ? { phone: newHh.phone.replace(/[\s-]/g, '') } : {}),
        } });
      }
      const data = {
        household: householdId,
        visited_at: isoWithOffset(new Date(visitedAt)),
        notes: notes.trim(),
        topics,
        problems: problems.map((p) => ({ id: p.id, category: p.category, description: p.description.trim() })),
      };
      if (loc.status === 'ok') data.location = { lat: loc.lat, lon: loc.lon, accuracy: loc.accuracy };
      const files = photos.map(({ key, blob }) => ({ key, blob }));
      if (confirmation) {
        data.confirmation = { name: confirmation.name, at: confirmation.at };
        if (confirmation.sms) data.confirmation.sms = true;
        files.push({ key: SIGNATURE_KEY, blob: confirmation.blob });
      }
      // "Saved" only once the IndexedDB transaction committed.
      await saveLocal({ collection: 'visits', id: newId(), data, photos: files });
      const name = creating ? newHh.head_name : household.data.head_name;
      setSaved(`已保存到本机：${name} 的走访。${navigator.onLine ? '正在上传…' : '有信号时自动上传。'}`);
      photos.forEach((p) => URL.revokeObjectURL(p.url));
      setHousehold(null); setCreating(false); setNewHh({ village: user.village, head_name: '', address: '', phone: '' });
      setNotes(''); setTopics([]); setProblems([]); setPhotos([]); setSearch('');
      if (confirmation) URL.revokeObjectURL(confirmation.url);
      setConfirmation(null);
      setVisitedAt(localInputValue(new Date()));
      requestSync();
      scrollTo(0, 0);
    } catch (err) {
      setErrors({ save: `保存失败：${err?.message || err}。请重试，不要关闭页面。` });
    } finally {
      setBusy(false);
    }
  }

  if (!households) return html`<h2>记一次走访</h2>`;
  const { err, described } = fieldErrors(errors);
  if (signing) {
    return html`<${SignatureSheet} optional=${confirmSetting !== 'required'}
      onCancel=${() => setSigning(false)}
      onDone=${(c) => { setConfirmation({ ...c, url: URL.createObjectURL(c.blob) }); setSigning(false); }} />`;
  }

  return html`
    <h2>记一次走访</h2>
    ${saved && html`<p class="notice ok" role="status">${saved}</p>`}
    <form onSubmit=${save} novalidate>
      <fieldset>
        <legend>走访户</legend>
        ${household && !creating ? html`
          <p>已选：<strong>${household.data.head_name}</strong> ${household.data.address}</p>
          <button type="button" onClick=${() => setHousehold(null)}>换一户</button>` : !creating && html`
          <label for="hh-search">查找走访户（户主姓名或门牌）</label>
          <input id="hh-search" type="search" value=${search} onInput=${(e) => setSearch(e.currentTarget.value)} aria-describedby=${described('household')} />
          ${err('household')}
          <ul class="plain" aria-label="走访户列表">
            ${matches.map((h) => html`<li key=${h.id}><button type="button" class="pick" onClick=${() => setHousehold(h)}>${h.data.head_name}　${h.data.address}</button></li>`)}
          </ul>
          ${households && !matches.length && html`<p class="muted">没有找到，可以新建一户。</p>`}`}
        ${!household && html`<button type="button" onClick=${() => setCreating(!creating)} aria-expanded=${creating}>${creating ? '从已有户中选择' : '新建一户'}</button>`}
        ${creating && html`
          <label for="hh-village">村（社区）</label>
          <select id="hh-village" value=${newHh.village} onChange=${(e) => setNewHh({ ...newHh, village: e.currentTarget.value })}>
            <option value="">请选择</option>
            ${villages.map((v) => html`<option value=${v.id}>${v.name}</option>`)}
            ${!villages.some((v) => v.id === user.village) && html`<option value=${user.village}>本村</option>`}
          </select>${err('village')}
          <label for="hh-head">户主姓名</label>
          <input id="hh-head" type="text" value=${newHh.head_name} onInput=${(e) => setNewHh({ ...newHh, head_name: e.currentTarget.value })} aria-describedby=${described('head_name')} />${err('head_name')}
          <label for="hh-address">门牌地址</label>
          <input id="hh-address" type="text" value=${newHh.address} onInput=${(e) => setNewHh({ ...newHh, address: e.currentTarget.value })} aria-describedby=${described('address')} />${err('address')}
          <label for="hh-phone">联系电话（选填）</label>
          <input id="hh-phone" type="tel" inputmode="numeric" value=${newHh.phone} onInput=${(e) => setNewHh({ ...newHh, phone: e.currentTarget.value })} aria-describedby=${described('phone')} />${err('phone')}`}
      </fieldset>

      <label for="visit-time">走访时间</label>
      <input id="visit-time" type="datetime-local" value=${visitedAt} onInput=${(e) => setVisitedAt(e.currentTarget.value)} aria-describedby=${described('visited_at')} />
      ${err('visited_at')}

      <p class="muted" role="status" aria-live="polite">位置：${typeof LOCATION_TEXT[loc.status] === 'function' ? LOCATION_TEXT[loc.status](loc) : LOCATION_TEXT[loc.status]}</p>

      <fieldset>
        <legend>类别</legend>
        ${TOPICS.map((t) => html`<label class="check"><input type="checkbox" checked=${topics.includes(t)}
          onChange=${(e) => setTopics(e.currentTarget.checked ? [...topics, t] : topics.filter((x) => x !== t))} />${t}</label>`)}
      </fieldset>

      <label for="visit-notes">走访情况</label>
      <textarea id="visit-notes" value=${notes} onInput=${(e) => setNotes(e.currentTarget.value)}></textarea>

      <fieldset>
        <legend>反映的问题（急难愁盼）</legend>
        ${problems.map((p, i) => html`<div class="card" key=${p.id}>
          <label for=${'pc-' + p.id}>问题${i + 1}类别</label>
          <select id=${'pc-' + p.id} value=${p.category} onChange=${(e) => setProblems(problems.map((x) => (x.id === p.id ? { ...x, category: e.currentTarget.value } : x)))}>
            ${TOPICS.map((t) => html`<option value=${t}>${t}</option>`)}
          </select>
          <label for=${'pd-' + p.id}>问题${i + 1}内容</label>
          <textarea id=${'pd-' + p.id} value=${p.description} onInput=${(e) => setProblems(problems.map((x) => (x.id === p.id ? { ...x, description: e.currentTarget.value } : x)))}></textarea>
          ${err('problem' + i)}
          <button type="button" onClick=${() => setProblems(problems.filter((x) => x.id !== p.id))}>删除问题${i + 1}</button>
        </div>`)}
        <button type="button" onClick=${() => setProblems([...problems, { id: newId(), category: TOPICS[0], description: '' }])}>添加一个问题</button>
      </fieldset>

      <fieldset>
        <legend>照片（最多${MAX_PHOTOS}张）</legend>
        <div class="thumbs">${photos.map((p, i) => html`<figure key=${p.key}><img src=${p.url} alt=${'照片' + (i + 1)} />
          <button type="button" onClick=${() => { URL.revokeObjectURL(p.url); setPhotos(photos.filter((x) => x.key !== p.key)); }}>删除照片${i + 1}</button></figure>`)}</div>
        ${photos.length < MAX_PHOTOS && html`<label for="visit-photo" class="button">拍照或选照片</label>
          <input id="visit-photo" class="sr-only" type="file" accept="image/*" capture="environment" multiple onChange=${addPhotos} />`}
        ${err('photos')}
      </fieldset>

      ${confirmSetting !== 'off' && html`<fieldset>
        <legend>农户确认</legend>
        ${confirmSetting === 'required' && html`<p class="muted">未经农户确认的走访不计入户数。</p>`}
        ${confirmation ? html`<p class="notice ok" role="status">${confirmation.name} 已确认 ${formatTime(confirmation.at)}</p>
          <img class="signature-thumb" src=${confirmation.url} alt="农户签名" />`
          : html`<button type="button" onClick=${() => setSigning(true)}>请农户确认</button>`}
      </fieldset>`}

      ${err('save')}
      <button class="primary" type="submit" disabled=${busy}>${busy ? '正在保存…' : '保存走访'}</button>
    </form>`;
}
