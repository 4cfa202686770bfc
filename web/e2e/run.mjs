// End-to-end tests of the web client in real Chromium (Debian's chromium, driven by
// playwright-core; no browser is downloaded). Usage: node e2e/run.mjs <baseUrl>
// Env: CONFAB_CHROMIUM (default /usr/bin/chromium), CONFAB_E2E_FLOWS (comma list to run a subset),
// CONFAB_SCREENSHOTS (default ../docs/screenshots). Prints one line per flow and
// "N passed, N failed"; exits non-zero when any flow fails.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

// CONFAB_E2E_MODULE picks another set of flows (e.g. ./admin-flows.mjs for AdminConsoleIT).
const { flows } = await import(process.env.CONFAB_E2E_MODULE ?? './flows.mjs');
const baseUrl = (process.argv[2] ?? process.env.CONFAB_BASE_URL ?? '').replace(/\/$/, '');
if (!baseUrl) {
  console.error('usage: node e2e/run.mjs <baseUrl>');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const shots = resolve(process.env.CONFAB_SCREENSHOTS ?? join(here, '..', '..', 'docs', 'screenshots'));
mkdirSync(shots, { recursive: true });
const only = (process.env.CONFAB_E2E_FLOWS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const FLOW_TIMEOUT_MS = Number(process.env.CONFAB_E2E_FLOW_TIMEOUT_MS ?? 120_000);

// chromium.launch() starts the browser with a fresh temporary profile (user-data-dir) of its own,
// removed when it closes; each flow's users get separate browser contexts (own storage).
const launched = await chromium.launch({
  executablePath: process.env.CONFAB_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage'],
});

// Flows that need other browser-wide flags (fake media devices for calls) get a browser of their own.
const extraBrowsers = new Map();
async function browserFor(args) {
  if (!args?.length) return launched;
  const key = args.join(' ');
  if (!extraBrowsers.has(key)) {
    extraBrowsers.set(key, await chromium.launch({
      executablePath: process.env.CONFAB_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--disable-dev-shm-usage', ...args],
    }));
  }
  return extraBrowsers.get(key);
}

let passed = 0;
let failed = 0;
const started = Date.now();
for (const [name, flow, options] of flows) {
  const timeoutMs = options?.timeoutMs ?? FLOW_TIMEOUT_MS;
  if (only.length && !only.includes(name)) continue;
  const t0 = Date.now();
  const contexts = [];
  const log = [];
  const ctx = {
    baseUrl,
    shots,
    log: (line) => log.push(`      ${line}`),
    newPage: async (pageOptions = {}) => {
      const context = await (await browserFor(options?.browserArgs)).newContext({ viewport: pageOptions.viewport ?? { width: 1280, height: 800 }, ...pageOptions.context });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      page.on('pageerror', (e) => log.push(`      [pageerror] ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' && !/Failed to load resource|WebSocket connection/.test(m.text())) log.push(`      [console] ${m.text()}`);
      });
      return page;
    },
  };
  try {
    await Promise.race([
      flow(ctx),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs)),
    ]);
    passed++;
    console.log(`PASS ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s): ${e?.stack ?? e}`);
    log.forEach((line) => console.log(line));
    // What each window showed when the flow failed: a flaky flow is diagnosed from these.
    let n = 0;
    for (const c of contexts) {
      for (const page of c.pages()) {
        const file = join(shots, `failed-${name}-${++n}.png`);
        await page.screenshot({ path: file }).then(() => console.log(`      screenshot ${file} of ${page.url()}`), () => {});
      }
    }
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
  }
}
for (const b of extraBrowsers.values()) await b.close();
await launched.close();
console.log(`browser flows took ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${shots}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
