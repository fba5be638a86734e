// The PocketBase client and the session (a deputy's, a unit's or staff's). The token is kept in
// localStorage by the SDK and in IndexedDB for the outbox (the service
// worker cannot read localStorage), so the deputy stays logged in offline.
import PocketBase from '../vendor/pocketbase.es.mjs';
import { setMeta, getMeta, clearAll, outboxRecords, PENDING, SENDING, UPLOADING, FAILED } from './store.js';

export const pb = new PocketBase(location.origin);
pb.autoCancellation(false);

// normalizePhone mirrors the server (pii.NormalizeMobile): spaces, dashes
// and a +86 / 0086 prefix go.
export function normalizePhone(s) {
  let p = String(s).replace(/[\s\-()（）]/g, '');
  p = p.replace(/^(\+86|0086|86(?=1\d{10}$))/, '');
  return p;
}

export function currentUser() {
  return pb.authStore.record;
}

export class LoginRefused extends Error {}

// ACCOUNT_KINDS are who logs in to the app, each with the auth collection
// that holds their accounts (all log in with phone + password).
export const ACCOUNT_KINDS = [
  { kind: 'deputy', label: '人大代表', collection: 'deputies' },
  { kind: 'unit', label: '承办单位', collection: 'units' },
  { kind: 'staff', label: '工作人员', collection: 'staff' },
];

const KIND_KEY = 'simeng.kind';

// rememberedKind is the account kind last chosen on this phone (a deputy's
// by default).
export function rememberedKind() {
  const k = localStorage.getItem(KIND_KEY);
  return ACCOUNT_KINDS.some((a) => a.kind === k) ? k : 'deputy';
}

export async function login(phone, password, kind = 'deputy') {
  const account = accountOf(kind);
  const auth = await pb.collection(account.collection).authWithPassword(normalizePhone(phone), password);
  return finishLogin(auth, account);
}

function accountOf(kind) {
  return ACCOUNT_KINDS.find((a) => a.kind === kind) ?? ACCOUNT_KINDS[0];
}

// CODE_KINDS may log in with an SMS code (验证码) and reset a forgotten
// password the same way; staff reset passwords in the workbench.
export const CODE_KINDS = ['deputy', 'unit'];

// requestCode asks the server to text a login code to phone; it answers
// the same whether the phone has an account or not. Resolves to the otpId.
export async function requestCode(phone, kind) {
  const res = await pb.send('/api/simeng/otp/request', {
    method: 'POST', body: { phone: normalizePhone(phone), collection: accountOf(kind).collection },
  });
  return res.otpId;
}

// loginWithCode logs in with the texted code (PocketBase's auth-with-otp);
// with newPassword it also sets a new password (忘记密码).
export async function loginWithCode(otpId, code, kind, newPassword = '', newPasswordConfirm = '') {
  const account = accountOf(kind);
  const body = { otpId, password: code.trim() };
  if (newPassword || newPasswordConfirm) Object.assign(body, { newPassword, newPasswordConfirm });
  const auth = await pb.collection(account.collection).authWithOTP(otpId, code.trim(), { body });
  return finishLogin(auth, account);
}

async function finishLogin(auth, account) {
  localStorage.setItem(KIND_KEY, account.kind);
  const prev = await getMeta('user');
  if (prev && prev !== auth.record.id) {
    // Another deputy used this phone. Their records must not be lost nor
    // sent under this account: switch only once everything went up.
    if ((await unsentCount()) > 0) {
      pb.authStore.clear();
      throw new LoginRefused('这部手机上还有上一位代表没有上传的记录。请先用那位代表的账号登录，联网同步完再换人。');
    }
    await clearAll();
  }
  await saveSession();
  return auth.record;
}

async function saveSession() {
  await setMeta('token', pb.authStore.token);
  await setMeta('user', pb.authStore.record?.id);
  await setMeta('authExpired', false);
}

// refreshSession renews the month-long token whenever we are online.
export async function refreshSession() {
  if (!pb.authStore.record || !navigator.onLine) return;
  try {
    await pb.collection(pb.authStore.record.collectionName || 'deputies').authRefresh();
    await saveSession();
  } catch (err) {
    if (err?.status === 401 || err?.status === 403) await setMeta('authExpired', true);
  }
}

export async function unsentCount() {
  return (await outboxRecords([PENDING, SENDING, UPLOADING, FAILED])).length;
}

// logout forgets the session and this deputy's local copies; it refuses
// while anything is not on the server yet.
export async function logout() {
  const left = await unsentCount();
  if (left > 0) throw new LoginRefused(`还有 ${left} 条记录没有上传到服务器，请联网同步后再退出。`);
  pb.authStore.clear();
  await clearAll();
}

// cachedList reads a collection online and keeps the answer in IndexedDB
// for offline use.
export async function cachedList(metaKey, load) {
  if (navigator.onLine) {
    try {
      const items = await load();
      await setMeta(metaKey, items);
      return items;
    } catch { /* fall back to the cached copy */ }
  }
  return (await getMeta(metaKey)) ?? [];
}
