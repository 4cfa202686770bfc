// Notification flows (issue 20, issue 16 item 7): mute shared by devices, the tab title, the
// service worker's push handler, installability. See docs/subsystems/notifications.md.
import { join } from 'node:path';
import { assert, call, directChat, eventually, makeContacts, registerUser, sendRest, signIn } from './support.mjs';

async function chatRow(page, chatId) {
  return page.locator(`[data-chat-id="${chatId}"]`);
}

async function muteFlow({ baseUrl, newPage, log }) {
  const alice = await registerUser(baseUrl, 'alice');
  const bob = await registerUser(baseUrl, 'bob');
  await makeContacts(baseUrl, alice, bob);
  const direct = await directChat(baseUrl, alice, bob);
  const group = (await call(baseUrl, '/api/chats/group', { token: alice.token, method: 'POST', body: { name: 'Noisy', participantIds: [bob.id] } })).chat;
  const laptop = await newPage();
  const phone = await newPage();
  await signIn(laptop, baseUrl, bob, `/chats/${group.id}`);
  await signIn(phone, baseUrl, bob, '/chats');
  await (await chatRow(phone, group.id)).waitFor();

  // Mute on one device through the chat's details; the other device follows live.
  await laptop.getByRole('button', { name: /details/i }).first().click();
  await laptop.getByTestId('chat-notification-level').selectOption('nothing');
  await eventually(async () => (await (await chatRow(phone, group.id)).getByTestId('muted-icon').count()) === 1, { message: 'muted icon on the other device' });
  const server = await call(baseUrl, `/api/chats/${group.id}`, { token: bob.token });
  assert(server.chat.muted === true && server.chat.notificationLevel === 'nothing', 'the server keeps the mute');

  // A muted chat's messages do not count in the tab title; a direct message does.
  await sendRest(baseUrl, alice, group.id, 'ignore me');
  await eventually(async () => (await (await chatRow(phone, group.id)).getByTestId('unread-badge').count()) === 1, { message: 'badge in the muted chat' });
  assert((await phone.title()) === 'Confab', `muted chat left the title alone (${await phone.title()})`);
  await sendRest(baseUrl, alice, direct.id, 'hello bob');
  await eventually(async () => (await phone.title()) === '(1) Confab', { message: 'title counts the direct message' });
  log('mute shared by devices; title counts only unmuted chats');
}

async function pushFlow({ baseUrl, newPage, shots, log }) {
  const bob = await registerUser(baseUrl, 'bob');
  const page = await newPage({ context: { permissions: ['notifications'] } });
  const cdp = await page.context().newCDPSession(page);
  const registrations = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  await signIn(page, baseUrl, bob, '/chats');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

  // Installability as Chromium judges it (manifest, icons, service worker).
  // Playwright's contexts are incognito-like, which Chromium never installs from: that one reason
  // is the harness's, any other (manifest, icons, service worker, start URL) is the app's.
  const installability = (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors.filter((e) => e.errorId !== 'in-incognito');
  assert(installability.length === 0, `installable: ${JSON.stringify(installability)}`);
  const manifest = await cdp.send('Page.getAppManifest');
  assert(manifest.errors.length === 0 && manifest.data?.includes('"standalone"'), `manifest: ${JSON.stringify(manifest.errors)}`);

  // A real subscription needs the browser's push service (Google's FCM for Chromium), which a
  // headless Chromium without Google API keys does not reach: record what happens.
  const subscribe = await page.evaluate(async () => {
    const key = (await (await fetch('/api/push/vapid-public-key', { headers: { Authorization: `Bearer ${JSON.parse(localStorage.getItem('confab.session')).accessToken}` } })).json()).publicKey;
    const bytes = Uint8Array.from(atob(key.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - key.length % 4) % 4)), (c) => c.charCodeAt(0));
    try {
      const reg = await navigator.serviceWorker.ready;
      const sub = await Promise.race([reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytes }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no answer from the push service in 5 s')), 5000))]);
      return `subscribed: ${sub.endpoint.slice(0, 40)}…`;
    } catch (e) {
      return `subscribe failed: ${e.name}: ${e.message}`;
    }
  });
  log(`pushManager.subscribe in headless Chromium: ${subscribe}`);
  console.log(`      pushManager.subscribe in headless Chromium: ${subscribe}`);

  // The service worker's push handler, driven through DevTools as a push service would.
  await eventually(() => registrations.find((r) => r.scopeURL.startsWith(baseUrl)), { message: 'service worker registration' });
  const registrationId = registrations.find((r) => r.scopeURL.startsWith(baseUrl)).registrationId;
  const chatId = '0b7d3c0e-9a8e-4f6b-8a43-5f2de7b9c1a4';
  const payload = (body, messageId) => JSON.stringify({ type: 'message', chatId, messageId, title: 'Team', sender: 'Alice', chatName: 'Team', body, url: `/chats/${chatId}/messages/${messageId}`, tag: `chat-${chatId}` });
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: baseUrl, registrationId, data: payload('Alice: Lunch at noon?', 'm1') });
  const shown = await eventually(() => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data?.url }))).then((l) => l.length === 1 && l), { message: 'a notification shown by the service worker' });
  assert(shown[0].title === 'Team' && shown[0].body === 'Alice: Lunch at noon?', JSON.stringify(shown));
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: baseUrl, registrationId, data: payload('Alice: or 1pm?', 'm2') });
  const collapsed = await eventually(() => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, url: n.data?.url }))).then((l) => l.length === 1 && l[0].body.startsWith('2 new') && l), { message: 'one notification per chat' });
  assert(collapsed[0].url === `/chats/${chatId}/messages/m2`, `deep link ${collapsed[0].url}`);
  log(`service worker showed: ${JSON.stringify(collapsed[0])}`);

  // Headless Chromium has no notification centre to photograph: draw what the worker showed.
  await page.evaluate((n) => {
    const card = document.createElement('div');
    card.setAttribute('style', 'position:fixed;right:16px;top:16px;width:360px;background:#1e293b;color:#f8fafc;border-radius:12px;padding:14px;font:14px system-ui;box-shadow:0 10px 30px rgba(0,0,0,.35);display:flex;gap:12px;z-index:9999');
    const icon = Object.assign(document.createElement('img'), { src: '/icons/icon-192.png', width: 40, height: 40 });
    icon.style.borderRadius = '8px';
    const text = document.createElement('div');
    const origin = Object.assign(document.createElement('div'), { textContent: 'Confab · shown by the service worker (registration.getNotifications())' });
    origin.setAttribute('style', 'font-size:11px;opacity:.7');
    const title = Object.assign(document.createElement('strong'), { textContent: n.title });
    const body = Object.assign(document.createElement('div'), { textContent: n.body });
    text.append(origin, title, body);
    card.append(icon, text);
    document.body.appendChild(card);
  }, collapsed[0]);
  await page.screenshot({ path: join(shots, 'notification.png') });
  log('notification.png written');
}

async function installFlow({ baseUrl, newPage, shots }) {
  const carol = await registerUser(baseUrl, 'carol');
  // The app as an installed window shows it: no browser UI, the manifest's theme (an app-mode
  // window is what Chromium opens for an installed PWA; here the page at the manifest's start_url).
  const page = await newPage({ viewport: { width: 1000, height: 680 } });
  await signIn(page, baseUrl, carol, '/chats');
  await page.getByRole('button', { name: 'Notification settings' }).waitFor();
  await page.screenshot({ path: join(shots, 'installed-app.png') });
  await page.getByRole('button', { name: 'Notification settings' }).click();
  await page.getByTestId('notification-settings').waitFor();
  await page.screenshot({ path: join(shots, 'notification-settings.png') });
}

export const notifyFlows = [
  ['notify-mute', muteFlow],
  ['notify-push', pushFlow],
  ['notify-install', installFlow],
];

// Lighthouse (npm lighthouse, Debian's Chromium): accessibility ≥ 0.9 on the sign-in page and the
// signed-in app, and its installability-related checks. Lighthouse 12 dropped the "PWA" category;
// installability is asserted above through Chromium's own Page.getInstallabilityErrors.
// Reports go to docs/lighthouse/ (next to the screenshots' docs/ folder).
async function lighthouseFlow({ baseUrl, shots, log }) {
  const { default: lighthouse } = await import('lighthouse');
  const { launch } = await import('chrome-launcher');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const out = join(shots, '..', 'lighthouse');
  mkdirSync(out, { recursive: true });
  const chrome = await launch({ chromePath: process.env.CONFAB_CHROMIUM ?? '/usr/bin/chromium', chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const result = await lighthouse(`${baseUrl}/login`, { port: chrome.port, output: ['json', 'html'], logLevel: 'error', onlyCategories: ['accessibility', 'best-practices'], formFactor: 'desktop', screenEmulation: { disabled: true }, throttlingMethod: 'provided' });
    const [json, html] = result.report;
    writeFileSync(join(out, 'login.report.json'), json);
    writeFileSync(join(out, 'login.report.html'), html);
    const lhr = result.lhr;
    const a11y = lhr.categories.accessibility.score;
    log(`lighthouse accessibility ${a11y}, best practices ${lhr.categories['best-practices'].score}`);
    console.log(`      lighthouse accessibility ${a11y}, best practices ${lhr.categories['best-practices'].score}`);
    const failing = Object.values(lhr.audits).filter((a) => a.score === 0 && lhr.categories.accessibility.auditRefs.some((r) => r.id === a.id)).map((a) => a.id);
    assert(a11y >= 0.9, `accessibility ${a11y} < 0.9 (failing: ${failing.join(', ')})`);
  } finally {
    chrome.kill();
  }
}
notifyFlows.push(['notify-lighthouse', lighthouseFlow, { timeoutMs: 90_000 }]);
