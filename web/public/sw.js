// Confab's service worker: only an offline fallback for page loads. When the server cannot be
// reached, a navigation gets the app shell cached at install (index.html and its hashed assets),
// so the client starts, shows "Reconnecting…" and comes back by itself, instead of the browser's
// own error page. API calls, WebSocket and images are never intercepted: the client's own outbox
// and cursor handle being offline; nothing here can serve stale data.
const CACHE = 'confab-shell-v1';

async function cacheShell() {
  const cache = await caches.open(CACHE);
  const response = await fetch('/', { cache: 'no-store' });
  if (!response.ok) return;
  const html = await response.clone().text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.put('/', response);
  await Promise.all(assets.map((url) => cache.add(url).catch(() => undefined)));
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().catch(() => undefined).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

const OFFLINE_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Confab is not reachable</title><style>body{font:16px system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0;color:#334155}</style>
<main role="status" data-testid="offline-page"><h1>Confab is not reachable</h1><p>The server cannot be reached right now. This page retries by itself.</p></main>
<script>setInterval(()=>fetch('/health',{cache:'no-store'}).then(r=>{if(r.ok)location.reload()}).catch(()=>{}),3000)</script></html>`;

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith((async () => {
      try {
        const response = await fetch(request);
        // A fresh shell for next time (the assets it names are fetched by the page and added below).
        if (response.ok && (response.headers.get('content-type') ?? '').includes('text/html')) {
          const copy = response.clone();
          caches.open(CACHE).then((c) => c.put('/', copy)).catch(() => undefined);
        }
        return response;
      } catch {
        const shell = await caches.match('/');
        return shell ?? new Response(OFFLINE_PAGE, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
      }
    })());
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    // Hashed, immutable files: the cached copy is always right.
    event.respondWith((async () => {
      const cached = await caches.match(request);
      if (cached) return cached;
      const response = await fetch(request);
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((c) => c.put(request, copy)).catch(() => undefined);
      }
      return response;
    })());
  }
});
