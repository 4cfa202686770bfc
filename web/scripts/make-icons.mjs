// Renders the PWA icons (public/icons/*.png) from the favicon's drawing with Debian's Chromium.
// Run once after changing the logo: node scripts/make-icons.mjs. The PNGs are committed.
import { chromium } from 'playwright-core';

const bubble = (fill) => `<path d="M18 22a6 6 0 0 1 6-6h16a6 6 0 0 1 6 6v12a6 6 0 0 1-6 6h-9l-8 7v-7h-1a6 6 0 0 1-4-6z" fill="#fff"/>`
  + [26, 32, 38].map((cx) => `<circle cx="${cx}" cy="28" r="2.5" fill="${fill}"/>`).join('');
// "any": the rounded tile; "maskable": full bleed, the drawing inside the 80% safe zone.
const any = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#4f46e5"/>${bubble('#4f46e5')}</svg>`;
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#4f46e5"/><g transform="translate(32 32) scale(0.72) translate(-32 -31.5)">${bubble('#4f46e5')}</g></svg>`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
for (const [name, svg] of [['icon', any], ['maskable', maskable]]) {
  for (const size of [192, 512]) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
    await page.screenshot({ path: `public/icons/${name}-${size}.png`, omitBackground: true });
  }
}
await page.setViewportSize({ width: 180, height: 180 });
await page.setContent(`<html><body style="margin:0">${maskable.replace('<svg ', '<svg width="180" height="180" ')}</body></html>`);
await page.screenshot({ path: 'public/icons/apple-touch-icon.png' });
await browser.close();
console.log('icons written to public/icons/');
