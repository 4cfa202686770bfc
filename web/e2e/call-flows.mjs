// Voice and video calls in real Chromium with fake media devices (docs/subsystems/calls.md):
// alice calls bob from their direct chat, bob answers, both peer connections connect and decode
// video frames, hang-up ends both; a declined call, a missed one (the server's ring timeout is
// short in the test server) and a call to someone with no device connected.
import { join } from 'node:path';
import { assert, directChat, eventually, makeContacts, registerUser, signIn } from './support.mjs';

// Media devices: Chromium's fake camera and microphone, and no permission prompt. These flags are
// browser-wide, so run.mjs starts a second browser for the flows that ask for them.
export const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required'];
const OPTIONS = { browserArgs: FAKE_MEDIA, timeoutMs: 60_000 };

async function pair(baseUrl, newPage, prefixes) {
  const [a, b] = await Promise.all(prefixes.map((p) => registerUser(baseUrl, p)));
  await makeContacts(baseUrl, a, b);
  const chat = await directChat(baseUrl, a, b);
  const context = { permissions: ['camera', 'microphone', 'notifications'] };
  const [pa, pb] = await Promise.all([newPage({ context }), newPage({ context })]);
  await Promise.all([signIn(pa, baseUrl, a, `/chats/${chat.id}`), signIn(pb, baseUrl, b, `/chats/${chat.id}`)]);
  for (const p of [pa, pb]) await p.locator('[data-testid="chat-title"]').waitFor();
  await Promise.all([pa, pb].map((p) => p.locator('[data-connection="online"]').waitFor()));
  return { a, b, chat, pa, pb };
}

/** Each peer connection's state, and the video frames it decoded so far (getStats inbound-rtp). */
function mediaState(page) {
  return page.evaluate(async () => {
    const peers = globalThis.__confabCalls?.peers;
    if (!peers) return [];
    const out = [];
    for (const [userId, pc] of peers) {
      let framesDecoded = 0;
      const stats = await pc.getStats();
      stats.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') framesDecoded += s.framesDecoded ?? 0;
      });
      const receivers = pc.getReceivers().filter((r) => r.track?.kind === 'video' && r.track.readyState === 'live').length;
      out.push({ userId, state: pc.connectionState, framesDecoded, videoTracks: receivers });
    }
    return out;
  });
}

async function videoCallFlow({ baseUrl, shots, newPage, log }) {
  const { a, b, pa, pb } = await pair(baseUrl, newPage, ['carla', 'carlos']);
  await pa.click('[data-testid="call-video"]');
  await pa.locator('[data-testid="call-view"][data-call-status="ringing"]').waitFor();
  const banner = pb.locator('[data-testid="incoming-call"]');
  await banner.waitFor();
  assert((await banner.textContent()).includes('video call'), 'the banner says it is a video call');
  log('bob is ringing');
  await pb.screenshot({ path: join(shots, 'call-incoming.png') });

  await pb.click('[data-testid="call-accept"]');
  for (const [page, other] of [[pa, b], [pb, a]]) {
    await page.locator('[data-testid="call-view"][data-call-status="connected"]').waitFor();
    await eventually(async () => {
      const peers = await mediaState(page);
      return peers.length === 1 && peers[0].userId === other.id && peers[0].state === 'connected'
        && peers[0].videoTracks === 1 && peers[0].framesDecoded > 0;
    }, { message: 'a connected peer with decoded video frames' });
  }
  assert((await pb.locator('[data-testid="incoming-call"]').count()) === 0, 'the banner is gone once answered');
  log('both connected, both decoding video');

  await pa.click('[data-testid="call-mute"]');
  assert((await pa.getAttribute('[data-testid="call-mute"]', 'aria-pressed')) === 'true', 'mute is pressed');
  assert(await pa.evaluate(() => [...globalThis.__confabCalls.peers.values()][0].getSenders()
    .filter((s) => s.track?.kind === 'audio').every((s) => !s.track.enabled)), 'the microphone track is off');
  await pa.click('[data-testid="call-camera"]');
  assert((await pa.getAttribute('[data-testid="call-camera"]', 'aria-pressed')) === 'true', 'camera off is pressed');
  await pa.click('[data-testid="call-camera"]');
  await pa.click('[data-testid="call-mute"]');
  await pa.screenshot({ path: join(shots, 'call-in-progress.png') });

  await pa.click('[data-testid="call-hangup"]');
  for (const page of [pa, pb]) {
    await page.locator('[data-testid="call-view"]').waitFor({ state: 'detached' });
    await page.locator('[data-testid="call-log"][data-outcome="ended"]').waitFor();
  }
  assert((await mediaState(pb)).length === 0, 'bob has no peer connection left');
  log('hang-up ended the call on both sides; the log entry is in the chat');
}

async function declineMissedOfflineFlow({ baseUrl, newPage, log }) {
  const { b, pa, pb } = await pair(baseUrl, newPage, ['dora', 'dan']);
  // Declined.
  await pa.click('[data-testid="call-voice"]');
  await pb.locator('[data-testid="incoming-call"]').waitFor();
  await pb.click('[data-testid="call-decline"]');
  await pa.locator('[data-testid="call-view"]').waitFor({ state: 'detached' });
  await pa.locator('[data-testid="call-notice"]', { hasText: 'declined' }).waitFor();
  await pb.locator('[data-testid="call-log"][data-outcome="declined"]').waitFor();
  log('declined');

  // Missed: nobody answers until the ring times out.
  await pa.click('[data-testid="call-voice"]');
  await pb.locator('[data-testid="incoming-call"]').waitFor();
  await pb.locator('[data-testid="incoming-call"]').waitFor({ state: 'detached', timeout: 30_000 });
  await pa.locator('[data-testid="call-view"]').waitFor({ state: 'detached' });
  await pb.locator('[data-testid="call-log"][data-outcome="missed"]').waitFor();
  assert((await pb.locator('[data-testid="call-log"][data-outcome="missed"]').textContent()).includes('Missed voice call'),
    'bob sees a missed call');
  log('missed after the ring timeout');

  // Offline: bob closes his page; the call is unavailable at once.
  await pb.context().close();
  await eventually(async () => {
    await pa.click('[data-testid="call-video"]');
    await pa.locator('[data-testid="call-view"]').waitFor({ state: 'detached' });
    return (await pa.locator('[data-testid="call-log"][data-outcome="unavailable"]').count()) > 0;
  }, { timeout: 15_000, interval: 1000, message: 'an unavailable call once bob is offline' });
  await pa.locator('[data-testid="call-notice"]', { hasText: 'not available' }).waitFor();
  log(`calling ${b.username} with no device connected: unavailable at once`);
}

export const callFlows = [
  ['call-video', videoCallFlow, OPTIONS],
  ['call-decline-missed-offline', declineMissedOfflineFlow, OPTIONS],
];
