// Browser flows for the wrong states of issue 15, each with two or three users in separate
// browser contexts, network loss made with the browser's offline mode (or a refused /ws and
// /api for "the server is down"), and a soak test that compares every client with the server.
import { assert, call, directChat, eventually, makeContacts, registerUser, sendRest, signIn } from './support.mjs';

const visible = (locator, timeout = 20_000) => locator.first().waitFor({ state: 'visible', timeout });
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const SCROLLER = '[data-testid="message-list"] [data-virtuoso-scroller]';

async function connected(page, timeout = 20_000) {
  await eventually(() => page.evaluate(() => document.querySelector('[data-connection]')?.getAttribute('data-connection') === 'online'
    || window.__confab?.status?.() === 'online'), { timeout, message: 'connected' });
}

async function seedHistory(baseUrl, a, b, chatId, n, prefix = 'History') {
  for (let i = 0; i < n; i++) {
    await sendRest(baseUrl, i % 2 ? b : a, chatId, `${prefix} ${i} ${'lorem ipsum '.repeat(1 + (i % 4))}`);
    await pause(60); // under the per-user rate limit
  }
}

/** How far (px) the bottom of the message's bubble is below the list's visible area (<= 0: in view). */
async function belowFold(page, text) {
  return page.evaluate(([sel, t]) => {
    const scroller = document.querySelector(sel);
    const rows = [...document.querySelectorAll('[data-message-id]')].filter((r) => r.textContent.includes(t));
    if (!scroller || rows.length === 0) return Infinity;
    return rows[rows.length - 1].getBoundingClientRect().bottom - scroller.getBoundingClientRect().bottom;
  }, [SCROLLER, text]);
}

/**
 * Routes the page's WebSocket through a proxy the test controls: `cut` stops every frame both
 * ways without closing anything (a silent network drop), `down` closes the live socket as a
 * restarting server does and refuses new ones until it is back.
 */
export async function controlledSocket(page) {
  const state = { cut: false, down: false, live: null };
  await page.routeWebSocket(/\/ws$/, (ws) => {
    if (state.down || state.cut) {
      if (state.down) ws.close({ code: 1006 });
      return; // cut: the connection hangs, nothing answers
    }
    const server = ws.connectToServer();
    state.live = ws;
    ws.onMessage((m) => { if (!state.cut) server.send(m); });
    server.onMessage((m) => { if (!state.cut) ws.send(m); });
  });
  return state;
}

/** Scrolls the list by the user's own input (the wheel), as a reader does. */
async function wheel(page, dy) {
  const box = await page.locator(SCROLLER).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, dy);
}

const latestButton = (page) => page.locator('[aria-label="Jump to the latest message"]');

async function pair(baseUrl, names) {
  const [a, b] = await Promise.all(names.map((n) => registerUser(baseUrl, n)));
  await makeContacts(baseUrl, a, b);
  const chat = await directChat(baseUrl, a, b);
  return { a, b, chat };
}

/** #1: opening a chat with ~100 messages shows its newest message, and only then is it read. */
async function openShowsNewest({ baseUrl, newPage, log }) {
  const { a, b, chat } = await pair(baseUrl, ['olga', 'otto']);
  await seedHistory(baseUrl, a, b, chat.id, 99);
  // olga has read the history (a chat opens at its first unread, #16): only the newest is unread.
  const history = (await call(baseUrl, `/api/chats/${chat.id}/messages`, { token: a.token })).data;
  const lastSeeded = history.reduce((x, y) => (y.position > x.position ? y : x));
  await call(baseUrl, `/api/chats/${chat.id}/read`, { token: a.token, method: 'POST', body: { messageId: lastSeeded.id } });
  await sendRest(baseUrl, b, chat.id, 'The very last message');
  const page = await newPage();
  await signIn(page, baseUrl, a, '/chats');
  await visible(page.locator('[data-testid="unread-badge"]'));
  await page.click(`[data-testid="chat-list"] >> text=${b.username}`);
  await visible(page.locator('text=The very last message'));
  await page.waitForTimeout(1500); // fonts, row measurement
  const below = await belowFold(page, 'The very last message');
  assert(below <= 1, `newest message in view after opening (it is ${below.toFixed(0)} px below)`);
  assert(!(await latestButton(page).isVisible()), 'no "Latest" button at the bottom');
  log('newest message in view');
  // Read means seen: scrolled up, a new message stays unread until scrolled to.
  for (let i = 0; i < 5; i++) await wheel(page, -3000);
  await page.waitForTimeout(500);
  await sendRest(baseUrl, b, chat.id, 'Arrives while you read history');
  await visible(latestButton(page));
  await page.waitForTimeout(1000);
  const stats = await call(baseUrl, '/api/chats', { token: a.token });
  const unread = stats.data.find((c) => c.id === chat.id).unreadCount;
  assert(unread === 1, `a message not yet seen stays unread (server says ${unread})`);
  await latestButton(page).click();
  await eventually(async () => (await call(baseUrl, '/api/chats', { token: a.token })).data.find((c) => c.id === chat.id).unreadCount === 0,
    { message: 'read once seen' });
  log('read only once seen');
}

/** #2 and #3: your own message is in view after sending, and shows once. */
async function ownMessageInViewOnce({ baseUrl, newPage, log }) {
  const { a, b, chat } = await pair(baseUrl, ['sina', 'sven']);
  await seedHistory(baseUrl, a, b, chat.id, 60);
  const page = await newPage();
  await signIn(page, baseUrl, a, `/chats/${chat.id}`);
  await connected(page);
  await visible(page.locator('text=History 59'));
  for (let i = 1; i <= 9; i++) {
    const text = `Own message #${i}# ${'with some length '.repeat(i % 3)}`;
    await page.fill('[placeholder="Type a message"]', text);
    await page.keyboard.press('Enter');
    await visible(page.locator('[data-status="sent"]', { hasText: `#${i}#` }), 15_000);
    await page.waitForTimeout(300);
    const below = await belowFold(page, `#${i}#`);
    assert(below <= 1, `own message ${i} in view after sending (it is ${below.toFixed(0)} px below)`);
    assert(!(await latestButton(page).isVisible()), `no "Latest" button after sending ${i}`);
  }
  log('each own message in view');
  await page.waitForTimeout(1000);
  const shown = await page.evaluate(() => [...document.querySelectorAll('[data-message-id]')].map((r) => r.getAttribute('data-message-id')));
  const dupes = shown.filter((id, i) => shown.indexOf(id) !== i);
  assert(dupes.length === 0, `every message shows once (duplicated: ${dupes.join(', ')})`);
  for (let i = 1; i <= 9; i++) {
    const n = await page.locator('[data-message-id]', { hasText: `#${i}#` }).count();
    assert(n === 1, `own message ${i} shows ${n} times`);
  }
  log('no double bubbles');
}

/**
 * Sending while the chat is open at its first unread: with more unread than one page the list
 * shows a stretch of history, and a send opens the newest page at its end (it once opened it at
 * the divider again, the message below the fold); with fewer, the divider's settle must not pull
 * the list back up over the message just sent.
 */
async function sendFromFirstUnread({ baseUrl, newPage, log }) {
  const { a, b, chat } = await pair(baseUrl, ['ulla', 'uwe']);
  for (let i = 0; i < 60; i++) {
    await sendRest(baseUrl, b, chat.id, `Unread ${i} ${'lorem ipsum '.repeat(1 + (i % 4))}`);
    await pause(60);
  }
  const page = await newPage();
  await signIn(page, baseUrl, a, '/chats');
  await visible(page.locator('[data-testid="unread-badge"]'));
  await page.click(`[data-testid="chat-list"] >> text=${b.username}`);
  await visible(page.locator('[data-testid="unread-divider"]'));
  await connected(page);
  await page.fill('[placeholder="Type a message"]', 'Sent from the first unread');
  await page.keyboard.press('Enter');
  await visible(page.locator('[data-status="sent"]', { hasText: 'Sent from the first unread' }), 15_000);
  await page.waitForTimeout(700); // past the divider's settle timers
  const below = await belowFold(page, 'Sent from the first unread');
  assert(below <= 1, `own message in view after sending from the first unread (it is ${below.toFixed(0)} px below)`);
  log('more unread than a page: the send opens the end');
  // Fewer unread than a page: the newest page opens at the divider; send at once, before it settles.
  await page.goto(`${baseUrl}/chats`); // the chat closed: what arrives now stays unread
  for (let i = 0; i < 30; i++) {
    await sendRest(baseUrl, b, chat.id, `Second batch ${i} ${'lorem ipsum '.repeat(1 + (i % 4))}`);
    await pause(60);
  }
  await page.reload();
  await page.click(`[data-testid="chat-list"] >> text=${b.username}`);
  await visible(page.locator('[data-testid="unread-divider"]'));
  await page.fill('[placeholder="Type a message"]', 'Sent before the divider settles');
  await page.keyboard.press('Enter');
  await visible(page.locator('[data-status="sent"]', { hasText: 'Sent before the divider settles' }), 15_000);
  await page.waitForTimeout(700);
  const below2 = await belowFold(page, 'Sent before the divider settles');
  assert(below2 <= 1, `own message in view when sent as the chat opens (it is ${below2.toFixed(0)} px below)`);
  log('sent as the chat opens: in view');
}

/** #4: after F5, the others see you online again (not "away"). */
async function presenceAfterReload({ baseUrl, newPage, log }) {
  const { a, b, chat } = await pair(baseUrl, ['pia', 'pete']);
  const [alice, bob] = await Promise.all([newPage(), newPage()]);
  await signIn(alice, baseUrl, a, `/chats/${chat.id}`);
  await signIn(bob, baseUrl, b, `/chats/${chat.id}`);
  const header = alice.locator('header');
  await visible(header.locator('text=online'));
  await bob.reload();
  await connected(bob);
  await bob.waitForTimeout(7000); // past the server's 5-second offline grace
  const subtitle = await header.locator('span.block.truncate').first().textContent();
  assert(subtitle === 'online', `bob is shown "${subtitle}" after his reload`);
  log('online after reload');
}

/** #5: a silent network drop is detected within ~10 s with a banner; nothing claims "delivered". */
async function silentDrop({ baseUrl, newPage, log }) {
  const { a, b, chat } = await pair(baseUrl, ['dora', 'dave']);
  const [alice, bob] = await Promise.all([newPage(), newPage()]);
  const bobSocket = await controlledSocket(bob);
  await signIn(alice, baseUrl, a, `/chats/${chat.id}`);
  await signIn(bob, baseUrl, b, `/chats/${chat.id}`);
  await Promise.all([connected(alice), connected(bob)]);
  bobSocket.cut = true; // frames stop both ways; nothing is closed
  await bob.context().setOffline(true);
  const t0 = Date.now();
  await visible(bob.locator('[data-testid="connection-banner"]'), 15_000);
  const took = Date.now() - t0;
  assert(took < 15_000, `banner after ${took} ms`);
  log(`drop noticed after ${(took / 1000).toFixed(1)} s`);
  // Messages sent to bob meanwhile must not claim "delivered".
  await alice.fill('[placeholder="Type a message"]', 'Sent while bob is gone');
  await alice.keyboard.press('Enter');
  await visible(alice.locator('[data-status="sent"]', { hasText: 'Sent while bob is gone' }));
  await alice.waitForTimeout(1500);
  const receipt = await alice.locator('[data-message-id]', { hasText: 'Sent while bob is gone' }).locator('[data-receipt]').getAttribute('data-receipt');
  assert(receipt === 'sent', `receipt while bob is unreachable: ${receipt}`);
  bobSocket.cut = false;
  await bob.context().setOffline(false);
  await connected(bob, 20_000);
  await visible(bob.locator('text=Sent while bob is gone'));
  log('back online; the message arrived after the drop');
}

/** #6: a "server restart": nothing blocks WebSocket, so no fallback label; back within seconds; nobody shown online meanwhile. */
async function serverRestart({ baseUrl, newPage, log }) {
  const { a, b, chat } = await pair(baseUrl, ['rita', 'rolf']);
  const [alice, bob] = await Promise.all([newPage(), newPage()]);
  const server = await controlledSocket(alice);
  await signIn(bob, baseUrl, b, `/chats/${chat.id}`);
  await signIn(alice, baseUrl, a, `/chats/${chat.id}`);
  await Promise.all([connected(alice), connected(bob)]);
  await visible(alice.locator('header >> text=online'));
  // The server restarts (as alice sees it): her socket closes, sockets and requests are refused.
  server.down = true;
  await alice.route(/\/(api|health)(\/|$)/, (route) => (server.down ? route.abort('connectionrefused') : route.continue()));
  await server.live?.close({ code: 1012 });
  await visible(alice.locator('[data-testid="connection-banner"]'), 15_000);
  await alice.waitForTimeout(20_000);
  const peer = await alice.locator('header span.block.truncate').first().textContent();
  assert(peer !== 'online', `the contact is not shown online during the outage (shown "${peer}")`);
  server.down = false;
  const t0 = Date.now();
  await connected(alice, 10_000);
  const took = Date.now() - t0;
  log(`reconnected ${(took / 1000).toFixed(1)} s after the server came back`);
  assert(took <= 3_000, `reconnect took ${took} ms`);
  const transport = await alice.evaluate(() => document.querySelector('[data-transport]')?.getAttribute('data-transport') ?? window.__confab?.transport?.());
  assert(transport !== 'longpoll', 'still on WebSocket');
  assert(!(await alice.locator('text=Connected through the fallback transport').count()), 'no fallback label');
}

/** #7: names unescaped; Escape after a failed Send Request; drafts survive a reload; offline first load. */
async function smallWrongs({ baseUrl, newPage, log }) {
  const { a, b } = await pair(baseUrl, ['nina', 'nick']);
  const group = await call(baseUrl, '/api/chats/group', { token: a.token, method: 'POST', body: { name: 'R&D <team>', participantIds: [b.id] } });
  const groupId = (group.chat ?? group).id;
  const page = await newPage();
  await signIn(page, baseUrl, a, `/chats/${groupId}`);
  await visible(page.locator('[data-testid="chat-title"]'));
  const title = await page.locator('[data-testid="chat-title"]').textContent();
  assert(title === 'R&D <team>', `chat name shown as "${title}"`);
  log('names unescaped');

  await page.click('text=Add Contact');
  await page.fill('#add-contact-username', 'nobody_by_this_name_at_all');
  await page.click('button:has-text("Send Request")');
  await visible(page.locator('[role="dialog"] [role="alert"]'));
  await page.keyboard.press('Escape');
  await page.locator('[role="dialog"][aria-label="Add a contact"]').waitFor({ state: 'hidden', timeout: 3_000 });
  log('Escape closes the dialog after a failed request');

  await page.fill('[placeholder="Type a message"]', 'A draft worth keeping');
  await page.waitForTimeout(300);
  await page.reload();
  await visible(page.locator('[placeholder="Type a message"]'));
  const draft = await page.inputValue('[placeholder="Type a message"]');
  assert(draft === 'A draft worth keeping', `draft after reload: "${draft}"`);
  log('draft kept');

  // Loaded once; the server then cannot be reached: the next visit shows the app, not the browser's error page.
  await eventually(() => page.evaluate(async () => !!(await navigator.serviceWorker?.getRegistration())?.active), { message: 'service worker active' });
  await page.context().setOffline(true);
  await page.goto(`${baseUrl}/chats`).catch(() => {});
  const shown = await page.evaluate(() => !!document.querySelector('#root') || !!document.querySelector('[data-testid="offline-page"]'));
  await page.context().setOffline(false);
  assert(shown, 'the app (or its offline page) shows while the server is unreachable');
  log('offline visit shows the app');
}

/** Every message id shown in the (virtualized) list, top to bottom, by scrolling through it. */
async function listedIds(page, log = () => {}) {
  for (let i = 0; i < 60; i++) {
    await wheel(page, -4000);
    await page.waitForTimeout(250);
    const top = await page.locator(SCROLLER).evaluate((el) => el.scrollTop);
    if (top === 0 && await page.locator('text=This is the beginning of the chat').count()) break;
  }
  log(`top reached: ${await page.locator('text=This is the beginning of the chat').count()}`);
  const ids = [];
  for (let i = 0; i < 400; i++) {
    const batch = await page.evaluate((sel) => {
      const el = document.querySelector(sel);
      const box = el.getBoundingClientRect();
      const rows = [...el.querySelectorAll('[data-message-id]')].filter((r) => {
        const b = r.getBoundingClientRect();
        return b.bottom > box.top && b.top < box.bottom;
      }).map((r) => r.getAttribute('data-message-id'));
      const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      return { rows, atEnd, step: el.clientHeight / 2 };
    }, SCROLLER);
    for (const id of batch.rows) if (ids[ids.length - 1] !== id && !ids.includes(id)) ids.push(id);
    if (batch.atEnd) break;
    await wheel(page, batch.step);
    await page.waitForTimeout(150);
  }
  return ids;
}

// How long the soak sends. The default run sends for 12 s (about 50 messages: ~30 s for the whole
// flow) with at least one reload and one network drop forced in; CONFAB_SOAK_SECONDS=90 gives the
// long form (~300 messages, as before) for a soak before a release.
const SOAK_SECONDS = Number(process.env.CONFAB_SOAK_SECONDS ?? 12);

/** Three users, messages for SOAK_SECONDS, random drops and reloads: every client's list equals the server's history. */
async function soak({ baseUrl, newPage, log }) {
  const users = await Promise.all(['kim', 'kai', 'kit'].map((n) => registerUser(baseUrl, n)));
  await makeContacts(baseUrl, users[0], users[1]);
  await makeContacts(baseUrl, users[0], users[2]);
  const group = await call(baseUrl, '/api/chats/group', { token: users[0].token, method: 'POST', body: { name: 'Soak', participantIds: [users[1].id, users[2].id] } });
  const chatId = (group.chat ?? group).id;
  const pages = await Promise.all(users.map(() => newPage()));
  await Promise.all(pages.map((p, i) => signIn(p, baseUrl, users[i], `/chats/${chatId}`)));
  await Promise.all(pages.map((p) => connected(p)));
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const sendUntil = Date.now() + SOAK_SECONDS * 1000;
  let sent = 0;
  for (let i = 0; Date.now() < sendUntil || i < 12; i++) {
    const who = i % 3;
    const page = pages[who];
    const roll = random();
    // Message 4 always follows a reload and message 8 a network drop, so a short run has both.
    if (roll < 0.02 || i === 4) {
      await page.reload();
      await visible(page.locator('[placeholder="Type a message"]'));
    } else if (roll < 0.05 || i === 8) {
      await page.context().setOffline(true);
      await pause(300 + random() * 1500);
      await page.context().setOffline(false);
    }
    // Most through the UI (into the outbox, sent when connected), the rest straight to the server.
    if (random() < 0.8) {
      await page.fill('[placeholder="Type a message"]', `Soak ${i}`);
      await page.keyboard.press('Enter');
    } else {
      await sendRest(baseUrl, users[who], chatId, `Soak ${i}`);
    }
    await pause(110);
    sent++;
  }
  log(`${sent} messages exchanged in ${SOAK_SECONDS} s`);
  const history = [];
  let cursor = null;
  do {
    const body = await call(baseUrl, `/api/chats/${chatId}/messages?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: users[0].token });
    history.unshift(...[...body.data].reverse());
    cursor = body.hasMore ? body.nextCursor : null;
  } while (cursor);
  const expected = [...history].sort((x, y) => x.position - y.position).map((m) => m.id);
  assert(expected.length === sent, `server has ${expected.length} messages of ${sent}`);
  for (const [i, page] of pages.entries()) {
    await eventually(async () => (await page.locator('[data-status="pending"], [data-status="failed"]').count()) === 0, { timeout: 60_000, message: `outbox ${i} empty` });
    const ids = await listedIds(page, log);
    const missing = expected.filter((id) => !ids.includes(id));
    const extra = ids.filter((id) => !expected.includes(id));
    assert(missing.length === 0 && extra.length === 0, `client ${i}: ${missing.length} missing, ${extra.length} ghosts`);
    assert(ids.join() === expected.join(), `client ${i}: same order as the server`);
  }
  log('every client equals the server');
  for (const page of pages) {
    await page.locator(SCROLLER).evaluate((el) => { el.scrollTop = el.scrollHeight; });
  }
  for (const u of users) {
    await eventually(async () => (await call(baseUrl, '/api/chats', { token: u.token })).data.find((c) => c.id === chatId).unreadCount === 0,
      { timeout: 20_000, message: `${u.username} has read everything` });
  }
  log('every unread count is 0');
}

export const issue15Flows = [
  ['open-shows-newest', openShowsNewest],
  ['own-message-in-view-once', ownMessageInViewOnce],
  ['send-from-first-unread', sendFromFirstUnread],
  ['presence-after-reload', presenceAfterReload],
  ['silent-drop', silentDrop],
  ['server-restart', serverRestart],
  ['small-wrongs', smallWrongs],
  ['soak', soak, { timeoutMs: 600_000 }],
];

