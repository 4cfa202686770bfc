// Issue 16, items 1, 3, 4 and 5 in real Chromium with two users: Markdown rendering (links, code,
// quotes, lists, strikethrough) and the help popover, the lazily loaded emoji picker as a reaction
// and `:shortcode:` completion, a PDF shared as a file card and downloaded, and the "New messages"
// divider with "Jump to first unread" and Esc marking the chat read.
import { join } from 'node:path';
import { assert, call, directChat, eventually, makeContacts, registerUser, sendRest, signIn } from './support.mjs';

const visible = (locator, timeout = 20_000) => locator.first().waitFor({ state: 'visible', timeout });

const FORMATTED = [
  'Release **notes** for `v2` ~~draft~~ — see [the docs](https://example.com/docs) or https://example.org',
  '> quoted *text*',
  '',
  '- first item',
  '- second item',
  '',
  '```',
  'const answer = **42**; <b>not bold</b>',
  '```',
  '[bad](javascript:alert(1)) <img src=x onerror=alert(1)>',
].join('\n');

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'ascii');

async function formattingFlow({ baseUrl, newPage, shots, log }) {
  const t0 = Date.now();
  const [a, b] = await Promise.all([registerUser(baseUrl, 'fay'), registerUser(baseUrl, 'finn')]);
  await makeContacts(baseUrl, a, b);
  const chat = await directChat(baseUrl, a, b);
  // Fay has read up to her own message; everything Finn sends after it is unread for her.
  const seen = await sendRest(baseUrl, a, chat.id, 'Anything new?');
  await call(baseUrl, `/api/chats/${chat.id}/read`, { token: a.token, method: 'POST', body: { messageId: seen.id } });
  const firstUnread = await sendRest(baseUrl, b, chat.id, 'Unread starts here');
  await sendRest(baseUrl, b, chat.id, FORMATTED);
  // Enough after them that the chat does not fit on one screen (their order does not matter).
  const fillers = [];
  for (let i = 1; i <= 5; i++) fillers.push(await sendRest(baseUrl, b, chat.id, Array.from({ length: 6 }, (_, j) => `filler ${i}.${j}`).join('\n')));
  const last = await sendRest(baseUrl, b, chat.id, 'newest one');
  // Finn has read Fay's question, so his list opens at the end (where the reaction will show).
  await call(baseUrl, `/api/chats/${chat.id}/read`, { token: b.token, method: 'POST', body: { messageId: last.id } });

  const pa = await newPage();
  const pb = await newPage();
  await signIn(pa, baseUrl, a, `/chats/${chat.id}`);
  await signIn(pb, baseUrl, b, `/chats/${chat.id}`);

  // 5. The chat opens at the first unread, below a divider, not at the bottom.
  const divider = pa.locator('[data-testid="unread-divider"]');
  await visible(divider);
  const unreadRow = pa.locator(`[data-message-id="${firstUnread.id}"]`);
  await visible(unreadRow);
  const [dividerBox, rowBox] = [await divider.boundingBox(), await unreadRow.boundingBox()];
  assert(dividerBox.y < rowBox.y, 'the divider is above the first unread message');
  assert(fillers.length === 5, 'fillers sent');
  const newestInView = await pa.evaluate((id) => {
    const row = document.querySelector(`[data-message-id="${id}"]`);
    const list = document.querySelector('[data-testid="message-list"]').getBoundingClientRect();
    return !!row && row.getBoundingClientRect().top < list.bottom;
  }, last.id);
  assert(!newestInView, 'the newest message is not in view: the list did not start at the bottom');
  await pa.screenshot({ path: join(shots, 'unread-divider.png') });
  log(`opened at the first unread (${Date.now() - t0} ms)`);

  // 1. Formatting, rendered from the parse tree.
  const formatted = pa.locator('[data-testid="message-content"]', { hasText: 'Release' }).first();
  await visible(formatted);
  const link = formatted.locator('a[href="https://example.com/docs"]');
  assert(await link.textContent() === 'the docs', 'the [text](url) link');
  assert(await link.getAttribute('rel') === 'noopener noreferrer' && await link.getAttribute('target') === '_blank', 'links open safely');
  assert(await formatted.locator('a[href="https://example.org/"]').count() === 1, 'bare URLs are autolinked');
  assert(await formatted.locator('strong').first().textContent() === 'notes', 'bold');
  assert(await formatted.locator('code').first().textContent() === 'v2', 'inline code');
  assert(await formatted.locator('del').textContent() === 'draft', 'strikethrough');
  assert((await formatted.locator('blockquote').textContent()).includes('quoted text'), 'block quote');
  assert(await formatted.locator('ul > li').count() === 2, 'bulleted list');
  assert(await formatted.locator('pre code').textContent() === 'const answer = **42**; <b>not bold</b>', 'code block, nothing formatted inside');
  assert(await formatted.locator('button[aria-label="Copy code"]').count() === 1, 'copy button on the code block');
  assert(await formatted.locator('img, script, a[href^="javascript"]').count() === 0, 'no markup from the text');
  await formatted.scrollIntoViewIfNeeded();
  await pa.click('button[aria-label="Formatting help"]');
  await visible(pa.locator('[data-testid="formatting-help"]'));
  await pa.screenshot({ path: join(shots, 'formatting.png') });
  await pa.click('button[aria-label="Formatting help"]');
  log(`formatting rendered (${Date.now() - t0} ms)`);

  // The jump control brings the divider back after scrolling to the end.
  await pa.click('button[aria-label="Jump to the latest message"]');
  const jump = pa.locator('button[aria-label="Jump to first unread"]');
  await visible(jump);
  await jump.click();
  await visible(divider);
  log(`jumped back to the first unread (${Date.now() - t0} ms)`);

  // Esc marks the whole chat read (on the server).
  await pa.locator('[data-testid="message-list"]').click({ position: { x: 5, y: 5 } });
  await pa.keyboard.press('Escape');
  await eventually(async () => {
    const chats = await call(baseUrl, '/api/chats', { token: a.token });
    const mine = (chats.data ?? chats).find((c) => c.id === chat.id);
    return mine && mine.unreadCount === 0;
  }, { message: 'Esc marked the chat read' });
  assert(await divider.count() === 0, 'the divider goes once the chat is read');
  log(`Esc marked the chat read (${Date.now() - t0} ms)`);

  // 3. Any emoji as a reaction through the full picker, seen by the other member.
  const latest = pa.locator('button[aria-label="Jump to the latest message"]');
  // The control hides once the list reaches the end, which may happen while it is being clicked.
  if (await latest.isVisible()) await latest.click({ timeout: 3_000 }).catch(() => {});
  const row = pa.locator(`[data-message-id="${last.id}"]`);
  await visible(row);
  // The list may re-measure (and re-render) the row while the pointer moves: retry until the menu opens.
  await eventually(async () => {
    await row.hover();
    await row.locator('button[aria-label="React"]').click({ timeout: 2_000 });
    return row.locator('button[aria-label="More reactions"]').isVisible();
  }, { message: 'reaction menu opened' });
  await row.locator('button[aria-label="More reactions"]').click();
  const picker = pa.locator('[data-testid="emoji-picker"]');
  await visible(picker);
  const search = picker.locator('input[type="search"]');
  await visible(search, 20_000);
  await search.fill('unicorn');
  await pa.waitForTimeout(300); // the picker filters as it renders; the screenshot should show the result
  await pa.screenshot({ path: join(shots, 'emoji-picker.png') });
  await picker.locator('button[aria-label="🦄"]').first().click();
  await visible(pa.locator(`[data-message-id="${last.id}"] [data-reaction="🦄"]`));
  await visible(pb.locator(`[data-message-id="${last.id}"] [data-reaction="🦄"]`));
  log('picker reaction reached the other member');

  // :shortcode: completion in the composer.
  const box = pa.locator('[placeholder="Type a message"]');
  await box.click();
  await box.pressSequentially('Party :tad');
  await visible(pa.locator('[data-testid="emoji-suggestions"]'));
  await box.press('Enter');
  await eventually(async () => (await box.inputValue()).includes('🎉'), { message: 'shortcode completed' });
  await box.press('Enter');
  await visible(pb.locator('[data-testid="message-content"]', { hasText: 'Party 🎉' }));
  log('shortcode completion sent');

  // The composer's full picker inserts any emoji (the same lazily loaded emoji-mart).
  await pa.click('button[aria-label="Insert emoji"]');
  const composerPicker = pa.locator('[data-testid="emoji-picker"][aria-label="Insert an emoji"]');
  const composerSearch = composerPicker.locator('input[type="search"]');
  await visible(composerSearch);
  await composerSearch.fill('rocket');
  await composerPicker.locator('button[aria-label="🚀"]').first().click();
  await eventually(async () => (await box.inputValue()).includes('🚀'), { message: 'the composer picker inserted 🚀' });
  await eventually(async () => await composerPicker.count() === 0, { message: 'the picker closes after a pick' });
  log('composer picker inserted an emoji');

  // 4. A PDF is shared as a card and downloaded under its own name.
  await pa.setInputFiles('[data-testid="image-input"]', { name: 'Q3 report.pdf', mimeType: 'application/pdf', buffer: PDF });
  await visible(pa.locator('[data-upload-state="done"]'), 30_000);
  await box.fill('The report');
  await box.press('Enter');
  const card = pb.locator('[data-testid="file-card"][data-file-name="Q3 report.pdf"]');
  await visible(card);
  assert((await card.textContent()).includes('PDF'), 'the card names the type');
  const [download] = await Promise.all([pb.waitForEvent('download'), card.click()]);
  assert(download.suggestedFilename() === 'Q3 report.pdf', `downloaded as ${download.suggestedFilename()}`);
  await card.scrollIntoViewIfNeeded();
  // No action toolbar over the card in the screenshot (it shows on hover and on focus).
  await pb.mouse.move(5, 5);
  await pb.evaluate(() => document.activeElement?.blur());
  await pb.screenshot({ path: join(shots, 'file-card.png') });
  log('PDF card downloaded');
}

/**
 * More unread messages than one page (50) in a group: the chat still opens at the first unread,
 * below the divider, with the read message above it; the newest are not loaded until asked for;
 * Esc marks everything read, including what is not loaded.
 */
async function manyUnreadFlow({ baseUrl, newPage, log }) {
  const t0 = Date.now();
  const [a, b] = await Promise.all([registerUser(baseUrl, 'many'), registerUser(baseUrl, 'mone')]);
  await makeContacts(baseUrl, a, b);
  const group = (await call(baseUrl, '/api/chats/group', { token: a.token, method: 'POST', body: { name: 'Busy channel', participantIds: [b.id] } })).chat;
  const seen = await sendRest(baseUrl, b, group.id, 'The last one Mia read');
  await call(baseUrl, `/api/chats/${group.id}/read`, { token: a.token, method: 'POST', body: { messageId: seen.id } });
  // 60 unread, more than a page: the first and the last one alone (their order matters), those
  // between in parallel batches (theirs does not), to keep the flow short.
  const unread = [await sendRest(baseUrl, b, group.id, 'update number 1')];
  for (let i = 2; i < 60; i += 10) {
    const batch = Array.from({ length: Math.min(10, 60 - i) }, (_, j) => `update number ${i + j}`);
    unread.push(...await Promise.all(batch.map((text) => sendRest(baseUrl, b, group.id, text))));
  }
  unread.push(await sendRest(baseUrl, b, group.id, 'update number 60'));
  assert(unread.length === 60, `60 unread sent, not ${unread.length}`);
  log(`60 unread sent (${Date.now() - t0} ms)`);

  const pa = await newPage();
  await signIn(pa, baseUrl, a, '/chats');
  await pa.click(`[data-chat-id="${group.id}"]`);
  const divider = pa.locator('[data-testid="unread-divider"]');
  await visible(divider);
  const first = pa.locator(`[data-message-id="${unread[0].id}"]`);
  await visible(first);
  const [dividerBox, rowBox] = [await divider.boundingBox(), await first.boundingBox()];
  assert(dividerBox.y < rowBox.y, 'the divider is above the first unread message');
  assert(await pa.locator(`[data-message-id="${seen.id}"]`).count() === 1, 'the read message above it is loaded');
  assert(await pa.locator(`[data-message-id="${unread[59].id}"]`).count() === 0, 'the newest message is not shown');
  log(`opened at the first of 60 unread (${Date.now() - t0} ms)`);

  await pa.locator('[data-testid="message-list"]').click({ position: { x: 5, y: 5 } });
  await pa.keyboard.press('Escape');
  await eventually(async () => {
    const chats = await call(baseUrl, '/api/chats', { token: a.token });
    return (chats.data ?? chats).find((c) => c.id === group.id)?.unreadCount === 0;
  }, { message: 'Esc marked all 60 read' });
  await pa.click('button[aria-label="Jump to the latest message"]');
  await visible(pa.locator(`[data-message-id="${unread[59].id}"]`));
  log(`Esc marked all read, latest loaded (${Date.now() - t0} ms)`);
}

export const formattingFlows = [
  ['formatting', formattingFlow, { timeoutMs: 90_000 }],
  ['unread-many', manyUnreadFlow, { timeoutMs: 60_000 }],
];

// In flows.mjs's default run; alone: CONFAB_E2E_MODULE=./formatting-flows.mjs node e2e/run.mjs <baseUrl>
export const flows = formattingFlows;
