// 记录接待 (#/reception): a resident received at the liaison station, kept
// on the phone first and sent by the outbox like a visit (collection
// station_receptions, docs/SYNC.md); offline it waits for the signal. On the
// server each reception becomes a resident's suggestion (source 联络站),
// addressed to this deputy, on the 24-hour and 5-working-day clocks. The
// resident's name and phone are taken only with their consent; the phone
// forgets them once the server has the record.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { listRecords, saveLocal, newId } from '../store.js';
import { requestSync } from '../sync.js';
import { useStoreQuery, isoWithOffset, fieldErrors, hashParams, formatTime, StateBadge, Reason } from '../ui.js';
import { TOPICS } from '../lists.js';
import { downscale, MAX_PHOTOS } from '../photo.js';
import { normalizePhone } from '../api.js';
import { loadMy, chinaToday, stationOf } from './station-data.js';

export function NewReception({ online }) {
  const [booking] = useState(() => hashParams().get('booking') ?? '');
  const [my, setMy] = useState(null);
  const [station, setStation] = useState(() => hashParams().get('station') ?? '');
  const [category, setCategory] = useState(TOPICS[0]);
  const [content, setContent] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [consent, setConsent] = useState(false);
  const [photos, setPhotos] = useState([]);
  const [errors, setErrors] = useState({});
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  const receptions = useStoreQuery(() => listRecords('station_receptions'));
  const today = chinaToday();

  useEffect(() => {
    loadMy().then((m) => {
      setMy(m);
      const duty = m?.duties?.find((d) => d.date === today);
      setStation((s) => s || duty?.station || m?.stations?.[0]?.id || '');
    });
  }, [online]);

  async function addPhotos(e) {
    const files = [...e.currentTarget.files];
    e.currentTarget.value = '';
    const next = [];
    for (const f of files.slice(0, MAX_PHOTOS - photos.length)) {
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
    if (!station) errs.station = '请选择联络站';
    const n = [...content.trim()].length;
    if (n < 5 || n > 1000) errs.content = '请填写群众反映的事项，5到1000个字';
    if (phone.trim() && !/^1[3-9]\d{9}$/.test(normalizePhone(phone))) errs.resident_phone = '手机号应为11位数字';
    if ((name.trim() || phone.trim()) && !consent) errs.consent = '留下群众姓名或手机号，须群众同意并勾选';
    setErrors(errs);
    return Object.keys(errs).length === 0;
  }

  async function save(e) {
    e.preventDefault();
    setSaved('');
    if (!validate()) return;
    setBusy(true);
    try {
      const data = { station, reception_at: isoWithOffset(new Date()), category, content: content.trim() };
      if (booking) data.booking = booking;
      if (consent && (name.trim() || phone.trim())) {
        data.consent = true;
        if (name.trim()) data.resident_name = name.trim();
        if (phone.trim()) data.resident_phone = normalizePhone(phone);
      }
      await saveLocal({ collection: 'station_receptions', id: newId(), data, photos: photos.map(({ key, blob }) => ({ key, blob })) });
      setSaved(`已保存到本机：这次接待。${navigator.onLine ? '正在上传…' : '有信号时自动上传，上传后生成群众建议。'}`);
      photos.forEach((p) => URL.revokeObjectURL(p.url));
      setContent(''); setName(''); setPhone(''); setConsent(false); setPhotos([]);
      if (booking) history.replaceState(null, '', '#/reception');
      requestSync();
      scrollTo(0, 0);
    } catch (err) {
      setErrors({ save: `保存失败：${err?.message || err}。请重试，不要关闭页面。` });
    } finally {
      setBusy(false);
    }
  }

  const { err, described } = fieldErrors(errors);
  const onDuty = my?.duties?.some((d) => d.date === today && d.station === station);
  const list = [...(receptions ?? [])].sort((a, b) => String(b.data.reception_at).localeCompare(String(a.data.reception_at)));
  return html`
    <h2>记录接待</h2>
    ${saved && html`<p class="notice ok" role="status">${saved}</p>`}
    ${my && !onDuty && html`<p class="notice info">今天没有您在该联络站的值班安排：临时顶班请先请工作人员排班，否则服务器不会接收。</p>`}
    <form onSubmit=${save} novalidate>
      ${booking && html`<p class="muted">接待预约的群众：上传后这条预约标为已接待。</p>`}
      <label for="rc-station">联络站</label>
      <select id="rc-station" value=${station} onChange=${(e) => setStation(e.currentTarget.value)} aria-describedby=${described('station')}>
        <option value="">请选择</option>
        ${(my?.stations ?? []).map((s) => html`<option value=${s.id}>${s.name}</option>`)}
      </select>${err('station')}
      <label for="rc-category">类别</label>
      <select id="rc-category" value=${category} onChange=${(e) => setCategory(e.currentTarget.value)}>
        ${TOPICS.map((t) => html`<option value=${t}>${t}</option>`)}
      </select>
      <label for="rc-content">群众反映的事项</label>
      <textarea id="rc-content" value=${content} onInput=${(e) => setContent(e.currentTarget.value)} aria-describedby=${described('content')}></textarea>
      ${err('content')}
      <label for="rc-name">群众姓名（选填）</label>
      <input id="rc-name" type="text" value=${name} onInput=${(e) => setName(e.currentTarget.value)} />
      <label for="rc-phone">群众手机号（选填）</label>
      <input id="rc-phone" type="tel" inputmode="numeric" value=${phone} onInput=${(e) => setPhone(e.currentTarget.value)} aria-describedby=${described('resident_phone')} />
      ${err('resident_phone')}
      <label class="check"><input id="rc-consent" type="checkbox" checked=${consent} onChange=${(e) => setConsent(e.currentTarget.checked)} />群众同意留下姓名、手机号，用于答复</label>
      ${err('consent')}
      <fieldset>
        <legend>照片（最多${MAX_PHOTOS}张）</legend>
        <div class="thumbs">${photos.map((p, i) => html`<figure key=${p.key}><img src=${p.url} alt=${'照片' + (i + 1)} />
          <button type="button" onClick=${() => { URL.revokeObjectURL(p.url); setPhotos(photos.filter((x) => x.key !== p.key)); }}>删除照片${i + 1}</button></figure>`)}</div>
        ${photos.length < MAX_PHOTOS && html`<label for="rc-photo" class="button">拍照或选照片</label>
          <input id="rc-photo" class="sr-only" type="file" accept="image/*" capture="environment" multiple onChange=${addPhotos} />`}
        ${err('photos')}
      </fieldset>
      ${err('save')}
      <button class="primary" type="submit" disabled=${busy}>${busy ? '正在保存…' : '保存接待记录'}</button>
    </form>
    <h2>我的接待记录</h2>
    ${!list.length ? html`<p class="muted">还没有接待记录。</p>` : html`<ul class="plain">${list.map((r) => html`
      <li key=${r.key}><article class="card reception" data-id=${r.id} data-state=${r.state}>
        <p><${StateBadge} rec=${r} /> ${formatTime(r.data.reception_at)} · ${stationOf(my, r.data.station)?.name ?? ''} · ${r.data.category}</p>
        <p>${r.data.content}</p>
        <${Reason} rec=${r} />
        ${r.data.suggestion && html`<a class="button" href="#/suggestions">查看生成的群众建议</a>`}
      </article></li>`)}</ul>`}
    <a class="button" href="#/duty">返回值班</a>`;
}
