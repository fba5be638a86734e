// Downloads and protected files for the screens: an export fetched with the
// session's token and saved under a Chinese name, and the URL of a
// protected file (topic attachments, report documents) with a file token.
import { pb } from './api.js';

// download fetches path with the session's token and saves it as name.
export async function download(path, name) {
  const res = await fetch(path, { headers: { Authorization: pb.authStore.token } });
  if (!res.ok) throw new Error(`服务器答复 ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// fileURL is the address of a record's protected file, valid with a fresh
// file token (a few minutes).
export async function fileURL(record, name) {
  const token = await pb.files.getToken();
  return pb.files.getURL(record, name, { token });
}
