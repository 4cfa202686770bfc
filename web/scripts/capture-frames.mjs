// Captures the frames a real conversation produces on a running server and writes them to
// src/test/fixtures/captured-frames.json (a JSON array of frame objects), so the client's tests
// are fed what the server really sends. Usage: node scripts/capture-frames.mjs http://localhost:8080
// The server's own contract test writes the same file; this script is the stand-in until then.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { call, makeContacts, registerUser } from '../e2e/support.mjs';

const base = (process.argv[2] ?? '').replace(/\/$/, '');
if (!base) {
  console.error('usage: node scripts/capture-frames.mjs <baseUrl>');
  process.exit(2);
}
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'test', 'fixtures', 'captured-frames.json');
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

function connect(user, cursor) {
  const socket = new WebSocket(base.replace(/^http/, 'ws') + '/ws');
  const frames = [];
  let next = 1;
  const waiters = new Map();
  socket.on('message', (raw) => {
    const frame = JSON.parse(String(raw));
    frames.push(frame);
    if (frame.id && waiters.has(frame.id)) {
      waiters.get(frame.id)(frame);
      waiters.delete(frame.id);
    }
  });
  const ready = new Promise((resolve, reject) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', data: cursor ? { token: user.token, cursor } : { token: user.token } })));
    socket.on('message', (raw) => {
      if (JSON.parse(String(raw)).type === 'ready') resolve();
    });
    socket.on('error', reject);
  });
  const request = (type, data) => new Promise((resolve) => {
    const id = `r${next++}`;
    waiters.set(id, resolve);
    socket.send(JSON.stringify(data === undefined ? { type, id } : { type, id, data }));
  });
  return { socket, frames, ready, request };
}

const alice = await registerUser(base, 'alice');
const bob = await registerUser(base, 'bob');
const carol = await registerUser(base, 'carol');
await makeContacts(base, alice, bob);
await makeContacts(base, alice, carol);

const a = connect(alice);
const b = connect(bob);
await Promise.all([a.ready, b.ready]);

const direct = await call(base, '/api/chats/direct', { token: alice.token, method: 'POST', body: { userId: bob.id } });
const directId = (direct.chat ?? direct).id;
await b.request('presence:update', { status: 'away' });
await b.request('presence:update', { status: 'online' });
await a.request('typing:start', { chatId: directId });
await a.request('typing:stop', { chatId: directId });
const sent = await a.request('message:send', { chatId: directId, content: 'Hello **Bob** & <friends>', clientMessageId: 'capture-1' });
const messageId = sent.data.message.id;
await pause(400); // delivered receipts are coalesced
const reply = await b.request('message:send', { chatId: directId, content: 'Hi *Alice*', clientMessageId: 'capture-2', replyToId: messageId });
await b.request('message:read', { chatId: directId, messageId: reply.data.message.id });
await a.request('message:edit', { messageId, content: 'Hello **everyone**' });
const reaction = await b.request('reaction:add', { messageId, emoji: '👍' });
await b.request('reaction:remove', { reactionId: reaction.data.reaction.id });
await a.request('message:send', { chatId: directId, content: '' }); // an error answer
await a.request('ping');

const group = await call(base, '/api/chats/group', { token: alice.token, method: 'POST', body: { name: 'Launch & review', participantIds: [bob.id] } });
const groupId = (group.chat ?? group).id;
await pause(200);
await call(base, `/api/chats/${groupId}`, { token: alice.token, method: 'PUT', body: { name: 'Launch team' } });
await call(base, `/api/chats/${groupId}/participants`, { token: alice.token, method: 'POST', body: { userIds: [carol.id] } });
const doomed = await a.request('message:send', { chatId: groupId, content: 'to be deleted', clientMessageId: 'capture-3' });
await a.request('message:delete', { messageId: doomed.data.message.id });
await call(base, `/api/chats/${groupId}/participants/${carol.id}`, { token: alice.token, method: 'DELETE' });
await call(base, `/api/chats/${groupId}/leave`, { token: bob.token, method: 'POST' });
const shortLived = await call(base, '/api/chats/group', { token: alice.token, method: 'POST', body: { name: 'Short-lived', participantIds: [bob.id] } });
await call(base, `/api/chats/${(shortLived.chat ?? shortLived).id}`, { token: alice.token, method: 'DELETE' });
await call(base, `/api/contacts/${carol.id}/block`, { token: alice.token, method: 'POST' });
await call(base, `/api/contacts/${carol.id}/block`, { token: alice.token, method: 'DELETE' });
await pause(600);

// Replay after a cursor: the same events again, then ready.
const c = connect(bob, '0');
await c.ready;
b.socket.close();
await pause(5_600); // bob's last connection closed: alice sees him go offline after the grace period
a.socket.close();
c.socket.close();

const all = [...a.frames, ...b.frames, ...c.frames];
// Keep every distinct frame type (several of the common ones) so fixtures stay small but complete.
const perType = new Map();
const kept = [];
for (const frame of all) {
  const key = frame.type === 'ack' ? `ack:${Object.keys(frame.data ?? {}).sort().join(',')}` : frame.type;
  const n = perType.get(key) ?? 0;
  if (n >= 3) continue;
  perType.set(key, n + 1);
  kept.push(frame);
}
writeFileSync(out, JSON.stringify(kept, null, 2) + '\n');
console.log(`${kept.length} frames of ${new Set(kept.map((f) => f.type)).size} types written to ${out}`);
console.log([...new Set(kept.map((f) => f.type))].join(' '));
