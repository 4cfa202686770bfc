// Keeps the stores in step with the server: the live connection, the event stream, the outbox,
// and the actions that change things. Components call the exported actions; they never talk to
// the connection directly.
/* eslint-disable @typescript-eslint/no-explicit-any */

import * as chatApi from './lib/chatApi';
import { CursorKeeper, cursorKey } from './lib/cursor';
import { ApiError, accessToken, refreshSession } from './lib/http';
import { newId } from './lib/ids';
import { addReaction, removeReaction } from './lib/messageList';
import { normalizeChat, normalizeMessage, normalizeParticipant, normalizeUser, toPosition } from './lib/normalize';
import { createOutbox, flushOutbox, outboxKey, type Outbox, type OutboxEntry, type SendResult } from './lib/outbox';
import { previewText } from './lib/format';
import { RealtimeClient, RequestError } from './lib/realtime';
import { loadSession } from './lib/session';
import type { Attachment, Chat, Message, ServerEvent } from './lib/types';
import { useAuth } from './stores/auth';
import { useChats, withNewMessage, withParticipant } from './stores/chats';
import { useContacts } from './stores/contacts';
import { useMessages } from './stores/messages';
import { usePresence } from './stores/presence';
import { useUi } from './stores/ui';

let realtime: RealtimeClient | null = null;
let outbox: Outbox | null = null;
let cursor: CursorKeeper | null = null;
let me = '';
let cleanup: (() => void)[] = [];
let flushing: Promise<void> | null = null;
let flushAgain = false;
let chatsReloadTimer: ReturnType<typeof setTimeout> | null = null;
const lastReadSent: Record<string, string> = {};

export function getOutbox(): Outbox | null {
  return outbox;
}

export function startSync(userId: string) {
  if (me === userId && realtime) return;
  stopSync();
  me = userId;
  cursor = new CursorKeeper(localStorage, cursorKey(userId));
  outbox = createOutbox(localStorage, outboxKey(userId));
  outboxListeners.forEach((l) => l());
  realtime = new RealtimeClient({
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
    cursor,
    onEvent: applyEvent,
    onStatus: (status, transport) => useUi.getState().setConnection(status, transport),
    onReady: ({ resumed }) => {
      if (resumed) usePresence.getState().forgetLive();
      void reloadChats();
      void reloadContacts();
      void flush();
    },
    poll: chatApi.pollEvents,
  });
  realtime.start();

  const online = () => realtime?.reconnectNow();
  const visible = () => {
    if (document.visibilityState === 'visible') {
      realtime?.reconnectNow();
      realtime?.notify('presence:update', { status: 'online' });
      maybeMarkActiveRead();
    } else {
      realtime?.notify('presence:update', { status: 'away' });
    }
  };
  const focus = () => maybeMarkActiveRead();
  window.addEventListener('online', online);
  document.addEventListener('visibilitychange', visible);
  window.addEventListener('focus', focus);
  const typingTimer = setInterval(() => usePresence.getState().expireTyping(Date.now()), 1000);
  // Contacts have no events of their own in the protocol: refresh them now and then.
  const contactsTimer = setInterval(() => {
    if (document.visibilityState === 'visible') void reloadContacts();
  }, 15_000);
  cleanup = [
    () => window.removeEventListener('online', online),
    () => document.removeEventListener('visibilitychange', visible),
    () => window.removeEventListener('focus', focus),
    () => clearInterval(typingTimer),
    () => clearInterval(contactsTimer),
  ];
  (window as any).__confab = {
    drop: () => realtime?.drop(),
    status: () => realtime?.currentStatus,
    cursor: () => cursor?.current,
    outbox: () => outbox?.getState().entries,
  };
  void reloadChats();
  void reloadContacts();
}

export function stopSync() {
  realtime?.stop();
  realtime = null;
  cleanup.forEach((f) => f());
  cleanup = [];
  me = '';
  outbox = null;
  outboxListeners.forEach((l) => l());
  useChats.getState().reset();
  useMessages.getState().reset();
  useContacts.getState().reset();
  usePresence.getState().reset();
}

const outboxListeners = new Set<() => void>();
export function onOutboxChange(listener: () => void): () => void {
  outboxListeners.add(listener);
  return () => outboxListeners.delete(listener);
}

// ---------------------------------------------------------------- loading

export async function reloadChats() {
  if (!me) return;
  try {
    const chats = await chatApi.fetchChats(me);
    const known = useChats.getState().byId;
    useChats.getState().setAll(chats.map((c) => {
      const k = known[c.id];
      let next = k?.lastMessage && c.lastMessage && Date.parse(k.lastMessage.createdAt) > Date.parse(c.lastMessage.createdAt)
        ? { ...c, lastMessage: k.lastMessage, lastActivityAt: k.lastActivityAt } : c;
      if (k && next.participants.length === 0 && k.participants.length > 0) next = { ...next, participants: k.participants };
      return next;
    }));
    for (const c of chats) {
      for (const p of c.participants) if (p.status && p.id !== me) usePresence.getState().suggestStatus(p.id, p.status, p.lastSeen);
    }
  } catch (e) {
    useChats.setState({ error: (e as Error).message, loaded: true });
  }
}

function scheduleChatsReload() {
  if (chatsReloadTimer) return;
  chatsReloadTimer = setTimeout(() => {
    chatsReloadTimer = null;
    void reloadChats();
  }, 300);
}

export async function reloadContacts() {
  if (!me) return;
  try {
    const [contacts, pending] = await Promise.all([
      chatApi.fetchContacts(me),
      chatApi.fetchPending(me).catch(() => []),
    ]);
    useContacts.getState().set(contacts, pending);
    for (const c of contacts) if (c.user.status) usePresence.getState().suggestStatus(c.user.id, c.user.status, c.user.lastSeen);
  } catch {
    // shown as an empty list; retried on the next tick
  }
}

export async function loadChat(ref: string): Promise<Chat> {
  const chat = await chatApi.fetchChat(ref, me);
  useChats.getState().upsert(chat);
  return chat;
}

async function loadWindow(chatId: string, fetch: () => Promise<chatApi.MessagePage>) {
  useMessages.getState().replace(chatId, { loading: 'initial' });
  try {
    const page = await fetch();
    useMessages.getState().set(chatId, (w) => ({
      ...w, loading: null, hasOlder: page.hasOlder, hasNewer: page.hasNewer, olderCursor: page.olderCursor, newerCursor: page.newerCursor,
    }));
    useMessages.getState().merge(chatId, page.items);
  } catch (e) {
    useMessages.getState().set(chatId, (w) => ({ ...w, loading: null, error: (e as Error).message }));
    throw e;
  }
}

export function loadLatest(chatId: string) {
  return loadWindow(chatId, () => chatApi.fetchLatest(chatId, me));
}

export function loadAround(chatId: string, messageId: string) {
  return loadWindow(chatId, () => chatApi.fetchAround(chatId, messageId, me));
}

export async function loadOlder(chatId: string) {
  const w = useMessages.getState().get(chatId);
  if (w.loading || !w.hasOlder || !w.olderCursor) return;
  useMessages.getState().set(chatId, (x) => ({ ...x, loading: 'older' }));
  try {
    const page = await chatApi.fetchOlder(chatId, w.olderCursor, me);
    useMessages.getState().set(chatId, (x) => ({ ...x, loading: null, hasOlder: page.hasOlder, olderCursor: page.olderCursor }));
    useMessages.getState().merge(chatId, page.items);
  } catch {
    useMessages.getState().set(chatId, (x) => ({ ...x, loading: null }));
  }
}

export async function loadNewer(chatId: string) {
  const w = useMessages.getState().get(chatId);
  if (w.loading || !w.hasNewer || !w.newerCursor) return;
  useMessages.getState().set(chatId, (x) => ({ ...x, loading: 'newer' }));
  try {
    const page = await chatApi.fetchNewer(chatId, w.newerCursor, me);
    useMessages.getState().set(chatId, (x) => ({ ...x, loading: null, hasNewer: page.hasNewer, newerCursor: page.newerCursor }));
    useMessages.getState().merge(chatId, page.items);
  } catch {
    useMessages.getState().set(chatId, (x) => ({ ...x, loading: null }));
  }
}

// ---------------------------------------------------------------- events

function chatIdOf(data: any): string | null {
  if (data?.chatId) return String(data.chatId);
  if (data?.message?.chatId) return String(data.message.chatId);
  const messageId = data?.messageId ?? data?.message?.id;
  if (messageId) {
    const m = useMessages.getState().findMessage(String(messageId));
    if (m) return m.chatId;
  }
  return null;
}

export function applyEvent(event: ServerEvent) {
  const data = event.data ?? {};
  switch (event.type) {
    case 'message:new':
      return applyNewMessage(normalizeMessage(data.message ? { ...data.message, sender: data.message.sender ?? data.sender } : data, me));
    case 'message:edited': {
      const chatId = chatIdOf(data);
      const messageId = String(data.messageId ?? data.message?.id ?? data.id);
      if (!chatId) return;
      const full = data.message ? normalizeMessage(data.message, me) : null;
      useMessages.getState().update(chatId, messageId, (m) => (full
        ? { ...full, reactions: full.reactions.length ? full.reactions : m.reactions }
        : { ...m, content: data.content ?? m.content, formatting: data.metadata?.formatting ?? null, isEdited: true, editedAt: data.editedAt ?? new Date().toISOString() }));
      useChats.getState().patch(chatId, (c) => (c.lastMessage?.id === messageId
        ? { ...c, lastMessage: { ...c.lastMessage, content: full?.content ?? data.content ?? c.lastMessage.content, isEdited: true } } : c));
      return;
    }
    case 'message:deleted': {
      const chatId = chatIdOf(data);
      const messageId = String(data.messageId ?? data.id);
      if (!chatId) return;
      useMessages.getState().update(chatId, messageId, (m) => ({ ...m, isDeleted: true, content: '', attachments: [], reactions: [] }));
      useChats.getState().patch(chatId, (c) => (c.lastMessage?.id === messageId ? { ...c, lastMessage: { ...c.lastMessage, isDeleted: true, content: '' } } : c));
      return;
    }
    case 'message:delivered':
    case 'message:read':
      return applyReceipt(event.type === 'message:read' ? 'read' : 'delivered', data);
    case 'reaction:added': {
      const chatId = chatIdOf(data);
      const r = data.reaction ?? data;
      const messageId = String(data.messageId ?? r.messageId);
      if (!chatId) return;
      const userId = String(r.userId ?? r.user?.id ?? data.userId);
      useMessages.getState().update(chatId, messageId, (m) => ({ ...m, reactions: addReaction(m.reactions, r.emoji, userId, r.id ? String(r.id) : null, me) }));
      return;
    }
    case 'reaction:removed': {
      const chatId = chatIdOf(data);
      if (!chatId) return;
      const messageId = String(data.messageId);
      const emoji = data.emoji ?? data.reaction?.emoji ?? null;
      const userId = data.userId ?? data.reaction?.userId ?? null;
      const reactionId = data.reactionId ?? data.reaction?.id ?? null;
      useMessages.getState().update(chatId, messageId, (m) => ({
        ...m, reactions: removeReaction(m.reactions, emoji, userId ? String(userId) : null, reactionId ? String(reactionId) : null, me),
      }));
      return;
    }
    case 'typing:start': {
      if (String(data.userId) === me) return;
      const name = data.displayName ?? data.username ?? 'Someone';
      usePresence.getState().startTyping(String(data.chatId), String(data.userId), name);
      return;
    }
    case 'typing:stop':
      usePresence.getState().stopTyping(String(data.chatId), String(data.userId));
      return;
    case 'user:status':
      usePresence.getState().setStatus(String(data.userId), data.status, data.lastSeen);
      return;
    case 'chat:updated': {
      const chatId = String(data.chatId ?? data.chat?.id ?? data.id);
      const updates = data.chat ?? data.updates ?? data;
      const existing = useChats.getState().byId[chatId];
      if (!existing) {
        scheduleChatsReload();
        return;
      }
      useChats.getState().patch(chatId, (c) => ({
        ...c,
        name: c.type === 'group' && updates.name ? updates.name : c.name,
        slug: updates.slug !== undefined ? updates.slug : c.slug,
        avatarUrl: c.type === 'group' && updates.avatarUrl !== undefined ? updates.avatarUrl : c.avatarUrl,
      }));
      if (data.chat?.participants) useChats.getState().upsert({ ...normalizeChat(data.chat, me), lastMessage: existing.lastMessage, unreadCount: existing.unreadCount });
      return;
    }
    case 'chat:created':
    case 'chat:new': {
      if (!data.chat && !data.id) {
        scheduleChatsReload();
        return;
      }
      // Events carry no per-user fields (unread count, role): keep what we know.
      const chat = normalizeChat(data.chat ?? data, me);
      const existing = useChats.getState().byId[chat.id];
      useChats.getState().upsert(existing
        ? { ...chat, unreadCount: existing.unreadCount, myRole: chat.myRole ?? existing.myRole, lastMessage: chat.lastMessage ?? existing.lastMessage }
        : chat);
      return;
    }
    case 'chat:deleted':
      useChats.getState().remove(String(data.chatId ?? data.id));
      return;
    case 'participant:joined': {
      const chatId = String(data.chatId);
      const users = Array.isArray(data.users) ? data.users : [data.user ?? data];
      const chat = useChats.getState().byId[chatId];
      if (!chat || users.some((u: any) => String(u?.id ?? u?.userId) === me)) {
        scheduleChatsReload();
        return;
      }
      for (const u of users) useChats.getState().patch(chatId, (c) => withParticipant(c, normalizeParticipant(u)));
      return;
    }
    case 'participant:left': {
      const chatId = String(data.chatId);
      const userId = String(data.userId ?? data.user?.id);
      if (userId === me) {
        useChats.getState().remove(chatId);
        return;
      }
      useChats.getState().patch(chatId, (c) => ({ ...c, participants: c.participants.filter((p) => p.id !== userId) }));
      return;
    }
    default:
      if (event.type.startsWith('contact')) void reloadContacts();
      else if (event.type.startsWith('chat') || event.type.startsWith('participant')) scheduleChatsReload();
  }
}

function applyNewMessage(message: Message) {
  if (!message.chatId) return;
  const mine = message.senderId === me;
  if (mine && message.clientMessageId) outbox?.getState().remove(message.clientMessageId);
  const w = useMessages.getState().windows[message.chatId];
  if (w && !w.hasNewer) useMessages.getState().merge(message.chatId, [message]);
  const chat = useChats.getState().byId[message.chatId];
  if (!chat) {
    scheduleChatsReload();
  } else {
    const ui = useUi.getState();
    const seenNow = ui.activeChatId === message.chatId && ui.atBottom && document.visibilityState === 'visible' && document.hasFocus();
    const alreadyCounted = chat.lastMessage?.id === message.id;
    useChats.getState().upsert(withNewMessage(chat, message, !mine && !seenNow && !alreadyCounted));
    if (seenNow && !mine) maybeMarkActiveRead();
  }
  if (!mine) notify(message, chat);
}

function positionOf(chatId: string, messageId: string, data: any): number | null {
  const p = toPosition(data.position);
  if (p !== null) return p;
  const m = useMessages.getState().get(chatId).items.find((x) => x.id === messageId);
  if (m) return m.position ?? Date.parse(m.createdAt);
  return null;
}

function applyReceipt(kind: 'read' | 'delivered', data: any) {
  const chatId = chatIdOf(data);
  if (!chatId) return;
  const userId = String(data.userId);
  const messageId = String(data.messageId);
  const position = positionOf(chatId, messageId, data);
  if (userId === me) {
    if (kind === 'read') {
      // Read on another device (or echoed): unread is what comes after that message.
      const chat = useChats.getState().byId[chatId];
      if (!chat) return;
      const w = useMessages.getState().get(chatId);
      const index = w.items.findIndex((m) => m.id === messageId);
      let unread = chat.unreadCount;
      if (chat.lastMessage?.id === messageId) unread = 0;
      else if (index >= 0 && !w.hasNewer) unread = w.items.slice(index + 1).filter((m) => m.senderId !== me).length;
      if (data.unreadCount !== undefined) unread = Number(data.unreadCount) || 0;
      useChats.getState().patch(chatId, (c) => ({ ...c, unreadCount: unread }));
    }
    return;
  }
  useChats.getState().patch(chatId, (c) => ({
    ...c,
    participants: c.participants.map((p) => {
      if (p.id !== userId) return p;
      const better = (current: number | null | undefined) => position !== null && (current === null || current === undefined || position > current);
      if (kind === 'read') {
        return better(p.lastReadPosition) || p.lastReadPosition == null
          ? { ...p, lastReadMessageId: messageId, lastReadPosition: position ?? p.lastReadPosition,
            lastDeliveredMessageId: better(p.lastDeliveredPosition) ? messageId : p.lastDeliveredMessageId,
            lastDeliveredPosition: better(p.lastDeliveredPosition) ? position : p.lastDeliveredPosition }
          : p;
      }
      return better(p.lastDeliveredPosition) || p.lastDeliveredPosition == null
        ? { ...p, lastDeliveredMessageId: messageId, lastDeliveredPosition: position ?? p.lastDeliveredPosition }
        : p;
    }),
  }));
}

// ---------------------------------------------------------------- notifications

function notify(message: Message, chat: Chat | undefined) {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const ui = useUi.getState();
  if (document.visibilityState === 'visible' && ui.activeChatId === message.chatId) return;
  if (document.visibilityState === 'visible') return; // the list shows it; notify only when hidden
  const title = chat?.type === 'group' ? `${message.senderName} in ${chat.name}` : message.senderName;
  const body = message.isDeleted ? '' : previewText(message.content) || (message.attachments.length ? '📷 Image' : '');
  try {
    const n = new Notification(title, { body, tag: message.chatId });
    n.onclick = () => {
      window.focus();
      const ref = chat?.slug ?? message.chatId;
      window.dispatchEvent(new CustomEvent('confab:navigate', { detail: `/chats/${ref}` }));
      n.close();
    };
  } catch {
    // some platforms only allow notifications from a service worker
  }
}

// ---------------------------------------------------------------- actions

function toSendResult(e: unknown): SendResult {
  if (e instanceof RequestError) return { ok: false, retryable: e.retryable, error: e.message };
  if (e instanceof ApiError) return { ok: false, retryable: e.retryable, error: e.message };
  return { ok: false, retryable: true, error: (e as Error)?.message };
}

async function sendEntry(entry: OutboxEntry): Promise<SendResult> {
  const payload = {
    chatId: entry.chatId,
    content: entry.content,
    clientMessageId: entry.clientMessageId,
    replyToId: entry.replyToId ?? undefined,
    attachmentIds: entry.attachmentIds.length ? entry.attachmentIds : undefined,
    contentType: entry.attachmentIds.length ? 'image' : 'text',
  };
  try {
    let message: Message;
    if (realtime?.canRequest) {
      const ack: any = await realtime.request('message:send', payload, 15_000);
      message = normalizeMessage(ack?.message ? ack : { message: ack }, me);
    } else if (realtime?.currentStatus === 'online' && realtime.currentTransport === 'longpoll') {
      message = await chatApi.postMessage(entry.chatId, payload, me);
    } else {
      return { ok: false, retryable: true, error: 'Offline' };
    }
    if (!message.clientMessageId) message.clientMessageId = entry.clientMessageId;
    applyNewMessage({ ...message, chatId: message.chatId || entry.chatId });
    return { ok: true };
  } catch (e) {
    return toSendResult(e);
  }
}

export function flush(): Promise<void> {
  if (!outbox) return Promise.resolve();
  if (flushing) {
    flushAgain = true;
    return flushing;
  }
  const box = outbox;
  flushing = (async () => {
    do {
      flushAgain = false;
      await flushOutbox(box, sendEntry);
    } while (flushAgain);
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}

export function sendMessage(chatId: string, content: string, options: { replyToId?: string | null; attachments?: Attachment[] } = {}) {
  if (!outbox) return;
  outbox.getState().add({
    clientMessageId: newId(),
    chatId,
    content,
    replyToId: options.replyToId ?? null,
    attachmentIds: (options.attachments ?? []).map((a) => a.id),
    attachments: options.attachments ?? [],
  });
  realtime?.notify('typing:stop', { chatId });
  void flush();
}

export function retrySend(clientMessageId: string) {
  outbox?.getState().retry(clientMessageId);
  void flush();
}

export function discardSend(clientMessageId: string) {
  outbox?.getState().remove(clientMessageId);
}

/** The optimistic copy of an outbox entry, shown at the end of its chat until acknowledged. */
export function pendingMessage(entry: OutboxEntry): Message {
  const user = useAuth.getState().user;
  return {
    id: `pending:${entry.clientMessageId}`,
    chatId: entry.chatId,
    senderId: me,
    senderName: user?.displayName ?? 'You',
    content: escapeForDisplay(entry.content),
    contentType: entry.attachmentIds.length ? 'image' : 'text',
    createdAt: entry.createdAt,
    isEdited: false,
    isDeleted: false,
    position: null,
    clientMessageId: entry.clientMessageId,
    replyToId: entry.replyToId ?? null,
    replyTo: entry.replyToId ? quoteOf(entry.chatId, entry.replyToId) : null,
    attachments: entry.attachments ?? [],
    reactions: [],
    pending: entry.state !== 'failed',
    failed: entry.state === 'failed' ? entry.error ?? 'Not sent' : null,
  };
}

function quoteOf(chatId: string, messageId: string) {
  const m = useMessages.getState().get(chatId).items.find((x) => x.id === messageId);
  return m ? { id: m.id, senderId: m.senderId, senderName: m.senderName, content: m.content } : null;
}

/** Our own text shown before the server has escaped it: escape the same way. */
function escapeForDisplay(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export async function editMessage(message: Message, content: string) {
  const updated = await chatApi.editMessage(message.id, content, me);
  useMessages.getState().update(message.chatId, message.id, (m) => (updated
    ? { ...m, content: updated.content, isEdited: true, editedAt: updated.editedAt }
    : { ...m, content: escapeForDisplay(content), isEdited: true }));
}

export async function deleteMessage(message: Message) {
  await chatApi.deleteMessage(message.id);
  useMessages.getState().update(message.chatId, message.id, (m) => ({ ...m, isDeleted: true, content: '', attachments: [], reactions: [] }));
}

export async function toggleReaction(message: Message, emoji: string) {
  const group = message.reactions.find((r) => r.emoji === emoji);
  if (group?.users.includes(me)) {
    let reactionId = group.myReactionId;
    if (!reactionId) {
      // Lists carry who reacted, not reaction ids: adding again is idempotent and answers our reaction.
      const mine = await chatApi.addReaction(message.id, emoji);
      reactionId = mine?.id ? String(mine.id) : null;
    }
    if (!reactionId) throw new Error('Could not find your reaction');
    await chatApi.removeReaction(message.id, reactionId);
    useMessages.getState().update(message.chatId, message.id, (m) => ({ ...m, reactions: removeReaction(m.reactions, emoji, me, reactionId, me) }));
  } else {
    const reaction = await chatApi.addReaction(message.id, emoji);
    useMessages.getState().update(message.chatId, message.id, (m) => ({ ...m, reactions: addReaction(m.reactions, emoji, me, reaction?.id ? String(reaction.id) : null, me) }));
  }
}

let lastTypingSent = 0;
export function typing(chatId: string) {
  const now = Date.now();
  if (now - lastTypingSent < 3000) return;
  lastTypingSent = now;
  realtime?.notify('typing:start', { chatId });
}
export function stoppedTyping(chatId: string) {
  lastTypingSent = 0;
  realtime?.notify('typing:stop', { chatId });
}

export function maybeMarkActiveRead() {
  const ui = useUi.getState();
  const chatId = ui.activeChatId;
  if (!chatId || !ui.atBottom || document.visibilityState !== 'visible') return;
  const w = useMessages.getState().get(chatId);
  if (w.hasNewer) return;
  const last = [...w.items].reverse().find((m) => !m.pending);
  if (!last) return;
  const chat = useChats.getState().byId[chatId];
  if (chat && chat.unreadCount > 0) useChats.getState().patch(chatId, (c) => ({ ...c, unreadCount: 0 }));
  if (lastReadSent[chatId] === last.id) return;
  lastReadSent[chatId] = last.id;
  const payload = { chatId, messageId: last.id };
  const viaRest = () => chatApi.markRead(chatId, last.id).catch(() => {
    delete lastReadSent[chatId];
  });
  if (realtime?.canRequest) realtime.request('message:read', payload).catch(viaRest);
  else void viaRest();
}

export async function openDirectWith(userId: string): Promise<Chat> {
  const existing = Object.values(useChats.getState().byId).find((c) => c.type === 'direct' && c.peer?.id === userId);
  if (existing) return existing;
  const chat = await chatApi.openDirectChat(userId, me);
  useChats.getState().upsert(chat);
  return chat;
}

export async function createGroup(name: string, memberIds: string[], slug?: string): Promise<Chat> {
  const chat = await chatApi.createGroup(name, memberIds, me, slug);
  useChats.getState().upsert(chat);
  return chat;
}

export async function refreshChat(chatId: string) {
  try {
    const chat = await chatApi.fetchChat(chatId, me);
    const existing = useChats.getState().byId[chatId];
    useChats.getState().upsert(existing ? { ...chat, lastMessage: chat.lastMessage ?? existing.lastMessage, unreadCount: existing.unreadCount } : chat);
  } catch {
    // the next list reload settles it
  }
}

export function currentUserId() {
  return me;
}

export { normalizeUser };

export function reconnectNow() {
  realtime?.reconnectNow();
}
