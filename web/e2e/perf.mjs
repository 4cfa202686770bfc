// Performance figures of the web client (not a test): time to interactive, bundle transfer, and
// scrolling a chat of 10,000 messages. Usage: node e2e/perf.mjs <baseUrl> [messages]
// The server must allow the load: RATE_LIMIT_MESSAGES_PER_SECOND=100000 RATE_LIMIT_API_PER_MINUTE=1000000.
import { chromium } from 'playwright-core';
import { directChat, makeContacts, registerUser, sendRest, signIn } from './support.mjs';

const baseUrl = process.argv[2].replace(/\/$/, '');
const total = Number(process.argv[3] ?? 10_000);
const browser = await chromium.launch({
  executablePath: process.env.CONFAB_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const [a, b] = await Promise.all([registerUser(baseUrl, 'perfa'), registerUser(baseUrl, 'perfb')]);
await makeContacts(baseUrl, a, b);
const chat = await directChat(baseUrl, a, b);
let t = Date.now();
let next = 0;
await Promise.all(Array.from({ length: 16 }, async () => {
  while (next < total) {
    const i = next++;
    await sendRest(baseUrl, i % 2 ? b : a, chat.id, `Message ${i}: ${i % 7 === 0 ? '**bold** and *italic* ' : ''}lorem ipsum dolor sit amet ${'x'.repeat(i % 120)}`);
  }
}));
console.log(`seeded ${total} messages in ${((Date.now() - t) / 1000).toFixed(1)} s`);

async function timeToInteractive(throttled) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, baseUrl, a, '/login');
  let bytes = 0;
  page.on('response', async (r) => {
    const len = Number((await r.allHeaders())['content-length'] ?? 0);
    if (/\/assets\/|\/$|\/chats/.test(r.url())) bytes += len;
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (throttled) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6 * 1024 * 1024 / 8, uploadThroughput: 750 * 1024 / 8 });
  }
  await page.goto(`${baseUrl}/chats/${chat.id}`);
  await page.locator('[placeholder="Type a message"]').waitFor();
  await page.locator(`text=Message ${total - 1}:`).waitFor();
  const marks = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? null;
    return { domInteractive: nav.domInteractive, domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, chatsReady: mark('confab:chats-ready'), chatReady: mark('confab:chat-ready') };
  });
  await context.close();
  return { throttled, transferBytes: bytes, ...Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, v === null ? null : Math.round(v)])) };
}

const tti = [];
for (const throttled of [false, false, false, true]) tti.push(await timeToInteractive(throttled));
console.log('time to interactive (ms from navigation start):');
console.table(tti);

// Scrolling: from the newest message up through all history, loading pages as the top is reached.
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
await signIn(page, baseUrl, a, `/chats/${chat.id}`);
await page.locator(`text=Message ${total - 1}:`).waitFor();
const scroller = page.locator('[data-testid="message-list"] [data-virtuoso-scroller]');
t = Date.now();
const upward = await scroller.evaluate(async (el, expected) => {
  const frames = [];
  let maxRows = 0;
  let last = performance.now();
  const deadline = last + 240_000;
  while (!document.body.innerText.includes('This is the beginning of the chat') && performance.now() < deadline) {
    el.scrollTop = Math.max(0, el.scrollTop - 1500);
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    frames.push(now - last);
    last = now;
    maxRows = Math.max(maxRows, el.querySelectorAll('[data-message-id]').length);
  }
  frames.sort((x, y) => x - y);
  return { frames: frames.length, medianFrameMs: frames[Math.floor(frames.length / 2)], p95FrameMs: frames[Math.floor(frames.length * 0.95)], longFrames: frames.filter((f) => f > 50).length, maxRenderedRows: maxRows, reachedTop: document.body.innerText.includes('This is the beginning of the chat'), expected };
}, total);
upward.seconds = (Date.now() - t) / 1000;
console.log('scrolling up through the whole history (loading 50 per page as the top is reached):', upward);

const sweep = await scroller.evaluate(async (el) => {
  const frames = [];
  el.scrollTop = 0;
  await new Promise((r) => setTimeout(r, 300));
  let last = performance.now();
  const step = el.scrollHeight / 600; // 600 frames top to bottom, already loaded
  for (let i = 0; i < 600; i++) {
    el.scrollTop += step;
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    frames.push(now - last);
    last = now;
  }
  frames.sort((x, y) => x - y);
  const avg = frames.reduce((s, f) => s + f, 0) / frames.length;
  return { frames: frames.length, fps: Math.round(1000 / avg), medianFrameMs: +frames[300].toFixed(1), p95FrameMs: +frames[570].toFixed(1), maxFrameMs: +frames[599].toFixed(1), domRows: el.querySelectorAll('[data-message-id]').length, scrollHeight: el.scrollHeight };
});
console.log(`sweeping the loaded ${total} messages top to bottom in 600 frames:`, sweep);
await browser.close();
