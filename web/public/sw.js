// Confab's service worker: an offline fallback for page loads, and Web Push (below). When the server cannot be
// reached, a navigation gets the app shell cached at install (index.html and its hashed assets),
// so the client starts, shows "Reconnecting…" and comes back by itself, instead of the browser's
// own error page. API calls, WebSocket and images are never intercepted: the client's own outbox
// and cursor handle being offline; nothing here can serve stale data.
const CACHE = 'confab-shell-v2';

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

// ---- Web Push (docs/subsystems/notifications.md) ------------------------------------------------
// The server sends {title, body, chatId, messageId, url, tag}. One notification per chat: a new
// message replaces the chat's earlier one (same tag) and says how many there are, so a busy chat
// does not bury everything else. Nothing is shown for a chat the user is looking at right now.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: 'Confab', body: event.data ? event.data.text() : '' };
  }
  event.waitUntil((async () => {
    const url = typeof data.url === 'string' && data.url.startsWith('/') ? data.url : '/chats';
    const tag = typeof data.tag === 'string' ? data.tag : 'confab';
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const chatPath = data.chatId ? `/chats/${data.chatId}` : null;
    if (chatPath && windows.some((w) => w.visibilityState === 'visible' && w.focused && new URL(w.url).pathname.startsWith(chatPath))) return;
    const earlier = await self.registration.getNotifications({ tag });
    const count = earlier.reduce((n, x) => Math.max(n, (x.data && x.data.count) || 1), 0) + 1;
    const body = count > 1 ? `${count} new messages — latest: ${data.body ?? ''}` : (data.body ?? '');
    await self.registration.showNotification(data.title || 'Confab', {
      body,
      tag,
      renotify: true,
      icon: '/icons/icon-192.png',
      badge: '/icons/maskable-192.png',
      data: { url, count },
    });
  })());
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || '/chats';
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const w of windows) {
      if (new URL(w.url).origin === self.location.origin && 'focus' in w) {
        await w.focus();
        // The page's router takes it from here (main.tsx listens).
        w.postMessage({ type: 'confab:navigate', url });
        return;
      }
    }
    await self.clients.openWindow(url);
  })());
});

// The browser replaced the subscription (expiry, key rotation): tell the page to register the new one.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(self.clients.matchAll({ type: 'window' }).then((ws) => ws.forEach((w) => w.postMessage({ type: 'confab:resubscribe' }))));
});
