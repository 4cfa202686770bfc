import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CursorKeeper } from './cursor';
import { RealtimeClient, type RealtimeDeps } from './realtime';
import type { ServerEvent } from './types';

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code });
  }
  // server side
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  fail() {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }
}

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
}

function setup(overrides: Partial<RealtimeDeps> = {}, storedCursor?: string) {
  const storage = memoryStorage();
  if (storedCursor) storage.setItem('cur', storedCursor);
  const cursor = new CursorKeeper(storage, 'cur');
  const events: ServerEvent[] = [];
  const statuses: string[] = [];
  const readies: { resumed: boolean }[] = [];
  const deps: RealtimeDeps = {
    socketUrl: () => 'ws://test/ws',
    token: async () => 'token-1',
    refresh: async () => true,
    cursor,
    onEvent: (e) => events.push(e),
    onStatus: (s) => statuses.push(s),
    onReady: (info) => readies.push(info),
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    random: () => 1,
    ...overrides,
  };
  const client = new RealtimeClient(deps);
  return { client, cursor, events, statuses, readies, storage };
}

const idOf = (e: ServerEvent) => (e.data as { id?: string }).id;
const flush = () => vi.advanceTimersByTimeAsync(0);
const last = () => FakeSocket.all[FakeSocket.all.length - 1];

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
  vi.stubGlobal('WebSocket', { OPEN: 1 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('realtime connection', () => {
  it('gives up on a silent socket at once, even when its closing handshake never completes', async () => {
    const { client, statuses } = setup();
    client.start();
    await flush();
    const dead = last();
    dead.open();
    dead.receive({ type: 'ready', data: { userId: 'u1', cursor: '1' } });
    expect(statuses.at(-1)).toBe('online');
    // A dead network: close() starts a handshake that never ends, so no onclose comes.
    dead.close = () => { dead.readyState = 2; };
    await vi.advanceTimersByTimeAsync(15_000);
    expect(statuses).toContain('offline');
    expect(FakeSocket.all.length).toBeGreaterThan(1); // and it is already connecting again
  });

  it('authenticates with the token and the stored cursor, applies the replay, then is ready', async () => {
    const { client, events, statuses, readies, cursor } = setup({}, '41');
    client.start();
    await flush();
    last().open();
    expect(last().sent[0]).toEqual({ type: 'auth', data: { token: 'token-1', cursor: '41' } });
    last().receive({ type: 'message:new', cursor: '42', data: { id: 'm1' } });
    last().receive({ type: 'message:new', cursor: '43', data: { id: 'm2' } });
    last().receive({ type: 'ready', data: { userId: 'u1', cursor: '43' } });
    expect(events.map((e) => idOf(e))).toEqual(['m1', 'm2']);
    expect(cursor.current).toBe('43');
    expect(statuses.at(-1)).toBe('online');
    expect(readies).toEqual([{ userId: 'u1', cursor: '43', resumed: true }]);
  });

  it('sends no cursor on a first connection', async () => {
    const { client } = setup();
    client.start();
    await flush();
    last().open();
    expect(last().sent[0]).toEqual({ type: 'auth', data: { token: 'token-1' } });
  });

  it('applies a durable event once even when it is replayed', async () => {
    const { client, events } = setup({}, '10');
    client.start();
    await flush();
    last().open();
    last().receive({ type: 'ready', data: { cursor: '10' } });
    last().receive({ type: 'message:new', cursor: '11', data: { id: 'a' } });
    last().receive({ type: 'message:new', cursor: '11', data: { id: 'a' } });
    last().receive({ type: 'message:new', cursor: '9', data: { id: 'old' } });
    last().receive({ type: 'typing:start', data: { chatId: 'c' } });
    last().receive({ type: 'typing:start', data: { chatId: 'c' } });
    expect(events.map((e) => e.type + (idOf(e) ?? ''))).toEqual(['message:newa', 'typing:start', 'typing:start']);
  });

  it('reconnects after a drop with backoff and resumes from the last cursor', async () => {
    const { client, events, statuses } = setup();
    client.start();
    await flush();
    last().open();
    last().receive({ type: 'ready', data: { cursor: '5' } });
    last().receive({ type: 'message:new', cursor: '6', data: { id: 'x' } });
    last().fail();
    expect(statuses.at(-1)).toBe('offline');
    await vi.advanceTimersByTimeAsync(499);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(2);
    last().open();
    expect(last().sent[0].data.cursor).toBe('6');
    last().receive({ type: 'message:new', cursor: '7', data: { id: 'missed' } });
    last().receive({ type: 'ready', data: { cursor: '7' } });
    expect(events.map((e) => idOf(e))).toEqual(['x', 'missed']);
    expect(statuses.at(-1)).toBe('online');
  });

  it('waits longer after each failed attempt', async () => {
    const { client } = setup();
    client.start();
    await flush();
    last().fail(); // attempt 0 failed: 0.5 s
    await vi.advanceTimersByTimeAsync(500);
    last().fail(); // attempt 1 failed: 1 s
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(3);
  });

  it('reconnects at once when the browser says it is back online', async () => {
    const { client } = setup();
    client.start();
    await flush();
    last().fail();
    client.reconnectNow();
    await flush();
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('resolves requests with their ack and rejects with their error', async () => {
    const { client } = setup();
    client.start();
    await flush();
    last().open();
    last().receive({ type: 'ready', data: { cursor: '1' } });
    const ok = client.request('message:send', { content: 'hi' });
    const bad = client.request('message:send', { content: '' });
    const [first, second] = last().sent.slice(1);
    expect(first).toMatchObject({ type: 'message:send', data: { content: 'hi' } });
    last().receive({ type: 'ack', id: first.id, data: { message: { id: 'm' } } });
    last().receive({ type: 'error', id: second.id, error: { code: 'VALIDATION_ERROR', message: 'Content is required' } });
    await expect(ok).resolves.toEqual({ message: { id: 'm' } });
    await expect(bad).rejects.toMatchObject({ code: 'VALIDATION_ERROR', retryable: false });
  });

  it('fails pending requests as retryable when the connection drops, and refuses new ones while offline', async () => {
    const { client } = setup();
    client.start();
    await flush();
    last().open();
    last().receive({ type: 'ready', data: { cursor: '1' } });
    const pending = client.request('message:send', {});
    last().fail();
    await expect(pending).rejects.toMatchObject({ code: 'OFFLINE', retryable: true });
    await expect(client.request('message:send', {})).rejects.toMatchObject({ code: 'OFFLINE', retryable: true });
  });

  it('times out a request the server never answers', async () => {
    const { client } = setup();
    client.start();
    await flush();
    last().open();
    last().receive({ type: 'ready', data: { cursor: '1' } });
    const pending = client.request('message:send', {}, 3000);
    const check = expect(pending).rejects.toMatchObject({ code: 'TIMEOUT', retryable: true });
    await vi.advanceTimersByTimeAsync(3000);
    await check;
  });

  it('refreshes the token when the server refuses it, then connects again', async () => {
    const refresh = vi.fn(async () => true);
    const { client } = setup({ refresh });
    client.start();
    await flush();
    last().open();
    last().close(4401);
    await flush();
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('stops when the session cannot be refreshed', async () => {
    const { client, statuses } = setup({ refresh: async () => false });
    client.start();
    await flush();
    last().open();
    last().close(4401);
    await flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(statuses.at(-1)).toBe('offline');
  });

  it('pings a silent connection and drops a dead one', async () => {
    const { client, statuses } = setup();
    client.start();
    await flush();
    last().open();
    last().receive({ type: 'ready', data: { cursor: '1' } });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(FakeSocket.all[0].sent.some((f) => f.type === 'ping')).toBe(true);
    expect(statuses).toContain('offline');
  });

  it('falls back to long-polling when WebSocket never opens, with the same cursor handling', async () => {
    const poll = vi.fn(async (cursor: string | null) => ({
      events: (cursor === '3' ? [{ type: 'message:new', cursor: '4', data: { id: 'p' } }] : []) as unknown as ServerEvent[],
      cursor: cursor === '3' ? '4' : cursor,
    }));
    const { client, events, statuses } = setup({ poll, probe: async () => true }, '3');
    client.start();
    await flush();
    for (let i = 0; i < 4; i++) {
      last().fail();
      await vi.advanceTimersByTimeAsync(30_000);
    }
    expect(poll).toHaveBeenCalled();
    expect(poll.mock.calls[0][0]).toBe('3');
    expect(events.map((e) => idOf(e))).toEqual(['p']);
    expect(statuses).toContain('online');
    expect(client.currentTransport).toBe('longpoll');
    client.stop();
  });

  // issue 15 #5: a silent network drop (no close, no frames) went unnoticed for 45 s.
  it('detects a silent dead connection within 10 s', async () => {
    const { client, statuses } = setup();
    client.start();
    await flush();
    last().open();
    last().receive({ type: 'ready', data: { cursor: '1' } });
    await vi.advanceTimersByTimeAsync(6_000);
    expect(last().sent.some((f) => f.type === 'ping')).toBe(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(statuses.at(-1)).not.toBe('online');
  });

  it('keeps a connection that answers pings', async () => {
    const { client, statuses } = setup();
    client.start();
    await flush();
    last().open();
    last().receive({ type: 'ready', data: { cursor: '1' } });
    for (let i = 0; i < 20; i++) {
      await vi.advanceTimersByTimeAsync(1_000);
      const ping = last().sent.filter((f) => f.type === 'ping').at(-1);
      if (ping) last().receive({ type: 'pong', id: ping.id });
    }
    expect(statuses.at(-1)).toBe('online');
    expect(FakeSocket.all).toHaveLength(1);
  });

  // issue 15 #6: a server restart made the client believe WebSocket was blocked.
  it('stays on WebSocket while the whole server is unreachable', async () => {
    const poll = vi.fn(async () => ({ events: [], cursor: '1' }));
    const { client } = setup({ poll, probe: async () => false });
    client.start();
    await flush();
    for (let i = 0; i < 6; i++) {
      last().fail();
      await vi.advanceTimersByTimeAsync(30_000);
    }
    expect(poll).not.toHaveBeenCalled();
    expect(client.currentTransport).toBe('websocket');
    client.stop();
  });

  it('uses long-polling only when HTTP works but WebSocket never opens', async () => {
    const poll = vi.fn(async () => ({ events: [], cursor: '1' }));
    const { client } = setup({ poll, probe: async () => true });
    client.start();
    await flush();
    // Three failures, a probe that finds HTTP answering, and one more socket that fails after it.
    for (let i = 0; i < 4; i++) {
      last().fail();
      await vi.advanceTimersByTimeAsync(3_000);
    }
    expect(poll).toHaveBeenCalled();
    expect(client.currentTransport).toBe('longpoll');
    client.stop();
  });

  // A full run's server-restart flow: the sockets failed during the outage, the probe ran just
  // after the server came back, and the client settled on long-polling for a minute.
  it('stays on WebSocket when the server comes back between a failed socket and the probe', async () => {
    const poll = vi.fn(async () => ({ events: [], cursor: '1' }));
    let serverUp = false;
    const { client, statuses } = setup({ poll, probe: async () => serverUp });
    client.start();
    await flush();
    for (let i = 0; i < 5; i++) {
      last().fail();
      await vi.advanceTimersByTimeAsync(3_000);
    }
    serverUp = true; // the restart is over: the next failed socket is one started while it was down
    last().fail();
    await flush();
    last().open();
    last().receive({ type: 'ready', data: { cursor: '1' } });
    await flush();
    expect(poll).not.toHaveBeenCalled();
    expect(client.currentTransport).toBe('websocket');
    expect(statuses.at(-1)).toBe('online');
    client.stop();
  });

  it('tries again within 2 s even after a long outage', async () => {
    const { client } = setup({ probe: async () => false });
    client.start();
    await flush();
    for (let i = 0; i < 10; i++) {
      const before = FakeSocket.all.length;
      last().fail();
      await vi.advanceTimersByTimeAsync(2_000);
      expect(FakeSocket.all.length).toBe(before + 1);
    }
    client.stop();
  });

  // PRODUCT.md: the server closes a socket whose session ended with 4401.
  it('on 4401 after being online refreshes the token and reconnects', async () => {
    const refresh = vi.fn(async () => true);
    const { client } = setup({ refresh });
    client.start();
    await flush();
    last().open();
    last().receive({ type: 'ready', data: { cursor: '1' } });
    last().close(4401);
    await flush();
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(FakeSocket.all).toHaveLength(2);
    last().open();
    last().receive({ type: 'ready', data: { cursor: '1' } });
    last().close(4401); // a second session end later is handled the same way
    await flush();
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(FakeSocket.all).toHaveLength(3);
  });

  it('on 4401 signs out when the token cannot be refreshed', async () => {
    const onSignedOut = vi.fn();
    const { client } = setup({ refresh: async () => false, onSignedOut });
    client.start();
    await flush();
    last().open();
    last().receive({ type: 'ready', data: { cursor: '1' } });
    last().close(4401);
    await flush();
    expect(onSignedOut).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('sends auth:refresh with the new token on the open socket', async () => {
    const { client } = setup();
    client.start();
    await flush();
    last().open();
    last().receive({ type: 'ready', data: { cursor: '1' } });
    client.tokenRefreshed('token-2');
    const frame = last().sent.at(-1);
    expect(frame).toMatchObject({ type: 'auth:refresh', data: { token: 'token-2' } });
    expect(typeof frame.id).toBe('string');
  });

  it('on resync reloads silently and takes the new cursor', async () => {
    const onResync = vi.fn();
    const { client, cursor, events } = setup({ onResync }, '5');
    client.start();
    await flush();
    last().open();
    last().receive({ type: 'resync' });
    last().receive({ type: 'ready', data: { cursor: '3' } });
    expect(onResync).toHaveBeenCalledTimes(1);
    expect(cursor.current).toBe('3');
    expect(events).toHaveLength(0);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
