// Notification flows (issue 20, issue 16 item 7): mute shared by devices, the tab title, the
// service worker's push handler, installability. See docs/subsystems/notifications.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { assert, call, directChat, eventually, makeContacts, registerUser, sendRest, signIn } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));

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
  // The laptop leaves the group first: open there, it read the new message at once and the
  // phone's badge could go before it was looked at (a full run's notify-mute failure).
  await laptop.goto(`${baseUrl}/chats`);
  await (await chatRow(laptop, group.id)).waitFor();
  await sendRest(baseUrl, alice, group.id, 'ignore me');
  await eventually(async () => (await (await chatRow(phone, group.id)).getByTestId('unread-badge').count()) === 1, { message: 'badge in the muted chat' });
  assert((await phone.title()) === 'Confab', `muted chat left the title alone (${await phone.title()})`);
  await sendRest(baseUrl, alice, direct.id, 'hello bob');
  await eventually(async () => (await phone.title()) === '(1) Confab', { message: 'title counts the direct message' });
  log('mute shared by devices; title counts only unmuted chats');
}

async function pushFlow({ baseUrl, newPage, log }) {
  const bob = await registerUser(baseUrl, 'bob');
  const page = await newPage({ context: { permissions: ['notifications'] } });
  const cdp = await page.context().newCDPSession(page);
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

  // What the worker shows for a push, its collapsing and its click: notify-click, below.
}

async function installFlow({ baseUrl, shots, log }) {
  const people = (async () => {
    const [carol, dave] = await Promise.all([registerUser(baseUrl, 'carol'), registerUser(baseUrl, 'dave')]);
    await makeContacts(baseUrl, dave, carol);
    const chat = await directChat(baseUrl, dave, carol);
    await sendRest(baseUrl, dave, chat.id, 'The release notes are up, have a look when you can.');
    return { carol, chat };
  })();
  people.catch(() => {});
  // An installed PWA runs in an app window: Chromium's --app window, which is what it opens for an
  // installed app (display-mode standalone, no browser UI). A real install needs a user's click on
  // the install prompt, which headless Chromium has no UI for; the window is the same.
  const profile = mkdtempSync(join(tmpdir(), 'confab-app-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CONFAB_CHROMIUM ?? '/usr/bin/chromium',
    viewport: { width: 1000, height: 680 },
    args: ['--disable-dev-shm-usage', `--app=${baseUrl}/login`],
  });
  try {
    const page = await eventually(() => context.pages().find((p) => p.url().startsWith(baseUrl)), { message: 'the app window' });
    page.setDefaultTimeout(20_000);
    await page.waitForLoadState();
    const { carol, chat } = await people;
    await signIn(page, baseUrl, carol, `/chats/${chat.id}`);
    await page.locator('[data-message-id]').first().waitFor();
    // The picture is of the loaded app: the chat list's loading placeholder gone.
    await page.waitForFunction(() => !document.querySelector('.animate-pulse'));
    const standalone = await page.evaluate(() => matchMedia('(display-mode: standalone)').matches);
    assert(standalone, 'the app window is display-mode standalone');
    log('app window: display-mode standalone');
    await page.screenshot({ path: join(shots, 'installed-app.png') });
    await page.getByRole('button', { name: 'Notification settings' }).click();
    await page.getByTestId('notification-settings').waitFor();
    await page.screenshot({ path: join(shots, 'notification-settings.png') });
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Starts a child process and collects its stdout lines (JSON for the notification daemon). */
function child(command, args, env) {
  const proc = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [];
  let buffered = '';
  let stderr = '';
  proc.stdout.on('data', (chunk) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop();
    lines.push(...parts.filter(Boolean));
  });
  proc.stderr.on('data', (chunk) => { stderr += chunk.toString(); });
  return { proc, lines, stderr: () => stderr };
}

/** Draws a desktop notification as the daemon received it (headless Chromium has no screen to photograph one on). */
async function drawNotification(page, n) {
  await page.evaluate((n) => {
    const card = document.createElement('div');
    card.setAttribute('style', 'position:fixed;right:16px;top:16px;width:360px;background:#1e293b;color:#f8fafc;border-radius:12px;padding:14px;font:14px system-ui;box-shadow:0 10px 30px rgba(0,0,0,.35);display:flex;gap:12px;z-index:9999');
    const icon = Object.assign(document.createElement('img'), { src: '/icons/icon-192.png', width: 40, height: 40 });
    icon.style.borderRadius = '8px';
    const text = document.createElement('div');
    const origin = Object.assign(document.createElement('div'), { textContent: 'Chromium · as the desktop got it (org.freedesktop.Notifications.Notify)' });
    origin.setAttribute('style', 'font-size:11px;opacity:.7');
    const title = Object.assign(document.createElement('strong'), { textContent: n.summary });
    const body = Object.assign(document.createElement('div'), { textContent: n.body });
    body.style.whiteSpace = 'pre-line';
    text.append(origin, title, body);
    card.append(icon, text);
    document.body.appendChild(card);
  }, n);
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
}

// A click on the notification, for real: Chromium (headless too) hands a page's notifications to
// the desktop's notification daemon over D-Bus, and the daemon's ActionInvoked signal — what a
// click in the desktop's popup sends — is what Chromium turns into the service worker's
// `notificationclick`. So the flow runs a private D-Bus session bus with a notification daemon
// (notification-daemon.py) and a Chromium on that bus. Its profile is a persistent one: Chromium
// routes a click to the profile that showed the notification, which a DevTools-made (incognito-like)
// browser context is not, so in those the click never reaches the worker.
async function clickFlow({ baseUrl, shots, log }) {
  const t0 = Date.now();
  const at = (what) => log(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
  // The people and their chat are made while the bus, the daemon and the browser start.
  const people = (async () => {
    const [alice, bob] = await Promise.all([registerUser(baseUrl, 'alice'), registerUser(baseUrl, 'bob')]);
    await makeContacts(baseUrl, alice, bob);
    const chat = await directChat(baseUrl, alice, bob);
    const first = await sendRest(baseUrl, alice, chat.id, 'Lunch at noon?');
    const second = await sendRest(baseUrl, alice, chat.id, 'or 1pm?');
    return { alice, bob, chat, first, second };
  })();
  people.catch(() => {});

  const bus = child('dbus-daemon', ['--session', '--nofork', '--print-address=1'], process.env);
  const profile = mkdtempSync(join(tmpdir(), 'confab-notify-'));
  let daemon;
  let context;
  try {
    const address = await eventually(() => bus.lines[0], { timeout: 10_000, interval: 50, message: `a D-Bus session bus (${bus.stderr()})` });
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address };
    daemon = child('/usr/bin/python3', [join(here, 'notification-daemon.py')], env);
    const events = () => daemon.lines.map((l) => JSON.parse(l));
    await eventually(() => events().some((e) => e.event === 'ready'), { timeout: 10_000, interval: 50, message: `the notification daemon (${daemon.stderr()})` });

    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CONFAB_CHROMIUM ?? '/usr/bin/chromium',
      env,
      permissions: ['notifications'],
      viewport: { width: 1000, height: 680 },
      args: ['--disable-dev-shm-usage'],
    });
    const { alice, bob, chat, first, second } = await people;
    const page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(20_000);
    const cdp = await context.newCDPSession(page);
    const registrations = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
    await cdp.send('ServiceWorker.enable');
    at('browser up');
    await signIn(page, baseUrl, bob, '/chats');
    await page.locator(`[data-chat-id="${chat.id}"]`).waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    at('signed in, worker ready');
    const registrationId = (await eventually(() => registrations.find((r) => r.scopeURL.startsWith(baseUrl)), { message: 'service worker registration' })).registrationId;

    // Two pushes of one chat, as the server's PushTail sends them (same payload shape and tag).
    const payload = (message, body) => JSON.stringify({ type: 'message', chatId: chat.id, messageId: message.id, title: alice.username,
      sender: alice.username, chatName: alice.username, mention: false, body,
      url: `/chats/${chat.id}/messages/${message.id}`, tag: `chat-${chat.id}` });
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: baseUrl, registrationId, data: payload(first, 'Lunch at noon?') });
    const shown = await eventually(() => events().find((e) => e.event === 'notify'), { message: 'Notify on the desktop bus' });
    assert(shown.body.includes('Lunch at noon?'), `desktop notification: ${JSON.stringify(shown)}`);
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: baseUrl, registrationId, data: payload(second, 'or 1pm?') });
    // The chat's tag collapses both: the desktop's notification is replaced, not joined by a second one.
    const replaced = await eventually(() => events().filter((e) => e.event === 'notify')[1], { message: 'the second push on the desktop bus' });
    assert(replaced.replaces === shown.id && replaced.body.includes('2 new messages'), `collapsed: ${JSON.stringify(replaced)}`);
    const inWorker = await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => n.body));
    assert(inWorker.length === 1, `one notification for the chat: ${JSON.stringify(inWorker)}`);
    log(`desktop notification: ${JSON.stringify({ summary: replaced.summary, body: replaced.body })}`);
    at('shown and collapsed');
    await drawNotification(page, replaced);
    await page.screenshot({ path: join(shots, 'notification.png') });
    await page.evaluate(() => document.body.lastElementChild.remove());

    // The user clicks it: the open window goes to the message.
    assert(!new URL(page.url()).pathname.startsWith(`/chats/${chat.id}`), `not in the chat yet (${page.url()})`);
    daemon.proc.stdin.write(`${JSON.stringify({ click: replaced.id })}\n`);
    await page.waitForURL((url) => url.pathname === `/chats/${chat.id}/messages/${second.id}`);
    await page.getByText('or 1pm?').first().waitFor();
    await eventually(() => events().some((e) => e.event === 'close' && e.id === replaced.id), { message: 'the clicked notification closed' });
    at('click focused the window and opened the deep link');

    // With no Confab window open, a click opens one at the deep link.
    const third = await sendRest(baseUrl, alice, chat.id, 'are you there?');
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: baseUrl, registrationId, data: payload(third, 'are you there?') });
    const again = await eventually(() => events().filter((e) => e.event === 'notify' && e.id !== replaced.id)[0], { message: 'a new notification after the click' });
    await page.close();
    const opened = context.waitForEvent('page');
    daemon.proc.stdin.write(`${JSON.stringify({ click: again.id })}\n`);
    const fresh = await opened;
    await fresh.waitForURL((url) => url.pathname === `/chats/${chat.id}/messages/${third.id}`);
    await fresh.getByText('are you there?').first().waitFor();
    at('click with no window open opened one at the deep link');
  } finally {
    await context?.close().catch(() => {});
    daemon?.proc.kill();
    bus.proc.kill();
    rmSync(profile, { recursive: true, force: true });
  }
}

export const notifyFlows = [
  ['notify-mute', muteFlow],
  ['notify-push', pushFlow],
  ['notify-click', clickFlow],
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
