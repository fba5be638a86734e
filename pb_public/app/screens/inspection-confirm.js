// 待确认的检查: an inspection counts toward the assessment once someone
// other than its recorder confirms it — another participating deputy, a
// presidium member or staff. This lists the completed inspections this
// login may confirm (for a deputy: those they took part in but did not
// record; for the presidium and staff: every one but their own) and
// confirms one with POST /api/ledger/inspections/{id}/confirm. Online only.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb } from '../api.js';
import { formatTime, errorText } from '../ui.js';
import { INSPECTION_KINDS } from '../lists.js';

export function InspectionConfirmations({ user, oversee, online }) {
  const [list, setList] = useState(null);
  const [note, setNote] = useState(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    if (!online) { setList(null); return; }
    const mine = oversee ? '' : pb.filter(' && participants ?= {:me}', { me: user.id });
    pb.collection('inspections').getFullList({
      filter: pb.filter('confirmed_at = "" && status = "completed" && deputy != {:me}', { me: user.id }) + mine,
      sort: '-inspected_at', expand: 'deputy,site',
    }).then(setList, () => setList([]));
  }, [online, reload]);
  if (!online || !list?.length) return null;

  async function confirm(i) {
    setNote(null);
    try {
      await pb.send(`/api/ledger/inspections/${i.id}/confirm`, { method: 'POST' });
      setNote({ ok: true, text: '已确认，这次检查计入参加代表的考核。' });
      setReload((n) => n + 1);
    } catch (err) {
      setNote({ ok: false, text: `未确认：${errorText(err)}` });
    }
  }
  return html`<section class="card soft" aria-labelledby="confirm-title">
    <h3 id="confirm-title">待确认的检查（${list.length}）</h3>
    <p class="muted">检查由其他参加代表、主席团成员或工作人员确认后，才计入考核。</p>
    ${note && html`<p class=${'notice ' + (note.ok ? 'ok' : 'bad')} role=${note.ok ? 'status' : 'alert'}>${note.text}</p>`}
    <ul class="plain">${list.map((i) => html`<li key=${i.id} class="card inspection-confirm" data-id=${i.id}>
      <p><strong>${[INSPECTION_KINDS[i.kind] ?? i.kind, i.expand?.site?.name, i.subject].filter(Boolean).join(' · ')}</strong></p>
      <p class="muted">${formatTime(i.inspected_at)} · 记录人 ${i.expand?.deputy?.name ?? ''}</p>
      ${i.findings && html`<p>${i.findings}</p>`}
      <button type="button" onClick=${() => confirm(i)}>确认参加了这次检查</button>
    </li>`)}</ul>
  </section>`;
}
