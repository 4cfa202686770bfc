// Browser flows of issue 16 items 2, 6, 8: @mention autocomplete, highlight and count; system
// messages after a rename and an add; a thread reply seen by the other user in the thread panel and
// through a deep link. One user is on the long-poll fallback (the page's WebSocket is refused).
import { createServer } from 'node:http';
import { assert, call, directChat, eventually, makeContacts, registerUser, sendRest, signIn } from './support.mjs';

const visible = (locator, timeout = 20_000) => locator.first().waitFor({ state: 'visible', timeout });

/** Refuses the page's WebSocket, so the client falls back to long-poll (GET /api/events). */
async function longPollOnly(page) {
  await page.routeWebSocket(/\/ws$/, (ws) => ws.close({ code: 1006 }));
}

async function transportOf(page, wanted) {
  await eventually(() => page.evaluate((t) => document.querySelector('[data-transport]')?.getAttribute('data-transport') === t
    && document.querySelector('[data-connection]')?.getAttribute('data-connection') === 'online', wanted),
  { timeout: 30_000, message: `${wanted} online` });
}

async function mentionBy(page, username, rest) {
  const box = page.locator('[placeholder="Type a message"]');
  await box.click();
  await box.pressSequentially(`@${username.slice(0, 4)}`);
  await visible(page.locator(`[data-testid="mention-autocomplete"] [data-mention-option="${username}"]`));
  await page.keyboard.press('Enter');
  await box.pressSequentially(rest);
  await page.keyboard.press('Enter');
}

async function groupFlow({ baseUrl, shots, newPage, log }) {
  const [a, b, c] = await Promise.all([registerUser(baseUrl, 'men'), registerUser(baseUrl, 'lp'), registerUser(baseUrl, 'new')]);
  await makeContacts(baseUrl, a, b);
  await makeContacts(baseUrl, a, c);
  const group = (await call(baseUrl, '/api/chats/group', { token: a.token, method: 'POST', body: { name: 'Mentions and threads', participantIds: [b.id] } })).chat;
  await sendRest(baseUrl, a, group.id, 'Kick-off: who takes the release notes?');

  const pa = await newPage();
  const pb = await newPage();
  await longPollOnly(pb);
  await signIn(pa, baseUrl, a, '/chats');
  await signIn(pb, baseUrl, b, `/chats/${group.id}`);
  await transportOf(pa, 'websocket');
  await transportOf(pb, 'longpoll');
  await visible(pb.locator('text=Kick-off: who takes the release notes?'));

  // b (long-poll) mentions a through the autocomplete; a's list counts it, then a sees it highlighted.
  await mentionBy(pb, a.username, 'I can, after lunch');
  await visible(pa.locator(`[data-chat-id="${group.id}"] [data-testid="mention-badge"]`));
  await pa.click(`[data-chat-id="${group.id}"]`);
  const mentionRow = pa.locator('[data-mentioned="true"]', { hasText: 'I can, after lunch' });
  await visible(mentionRow);
  const stored = (await call(baseUrl, `/api/chats/${group.id}/messages`, { token: a.token })).data.find((m) => m.content.includes('after lunch'));
  assert(stored.mentions.includes(a.id), 'the mention is stored as a user id');
  await pa.screenshot({ path: `${shots}/mentions.png` });
  log('mention: autocomplete, count, highlight');

  // System messages: a renames the group and adds c; b sees both lines.
  await call(baseUrl, `/api/chats/${group.id}`, { token: a.token, method: 'PUT', body: { name: 'Release crew' } });
  await call(baseUrl, `/api/chats/${group.id}/participants`, { token: a.token, method: 'POST', body: { userIds: [c.id] } });
  await visible(pb.locator('[data-system="chat_renamed"]', { hasText: 'Release crew' }));
  await visible(pb.locator('[data-system="member_added"]'));
  await pb.screenshot({ path: `${shots}/system-messages.png` });
  log('system messages for rename and add');

  // Thread: a replies in the thread of b's message; b (long-poll) sees the summary and the reply in the panel.
  await mentionRow.hover();
  await mentionRow.locator('[aria-label="Reply in thread"]').click();
  await visible(pa.locator('[data-testid="thread-panel"]'));
  await pa.fill('[aria-label="Thread reply"]', 'Thanks! Threaded so the channel stays quiet');
  await pa.keyboard.press('Enter');
  await visible(pa.locator('[data-testid="thread-panel"] >> text=Thanks! Threaded so the channel stays quiet'));
  const summary = pb.locator('[data-testid="thread-summary"][data-reply-count="1"]');
  await visible(summary);
  assert(await pb.locator('[data-testid="message-list"] >> text=Thanks! Threaded so the channel stays quiet').count() === 0,
    'a thread reply stays out of the main timeline');
  await summary.click();
  await visible(pb.locator('[data-testid="thread-panel"] >> text=Thanks! Threaded so the channel stays quiet'));
  await pb.screenshot({ path: `${shots}/thread.png` });
  log('thread reply reached the long-poll user in the panel');

  // A deep link to the reply opens its thread with the reply highlighted.
  const root = (await call(baseUrl, `/api/chats/${group.id}/messages`, { token: b.token })).data.find((m) => m.thread);
  const replies = await call(baseUrl, `/api/messages/${root.id}/thread`, { token: b.token });
  await pb.goto(`${baseUrl}/chats/${group.id}/messages/${replies.data[0].id}`);
  await visible(pb.locator(`[data-testid="thread-panel"] [data-message-id="${replies.data[0].id}"] .highlight-target`));
  log('deep link to a thread reply opens the thread');
}

async function directFlow({ baseUrl, newPage, log }) {
  const [a, b] = await Promise.all([registerUser(baseUrl, 'dm'), registerUser(baseUrl, 'dn')]);
  await makeContacts(baseUrl, a, b);
  const chat = await directChat(baseUrl, a, b);
  const root = await sendRest(baseUrl, a, chat.id, 'Direct root message');
  const pa = await newPage();
  const pb = await newPage();
  await signIn(pa, baseUrl, a, `/chats/${chat.id}`);
  await signIn(pb, baseUrl, b, `/chats/${chat.id}`);
  await visible(pb.locator('text=Direct root message'));

  await mentionBy(pb, a.username, 'see this');
  await visible(pa.locator('[data-mentioned="true"]', { hasText: 'see this' }));
  log('mention in a direct chat');

  await call(baseUrl, `/api/chats/${chat.id}/messages`, { token: b.token, method: 'POST', body: { content: 'Direct thread reply', threadRootId: root.id } });
  const summary = pa.locator('[data-testid="thread-summary"][data-reply-count="1"]');
  await visible(summary);
  await summary.click();
  await visible(pa.locator('[data-testid="thread-panel"] >> text=Direct thread reply'));
  log('thread reply in a direct chat');
}

/**
 * Link previews: an administrator (CONFAB_ADMIN_USERNAME / _PASSWORD, made by WebClientE2EIT)
 * turns them on; a page on 127.0.0.2 (the one local address the test server's filter allows)
 * serves Open Graph tags; the other user sees the preview card.
 */
async function linkPreviewFlow({ baseUrl, shots, newPage, log }) {
  assert(process.env.CONFAB_ADMIN_USERNAME, 'an administrator is given (CONFAB_ADMIN_USERNAME / _PASSWORD)');
  const login = await call(baseUrl, '/api/auth/login', { method: 'POST', body: { username: process.env.CONFAB_ADMIN_USERNAME, password: process.env.CONFAB_ADMIN_PASSWORD } });
  const admin = login.accessToken;
  const pages = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<html><head><title>x</title><meta property="og:title" content="Release notes 2.0">'
      + '<meta property="og:description" content="Threads, mentions and link previews arrive in Confab."><meta property="og:site_name" content="Confab blog"></head></html>');
  });
  await new Promise((resolve) => pages.listen(0, '127.0.0.2', resolve));
  try {
    await call(baseUrl, '/api/admin/settings', { token: admin, method: 'PUT', body: { linkPreviews: true } });
    const [a, b] = await Promise.all([registerUser(baseUrl, 'lpa'), registerUser(baseUrl, 'lpb')]);
    await makeContacts(baseUrl, a, b);
    const chat = await directChat(baseUrl, a, b);
    const pb = await newPage();
    await signIn(pb, baseUrl, b, `/chats/${chat.id}`);
    await sendRest(baseUrl, a, chat.id, `Have you read http://127.0.0.2:${pages.address().port}/notes yet?`);
    await visible(pb.locator('[data-testid="link-preview"]', { hasText: 'Release notes 2.0' }));
    await pb.screenshot({ path: `${shots}/link-preview.png` });
    log('link preview shown to the other user');
  } finally {
    await call(baseUrl, '/api/admin/settings', { token: admin, method: 'PUT', body: { linkPreviews: false } }).catch(() => {});
    pages.close();
  }
}

export const messagingFlows = [
  ['messaging-group', groupFlow, { timeoutMs: 60_000 }],
  ['messaging-direct', directFlow, { timeoutMs: 45_000 }],
];

// In flows.mjs's default run (WebClientE2EIT makes the administrator). The test server's address
// filter (IntegrationTest) lets the fetcher reach 127.0.0.2 only; production refuses all loopback.
export const linkPreviewFlows = [['messaging-link-preview', linkPreviewFlow, { timeoutMs: 30_000 }]];
