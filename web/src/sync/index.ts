// The signed-in user's sync engine and the actions components call. Exactly one engine runs at
// a time: startSync makes one for a user (stopping any other), stopSync ends it and clears
// every per-user store. Components never reach the connection directly.

import * as chatApi from '../lib/chatApi';
import { accessToken, refreshSession } from '../lib/http';
import type { OutboxEntry } from '../lib/outbox';
import { loadSession, onSessionChange } from '../lib/session';
import type { Attachment, Message } from '../lib/types';
import { watchIdle } from '../notifications/idle';
import { useAuth } from '../stores/auth';
import { usePresence } from '../stores/presence';
import * as actions from './actions';
import { resetStores, SyncEngine } from './engine';
import * as loaders from './loaders';

let engine: SyncEngine | null = null;
const engineListeners = new Set<() => void>();

export function currentEngine(): SyncEngine | null {
  return engine;
}

/** Called when the engine (and with it the outbox) is replaced. */
export function onEngineChange(listener: () => void): () => void {
  engineListeners.add(listener);
  return () => engineListeners.delete(listener);
}

export function startSync(userId: string) {
  if (engine?.me === userId) return;
  stopSync();
  const next = new SyncEngine(userId, {
    realtime: {
      socketUrl: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
      token: accessToken,
      refresh: async () => {
        const s = loadSession();
        if (!s) return false;
        try {
          return !!(await refreshSession(s.refreshToken));
        } catch {
          return true; // network trouble: keep trying with backoff
        }
      },
      onSignedOut: () => void useAuth.getState().logout(),
      poll: chatApi.pollEvents,
      probe: async () => {
        try {
          return (await fetch('/health', { cache: 'no-store' })).ok;
        } catch {
          return false;
        }
      },
    },
  });
  engine = next;
  engineListeners.forEach((l) => l());
  wireBrowser(next);
  next.start();
}

export function stopSync() {
  if (!engine) return;
  engine.stop();
  engine = null;
  engineListeners.forEach((l) => l());
  resetStores();
}

/** Page visibility, network and token changes, and timers, for the engine's life. */
function wireBrowser(e: SyncEngine) {
  const online = () => e.realtime.reconnectNow();
  // A page being left (reload, close) becomes hidden on its way out (pagehide comes first): that is
  // not "away". Saying so would race the next page's "online"; the server's disconnect grace turns a
  // user who does not come back offline.
  let leaving = false;
  const leave = () => { leaving = true; };
  const back = () => { leaving = false; }; // restored from the back/forward cache

  const visible = () => {
    if (leaving) return;
    if (document.visibilityState === 'visible') e.realtime.reconnectNow();
    e.announcePresence();
  };
  window.addEventListener('online', online);
  window.addEventListener('pagehide', leave);
  window.addEventListener('pageshow', back);
  document.addEventListener('visibilitychange', visible);
  const stopIdle = watchIdle(() => e.announcePresence());
  let lastToken = loadSession()?.accessToken ?? null;
  const stopSession = onSessionChange((s) => {
    if (s && s.accessToken !== lastToken) e.realtime.tokenRefreshed(s.accessToken);
    lastToken = s?.accessToken ?? null;
  });
  const typingTimer = setInterval(() => usePresence.getState().expireTyping(Date.now()), 1000);
  // Refresh the access token before it expires even when no REST call does, so the socket is
  // told (auth:refresh) and the server never has to close it.
  const tokenTimer = setInterval(() => void accessToken(), 30_000);
  // Contacts have no presence-free events of their own: refresh them now and then.
  const contactsTimer = setInterval(() => {
    if (document.visibilityState === 'visible') void loaders.reloadContacts();
  }, 15_000);
  e.onStop(() => {
    window.removeEventListener('online', online);
    window.removeEventListener('pagehide', leave);
    window.removeEventListener('pageshow', back);
    document.removeEventListener('visibilitychange', visible);
    stopIdle();
    stopSession();
    clearInterval(typingTimer);
    clearInterval(tokenTimer);
    clearInterval(contactsTimer);
  });
  if (import.meta.env.MODE === 'test' || import.meta.env.VITE_CONFAB_TEST_HOOKS === 'true') {
    // Test builds only: the browser tests drop the connection and read its state.
    (window as unknown as { __confab?: object }).__confab = {
      drop: () => e.realtime.drop(),
      status: () => e.realtime.currentStatus,
      transport: () => e.realtime.currentTransport,
      cursor: () => e.cursor.current,
      outbox: () => e.outbox.getState().entries,
    };
    e.onStop(() => delete (window as unknown as { __confab?: object }).__confab);
  }
}

const me = () => engine?.me ?? '';

// ---------------------------------------------------------------- bound actions and loaders

export const reloadChats = () => (engine ? loaders.reloadChats(engine.me) : Promise.resolve());
export const reloadContacts = () => (engine ? loaders.reloadContacts() : Promise.resolve());
export const loadChat = (ref: string) => loaders.loadChat(me(), ref);
export const refreshChat = (chatId: string) => loaders.refreshChat(me(), chatId);
export const loadAtFirstUnread = (chatId: string) => loaders.loadAtFirstUnread(me(), chatId);
export const { loadLatest, loadAround, loadOlder, loadNewer } = loaders;

export function sendMessage(chatId: string, content: string, options?: { replyToId?: string | null; attachments?: Attachment[] }) {
  if (engine) actions.sendMessage(engine, chatId, content, options);
}
export const retrySend = (clientMessageId: string) => engine && actions.retrySend(engine, clientMessageId);
export const discardSend = (clientMessageId: string) => engine && actions.discardSend(engine, clientMessageId);
export const pendingMessage = (entry: OutboxEntry): Message => actions.pendingMessage(me(), entry);
export const { editMessage, deleteMessage } = actions;
export const toggleReaction = (message: Message, emoji: string) => actions.toggleReaction(me(), message, emoji);
export const typing = (chatId: string) => engine && actions.typing(engine, chatId);
export const stoppedTyping = (chatId: string) => engine && actions.stoppedTyping(engine, chatId);
export const markSeen = (chatId: string, messageId: string) => engine && actions.markSeen(engine, chatId, messageId);
export const openDirectWith = (userId: string) => {
  if (!engine) return Promise.reject(new Error('Signed out'));
  return actions.openDirectWith(engine, userId);
};
export const createGroup = (name: string, memberIds: string[], slug?: string) => {
  if (!engine) return Promise.reject(new Error('Signed out'));
  return actions.createGroup(engine, name, memberIds, slug);
};
export const reconnectNow = () => engine?.realtime.reconnectNow();
export const currentUserId = me;
