// Service worker (module): precaches the app shell of this build, serves it
// offline, and runs the outbox on Background Sync. The server fills in
// __VERSION__ and __ASSETS__ (hooks/web/static.go); a new build is a new
// sw.js, so the browser installs it and drops the old cache.
import { flush } from '/a/__VERSION__/app/outbox.js';

const VERSION = '__VERSION__';
const CACHE = `shell-${VERSION}`;
const ASSETS = __ASSETS__;
const SHELL = ['/', '/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll([...SHELL, ...ASSETS].map((u) => new Request(u, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/_/')) return;
  if (req.mode === 'navigate') {
    // Only the PWA's own page; server-rendered pages (resident QR pages,
    // admin) go to the network.
    if (url.pathname === '/' || url.pathname === '/index.html') {
      event.respondWith(cacheFirst(new Request('/')));
    }
    return;
  }
  if (url.pathname.startsWith('/a/') || SHELL.includes(url.pathname)) {
    event.respondWith(cacheFirst(req));
  }
});

async function cacheFirst(req) {
  const hit = await caches.match(req, { ignoreSearch: true });
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok) (await caches.open(CACHE)).put(req, res.clone());
  return res;
}

self.addEventListener('sync', (event) => {
  if (event.tag === 'outbox') event.waitUntil(syncFromWorker());
});

// A visible window does the work itself (it shows progress); otherwise the
// worker flushes. The Web Lock in flush keeps them from sending twice.
async function syncFromWorker() {
  const windows = await self.clients.matchAll({ type: 'window' });
  if (windows.length) {
    windows.forEach((c) => c.postMessage('flush'));
    return;
  }
  const res = await flush();
  // A failed Background Sync is retried by the browser later.
  if (!res.ok && !res.auth) throw new Error(res.error);
}
