// The browser flows: seed §13.4 and the issue's reliability, group, image and search flows.
import { callFlows } from './call-flows.mjs';
import { join } from 'node:path';
import { formattingFlows } from './formatting-flows.mjs';
import { controlledSocket, issue15Flows } from './issue15.mjs';
import { linkPreviewFlows, messagingFlows } from './messaging-flows.mjs';
import { notifyFlows } from './notify-flows.mjs';
import { PASSWORD, assert, call, directChat, eventually, makeContacts, makePng, registerUser, sendRest, signIn, uniqueName } from './support.mjs';

const visible = (locator, timeout = 20_000) => locator.first().waitFor({ state: 'visible', timeout });

async function registerThroughUi(page, baseUrl, username) {
  await page.goto(baseUrl);
  await page.click('text=Register');
  await page.fill('[name=username]', username);
  await page.fill('[name=password]', PASSWORD);
  await page.fill('[name=passwordConfirm]', PASSWORD);
  await page.click('button:has-text("Register")');
  await page.waitForURL(/\/chats/);
}

/** Seed §13.4: two users register, one asks the other to be a contact, they chat both ways. */
async function seedFlow({ baseUrl, shots, newPage, log }) {
  const user1 = uniqueName('user1');
  const user2 = uniqueName('user2');
  const page = await newPage();
  await page.goto(baseUrl);
  await page.waitForURL(/\/login/);
  await page.screenshot({ path: join(shots, 'login.png') });
  await page.click('text=Register');
  await page.fill('[name=username]', user1);
  await page.fill('[name=password]', 'Test1');
  await page.screenshot({ path: join(shots, 'register.png') });
  await page.fill('[name=password]', PASSWORD);
  await page.fill('[name=passwordConfirm]', PASSWORD);
  await page.click('button:has-text("Register")');
  await page.waitForURL(/\/chats/);
  log('user1 registered');

  const page2 = await newPage();
  await registerThroughUi(page2, baseUrl, user2);
  log('user2 registered');

  await page.click('button:has-text("Add Contact")');
  await page.fill('[placeholder="Username"]', user2);
  await page.click('button:has-text("Send Request")');
  log('request sent');

  await page2.click('text=Pending Requests');
  await visible(page2.locator('button:has-text("Accept")'));
  await page2.screenshot({ path: join(shots, 'pending-requests.png') });
  await page2.click('button:has-text("Accept")');
  log('request accepted');

  await page.click(`text=${user2}`);
  await page.fill('[placeholder="Type a message"]', 'Hello, User 2!');
  await page.click('button:has-text("Send")');
  await visible(page.locator('text=Hello, User 2!'));
  await visible(page2.locator('text=Hello, User 2!'));
  log('user2 got the message');

  await page2.fill('[placeholder="Type a message"]', 'Hi, User 1!');
  await page2.click('button:has-text("Send")');
  await visible(page.locator('text=Hi, User 1!'));
  log('user1 got the reply');

  // user2 has the chat open and in view: user1's message shows as read.
  await visible(page.locator('[data-receipt="read"]'), 20_000);
  // Formatting round trip, rendered as markup and never as raw tags.
  await page.fill('[placeholder="Type a message"]', '**bold** and *italic* <b>not html</b>');
  await page.keyboard.press('Enter');
  await visible(page2.locator('strong', { hasText: 'bold' }));
  await visible(page2.locator('em', { hasText: 'italic' }));
  await visible(page2.locator('text=<b>not html</b>'));
  assert(await page2.locator('[data-testid="message-content"] b').count() === 0, 'no <b> element from content');
  await page.screenshot({ path: join(shots, 'chat.png') });
  await page.click('button[aria-label="Use dark theme"]');
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(shots, 'chat-dark.png') });
  await page2.setViewportSize({ width: 390, height: 780 });
  await page2.waitForTimeout(300);
  await page2.screenshot({ path: join(shots, 'chat-phone.png') });
  await page2.click('button[aria-label="Back to chats"]');
  await visible(page2.locator('[data-testid="chat-list"]'));
  await page2.screenshot({ path: join(shots, 'chat-list-phone.png') });
}

/** A group of three: create, talk, see who has read, rename, remove a member. */
async function groupFlow({ baseUrl, shots, newPage, log }) {
  const [a, b, c] = await Promise.all([registerUser(baseUrl, 'ann'), registerUser(baseUrl, 'ben'), registerUser(baseUrl, 'cat')]);
  await makeContacts(baseUrl, a, b);
  await makeContacts(baseUrl, a, c);
  const pa = await newPage();
  const pb = await newPage();
  const pc = await newPage();
  await signIn(pa, baseUrl, a);
  await signIn(pb, baseUrl, b);
  await signIn(pc, baseUrl, c);

  const groupName = `Launch ${uniqueName('g').slice(2)}`;
  await pa.click('button:has-text("New Group")');
  await pa.fill('[name=groupName]', groupName);
  await pa.check(`label:has-text("@${b.username}") input[type=checkbox]`);
  await pa.check(`label:has-text("@${c.username}") input[type=checkbox]`);
  await pa.click('button:has-text("Create Group")');
  await pa.waitForURL(/\/chats\/.+/);
  await visible(pa.locator('[data-testid="chat-title"]', { hasText: groupName }));
  log('group created');

  await pa.fill('[placeholder="Type a message"]', 'Welcome to the launch group!');
  await pa.keyboard.press('Enter');
  for (const p of [pb, pc]) {
    await p.click(`[data-testid="chat-list"] >> text=${groupName}`);
    await visible(p.locator('text=Welcome to the launch group!'));
  }
  log('both members see the first message');

  await pb.fill('[placeholder="Type a message"]', 'Glad to be here');
  await pb.keyboard.press('Enter');
  await visible(pa.locator('text=Glad to be here'));
  await visible(pc.locator('text=Glad to be here'));
  log('messages flow between the three');

  // Everyone has the chat open: the owner's message shows who has read it.
  await pa.fill('[placeholder="Type a message"]', 'Who has read this?');
  await pa.keyboard.press('Enter');
  await visible(pb.locator('text=Who has read this?'));
  await visible(pc.locator('text=Who has read this?'));
  await visible(pa.locator('[data-testid="read-by"]', { hasText: b.username }), 20_000);
  await visible(pa.locator('[data-testid="read-by"]', { hasText: c.username }), 20_000);
  log('read by both');

  // Typing indicator reaches the others.
  await pc.type('[placeholder="Type a message"]', 'typing');
  await visible(pa.locator('[data-testid="typing-indicator"]'), 10_000);
  log('typing indicator seen');

  // Members panel, rename, remove.
  await pa.click('button[aria-label="Members"]');
  await visible(pa.locator('[data-testid="member-list"] [data-member]').nth(2));
  const renamed = `${groupName} v2`;
  await pa.fill('#rename-group', renamed);
  await pa.click('button:has-text("Rename")');
  await visible(pb.locator('[data-testid="chat-title"]', { hasText: renamed }));
  log('rename reached a member');
  await pa.screenshot({ path: join(shots, 'group.png') });
  await pa.click(`button[aria-label="Remove ${c.username}"]`);
  await eventually(async () => (await pc.locator(`[data-testid="chat-list"] >> text=${renamed}`).count()) === 0, { message: 'removed member losing the chat' });
  log('removed member lost the group');
}

/** An image by the file picker: upload with progress, shown inline to both, full size in the viewer. */
async function imageFlow({ baseUrl, shots, newPage, log }) {
  const [a, b] = await Promise.all([registerUser(baseUrl, 'ivy'), registerUser(baseUrl, 'ian')]);
  await makeContacts(baseUrl, a, b);
  const chat = await directChat(baseUrl, a, b);
  const pa = await newPage();
  const pb = await newPage();
  await signIn(pa, baseUrl, a, `/chats/${chat.id}`);
  await signIn(pb, baseUrl, b, `/chats/${chat.id}`);
  await visible(pa.locator('[placeholder="Type a message"]'));
  const png = await makePng(pa);
  await pa.setInputFiles('[data-testid="image-input"]', { name: 'confab.png', mimeType: 'image/png', buffer: png });
  await visible(pa.locator('[data-upload-state="done"]'), 30_000);
  log('uploaded');
  await pa.fill('[placeholder="Type a message"]', 'Here is the new logo');
  await pa.click('button:has-text("Send")');
  for (const p of [pa, pb]) {
    const img = p.locator('[data-message-id] img[alt="confab.png"]').first();
    await img.waitFor({ state: 'visible', timeout: 30_000 });
    await eventually(() => img.evaluate((el) => el.complete && el.naturalWidth > 0), { message: 'inline image loaded' });
  }
  log('both see the image inline');
  await pb.click('[data-message-id] button[aria-label^="Open image"]');
  const full = pb.locator('[data-testid="full-image"]');
  await full.waitFor({ state: 'visible' });
  await eventually(() => full.evaluate((el) => el.complete && el.naturalWidth === 640), { message: 'full-size image loaded' });
  await pb.screenshot({ path: join(shots, 'image-viewer.png') });
  await pb.keyboard.press('Escape');
  await pa.screenshot({ path: join(shots, 'image.png') });
}

async function seedLongChat(baseUrl, log) {
  const [a, b, outsider] = await Promise.all([registerUser(baseUrl, 'sam'), registerUser(baseUrl, 'sue'), registerUser(baseUrl, 'eve')]);
  await makeContacts(baseUrl, a, b);
  const chat = await directChat(baseUrl, a, b);
  const word = `zebracorn${Math.floor(Math.random() * 1e6)}`;
  let target;
  // Two senders taking turns, paced under the 10 messages/s per user limit.
  for (let i = 0; i < 90; i++) {
    const content = i === 30 ? `The **${word}** launch plan is ready` : `Filler message number ${i}`;
    const m = await sendRest(baseUrl, i % 2 ? b : a, chat.id, content);
    if (i === 30) target = m;
    await new Promise((r) => setTimeout(r, 70));
  }
  log('90 messages sent');
  return { a, b, outsider, chat, word, target };
}

async function scrollUntil(page, text, toTop) {
  const scroller = page.locator('[data-testid="message-list"] [data-virtuoso-scroller]');
  for (let i = 0; i < 20 && !(await page.locator(`text=${text}`).count()); i++) {
    await scroller.evaluate((el, top) => { el.scrollTop = top ? 0 : el.scrollHeight; }, toTop);
    await page.waitForTimeout(400);
  }
  await visible(page.locator(`text=${text}`), 5_000);
}

/** Deep links: the linked message highlighted, history both ways, the login round trip, no access. */
async function deepLinkFlow({ baseUrl, shots, newPage, log }) {
  const { a, b, outsider, chat, target } = await seedLongChat(baseUrl, log);
  const link = `${baseUrl}/chats/${chat.id}/messages/${target.id}`;
  const page = await newPage();
  await signIn(page, baseUrl, a, `/chats/${chat.id}/messages/${target.id}`);
  const row = page.locator(`[data-message-id="${target.id}"]`);
  await visible(row);
  assert(await row.locator('.highlight-target').count() === 1, 'deep-linked message is highlighted');
  await page.screenshot({ path: join(shots, 'deep-link.png') });
  log('deep link opened the message, highlighted');
  await scrollUntil(page, 'Filler message number 0', true);
  log('older history loaded');
  await scrollUntil(page, 'Filler message number 89', false);
  log('newer history loaded');

  // Not signed in: login first, then on to the link.
  const fresh = await newPage();
  await fresh.goto(link);
  await fresh.waitForURL(/\/login\?next=/);
  await fresh.fill('[name=username]', b.username);
  await fresh.fill('[name=password]', PASSWORD);
  await fresh.click('button:has-text("Sign in")');
  await fresh.waitForURL(new RegExp(`/chats/${chat.id}/messages/${target.id}$`));
  await visible(fresh.locator(`[data-message-id="${target.id}"] .highlight-target`));
  log('login round trip landed on the message');

  // Someone outside the chat gets the "not available" page, for the chat and for the message.
  const other = await newPage();
  await signIn(other, baseUrl, outsider, `/chats/${chat.id}/messages/${target.id}`);
  await visible(other.locator('[data-testid="not-available"]'));
  await other.screenshot({ path: join(shots, 'not-available.png') });
  await other.goto(`${baseUrl}/chats/${chat.id}`);
  await visible(other.locator('[data-testid="not-available"]'));
}

/** Search with operator suggestions → highlighted result grouped by chat → its deep link. */
async function searchFlow({ baseUrl, shots, newPage, log }) {
  const { a, chat, word, target } = await seedLongChat(baseUrl, log);
  const page = await newPage();
  await signIn(page, baseUrl, a);
  await page.fill('#message-search', 'fr');
  await visible(page.locator('#search-suggestions >> text=from:'));
  await page.fill('#message-search', word);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/search\?q=/);
  const hit = page.locator(`[data-result-id="${target.id}"]`);
  await visible(hit);
  assert((await hit.locator('mark').first().textContent()).toLowerCase().includes(word), 'match is highlighted');
  await page.screenshot({ path: join(shots, 'search.png') });
  await hit.click();
  await page.waitForURL(new RegExp(`/chats/${chat.id}/messages/${target.id}$`));
  await visible(page.locator(`[data-message-id="${target.id}"] .highlight-target`));
  log('result opened its deep link, highlighted');
}

/** The network drops: messages sent meanwhile arrive without a reload; what we typed offline is sent once. */
async function reconnectFlow({ baseUrl, shots, newPage, log }) {
  const [a, b] = await Promise.all([registerUser(baseUrl, 'rex'), registerUser(baseUrl, 'roy')]);
  await makeContacts(baseUrl, a, b);
  const chat = await directChat(baseUrl, a, b);
  await sendRest(baseUrl, b, chat.id, 'Before the drop');
  const page = await newPage();
  const socket = await controlledSocket(page);
  await signIn(page, baseUrl, a, `/chats/${chat.id}`);
  await visible(page.locator('text=Before the drop'));
  await eventually(() => page.evaluate(() => document.querySelector('[data-connection]')?.getAttribute('data-connection') === 'online'), { message: 'connected' });

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  // Offline emulation leaves an open WebSocket alone: stop its frames too. No close frame, no
  // error: only the heartbeat can notice.
  socket.cut = true;
  await visible(page.locator('[data-testid="connection-banner"]'), 15_000);
  log('offline banner shown');

  for (let i = 1; i <= 3; i++) await sendRest(baseUrl, b, chat.id, `Missed message ${i}`);
  await page.fill('[placeholder="Type a message"]', 'Typed while offline');
  await page.keyboard.press('Enter');
  await visible(page.locator('[data-status="pending"]', { hasText: 'Typed while offline' }));
  const outbox = await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('confab.outbox.'))) ?? '[]'));
  assert(outbox.length === 1 && outbox[0].content === 'Typed while offline', 'outbox kept in localStorage');
  await page.screenshot({ path: join(shots, 'offline.png') });
  log('offline message pending in the outbox');

  socket.cut = false;
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  for (let i = 1; i <= 3; i++) await visible(page.locator(`text=Missed message ${i}`), 30_000);
  log('missed messages arrived without reload');
  await visible(page.locator('[data-status="sent"]', { hasText: 'Typed while offline' }), 30_000);
  await page.locator('[data-testid="connection-banner"]').waitFor({ state: 'hidden', timeout: 10_000 });
  const history = await call(baseUrl, `/api/chats/${chat.id}/messages?limit=50`, { token: b.token });
  const copies = history.data.filter((m) => m.content === 'Typed while offline');
  assert(copies.length === 1, `offline message stored once (found ${copies.length})`);
  for (let i = 1; i <= 3; i++) assert(await page.locator(`text=Missed message ${i}`).count() === 1, `missed message ${i} shown once`);
  log('outbox delivered exactly once');
}

/** Replies, edits, deletes, reactions with who reacted, keyboard formatting, copy link. */
async function messageActionsFlow({ baseUrl, shots, newPage, log }) {
  const [a, b] = await Promise.all([registerUser(baseUrl, 'max'), registerUser(baseUrl, 'mia')]);
  await makeContacts(baseUrl, a, b);
  const chat = await directChat(baseUrl, a, b);
  const original = await sendRest(baseUrl, b, chat.id, 'Can you review the draft?');
  const pa = await newPage({ context: { permissions: ['clipboard-read', 'clipboard-write'] } });
  const pb = await newPage();
  await signIn(pa, baseUrl, a, `/chats/${chat.id}`);
  await signIn(pb, baseUrl, b, `/chats/${chat.id}`);
  const originalRow = pa.locator(`[data-message-id="${original.id}"]`);
  await visible(originalRow);

  // Reply with a quote, formatted with the keyboard.
  await originalRow.hover();
  await originalRow.locator('button[aria-label="Reply"]').click();
  await visible(pa.locator('text=Replying to'));
  await pa.keyboard.type('Sure, ');
  await pa.keyboard.press('Control+B');
  await pa.keyboard.type('today');
  await pa.keyboard.press('Enter');
  const reply = pb.locator('[data-message-id]', { hasText: 'Sure,' }).last();
  await visible(reply.locator('strong', { hasText: 'today' }));
  await visible(reply.locator('button[aria-label^="Reply to"]', { hasText: 'Can you review the draft?' }));
  log('reply with quote and bold arrived');

  // React; the other side sees who reacted; toggle off again.
  await originalRow.hover();
  await originalRow.locator('button[aria-label="React"]').click();
  await pa.locator('button[aria-label="React 👍"]').click();
  const chip = pb.locator(`[data-message-id="${original.id}"] [data-reaction="👍"]`);
  await visible(chip);
  await eventually(async () => (await chip.getAttribute('title'))?.includes(a.username), { message: 'who reacted' });
  await pa.locator(`[data-message-id="${original.id}"] [data-reaction="👍"]`).click();
  await chip.waitFor({ state: 'detached' });
  log('reaction added and removed');

  // Edit own message; the other side sees the new text marked edited.
  const mine = pa.locator('[data-message-id]', { hasText: 'Sure,' }).last();
  await mine.hover();
  await mine.locator('button[aria-label="Edit"]').click();
  await visible(pa.locator('text=Editing message'));
  await pa.fill('[placeholder="Type a message"]', 'Sure, tomorrow morning');
  await pa.keyboard.press('Enter');
  await visible(pb.locator('[data-message-id]', { hasText: 'Sure, tomorrow morning' }).locator('text=edited'));
  log('edit reached the other side');

  // The other side reacts to the edited reply: a picture of the actions for the docs.
  const theirs = pb.locator('[data-message-id]', { hasText: 'Sure, tomorrow morning' }).last();
  await theirs.hover();
  await theirs.locator('button[aria-label="React"]').click();
  await pb.locator('button[aria-label="React 🎉"]').click();
  await visible(mine.locator('[data-reaction="🎉"]'));
  await pa.mouse.move(5, 5);
  await pa.screenshot({ path: join(shots, 'message-actions.png') });

  // Copy link gives the message's deep link.
  await mine.hover();
  await mine.locator('button[aria-label="Copy link"]').click();
  const copied = await pa.evaluate(() => navigator.clipboard.readText());
  assert(new RegExp(`/chats/${chat.id}/messages/[0-9a-f-]{36}$`).test(copied), `copied link ${copied}`);

  // Delete own message.
  await mine.hover();
  await mine.locator('button[aria-label="Delete"]').click();
  await pa.click('[role="alertdialog"] button:has-text("Delete")');
  await visible(pb.locator('text=This message was deleted'));
  log('delete reached the other side');
}

export const flows = [
  ['seed-chat', seedFlow],
  ['group', groupFlow],
  ['image', imageFlow],
  ['deep-link', deepLinkFlow],
  ['search', searchFlow],
  ['reconnect', reconnectFlow],
  ['message-actions', messageActionsFlow],
  ...issue15Flows,
  ...messagingFlows,
  ...linkPreviewFlows,
  ...formattingFlows,
  ...notifyFlows,
  ...callFlows,
];
