// The engine of one user with a fake socket: presence after (re)connecting, resync, sends.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MessageNewFrame } from '../lib/protocol.gen';
import { useChats } from '../stores/chats';
import { useUi } from '../stores/ui';
import captured from '../test/fixtures/captured-frames.json';
import { SyncEngine } from './engine';

vi.mock('../lib/chatApi', () => ({
  fetchChats: vi.fn(async () => []),
  fetchContacts: vi.fn(async () => []),
  fetchPending: vi.fn(async () => []),
  fetchLatest: vi.fn(async () => ({ items: [], hasOlder: false, hasNewer: false, olderCursor: null, newerCursor: null })),
  pollEvents: vi.fn(),
  postMessage: vi.fn(),
  markRead: vi.fn(async () => ({})),
}));
const chatApi = await import('../lib/chatApi');

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: { type: string; id?: string; data?: Record<string, unknown> }[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor() {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
}

const last = () => FakeSocket.all[FakeSocket.all.length - 1];
let engine: SyncEngine;

beforeEach(() => {
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', { OPEN: 1 });
  Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
  engine = new SyncEngine('me', {
    storage: memoryStorage(),
    realtime: {
      socketUrl: () => 'ws://test/ws',
      token: async () => 'token',
      refresh: async () => true,
      createSocket: () => new FakeSocket() as unknown as WebSocket,
      random: () => 0.5,
    },
  });
});
afterEach(() => {
  engine.stop();
  vi.unstubAllGlobals();
  vi.clearAllMocks();
});

async function connect(cursor = '1') {
  engine.start();
  await vi.waitFor(() => expect(FakeSocket.all.length).toBeGreaterThan(0));
  last().open();
  last().receive({ type: 'ready', data: { userId: 'me', cursor } });
}

describe('sync engine', () => {
  // issue 15 #4: after F5 the old page's "away" stuck, because a new connection never said "online".
  it('says the user is online after every (re)connection of a visible page', async () => {
    await connect();
    expect(last().sent).toContainEqual(expect.objectContaining({ type: 'presence:update', data: { status: 'online' } }));
    last().close(1006);
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2), { timeout: 3000 });
    last().open();
    last().receive({ type: 'ready', data: { userId: 'me', cursor: '1' } });
    expect(last().sent).toContainEqual(expect.objectContaining({ type: 'presence:update', data: { status: 'online' } }));
  });

  it('on resync reloads the chats and the open chat without a visible reload', async () => {
    useUi.getState().setActiveChat('c1');
    await connect();
    vi.mocked(chatApi.fetchChats).mockClear();
    last().receive({ type: 'resync' });
    expect(chatApi.fetchChats).toHaveBeenCalledTimes(1);
    expect(chatApi.fetchLatest).toHaveBeenCalledWith('c1');
    useUi.getState().setActiveChat(null);
  });

  // A link preview stored between the open chat's REST load and the first "ready" reached the
  // client by neither (a full run's messaging-link-preview failure): the open chat is merged again.
  it('on a first connection merges the open chat again once its load is done; not on a resume', async () => {
    const { useMessages } = await import('../stores/messages');
    useUi.getState().setActiveChat('c1');
    useMessages.getState().replace('c1', { loading: 'initial' });
    await connect();
    expect(chatApi.fetchLatest).not.toHaveBeenCalled();
    useMessages.getState().set('c1', (w) => ({ ...w, loading: null }));
    expect(chatApi.fetchLatest).toHaveBeenCalledWith('c1');
    vi.mocked(chatApi.fetchLatest).mockClear();
    last().close(1006);
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2), { timeout: 3000 });
    last().open();
    last().receive({ type: 'ready', data: { userId: 'me', cursor: '1' } });
    expect(chatApi.fetchLatest).not.toHaveBeenCalled();
    useUi.getState().setActiveChat(null);
    useMessages.getState().reset();
  });

  // A send typed while the reconnect's own flush was finishing stayed in the outbox.
  it('sends what is added to the outbox while a flush is finishing', async () => {
    const frame = (captured as { type: string }[]).find((f) => f.type === 'message:new') as MessageNewFrame;
    const view = { ...frame.data, senderId: 'me' };
    await connect();
    await vi.waitFor(() => expect(chatApi.fetchChats).toHaveBeenCalled());
    useChats.getState().setAll([{ id: view.chatId, type: 'direct', name: 'x', participants: [], participantCount: 2, lastActivityAt: view.createdAt, unreadCount: 0 }]);
    engine.outbox.getState().add({ clientMessageId: view.clientMessageId!, chatId: view.chatId, content: 'hi', attachmentIds: [] });
    void engine.flush();
    await vi.waitFor(() => expect(last().sent.some((f) => f.type === 'message:send')).toBe(true));
    const send = last().sent.find((f) => f.type === 'message:send')!;
    expect(send.data).toMatchObject({ chatId: view.chatId, clientMessageId: view.clientMessageId });
    last().receive({ type: 'message:new', cursor: '2', data: view });
    last().receive({ type: 'ack', id: send.id, data: { message: view } });
    await vi.waitFor(() => expect(engine.outbox.getState().entries).toEqual([]));
    expect(useChats.getState().byId[view.chatId].lastMessage?.id).toBe(view.id);
  });
});
