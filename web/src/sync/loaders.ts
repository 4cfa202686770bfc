// Loading state from REST into the stores: the chat list, contacts, one chat, and windows of a
// chat's messages (latest, around a message, older, newer).

import * as chatApi from '../lib/chatApi';
import { useChats } from '../stores/chats';
import { useContacts } from '../stores/contacts';
import { useMessages } from '../stores/messages';
import { usePresence } from '../stores/presence';
import type { Chat } from '../lib/types';

export async function reloadChats(me: string) {
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

export async function reloadContacts() {
  try {
    const [contacts, pending] = await Promise.all([chatApi.fetchContacts(), chatApi.fetchPending().catch(() => [])]);
    useContacts.getState().set(contacts, pending);
    for (const c of contacts) if (c.user.status) usePresence.getState().suggestStatus(c.user.id, c.user.status, c.user.lastSeen);
  } catch {
    // shown as an empty list; retried on the next tick
  }
}

export async function loadChat(me: string, ref: string): Promise<Chat> {
  const chat = await chatApi.fetchChat(ref, me);
  useChats.getState().upsert(chat);
  return chat;
}

export async function refreshChat(me: string, chatId: string) {
  try {
    const chat = await chatApi.fetchChat(chatId, me);
    const existing = useChats.getState().byId[chatId];
    useChats.getState().upsert(existing ? { ...chat, lastMessage: chat.lastMessage ?? existing.lastMessage, unreadCount: existing.unreadCount } : chat);
  } catch {
    // the next list reload settles it
  }
}

async function loadWindow(chatId: string, fetch: () => Promise<chatApi.MessagePage>, follow = false) {
  useMessages.getState().replace(chatId, { loading: 'initial', follow });
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

/** The chat's newest page; with follow, shown at its end even when it holds unread messages. */
export function loadLatest(chatId: string, options: { follow?: boolean } = {}) {
  return loadWindow(chatId, () => chatApi.fetchLatest(chatId), options.follow ?? false);
}

export function loadAround(chatId: string, messageId: string) {
  return loadWindow(chatId, () => chatApi.fetchAround(chatId, messageId));
}

/**
 * Opens a chat with more unread messages than the newest page holds at the first of them: a page
 * around the reader's last read message (so the divider has the read one above it), or — never
 * read anything — the chat's first page. Returns false when the newest page is the right start.
 */
export async function loadAtFirstUnread(me: string, chatId: string): Promise<boolean> {
  let chat = useChats.getState().byId[chatId];
  if (!chat || chat.unreadCount <= chatApi.UNREAD_FITS_PAGE) return false;
  // The chat list leaves out group members, and with them the reader's read position.
  let mine = chat.participants.find((p) => p.id === me);
  if (!mine) {
    chat = await loadChat(me, chatId);
    mine = chat.participants.find((p) => p.id === me);
    if (!mine || chat.unreadCount <= chatApi.UNREAD_FITS_PAGE) return false;
  }
  const lastRead = mine.lastReadMessageId;
  await loadWindow(chatId, () => (lastRead
    ? chatApi.fetchAround(chatId, lastRead)
    : chatApi.fetchNewer(chatId, String(mine.lastReadPosition ?? 0))));
  return true;
}

/** After a resync: the open chat's latest messages again, merged without a visible reload. */
export async function refreshLatest(chatId: string) {
  try {
    const page = await chatApi.fetchLatest(chatId);
    useMessages.getState().set(chatId, (w) => ({ ...w, hasNewer: false, newerCursor: null }));
    useMessages.getState().merge(chatId, page.items);
  } catch {
    // the next reconnect or reload settles it
  }
}

export async function loadOlder(chatId: string) {
  const w = useMessages.getState().get(chatId);
  if (w.loading || !w.hasOlder || !w.olderCursor) return;
  useMessages.getState().set(chatId, (x) => ({ ...x, loading: 'older' }));
  try {
    const page = await chatApi.fetchOlder(chatId, w.olderCursor);
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
    const page = await chatApi.fetchNewer(chatId, w.newerCursor);
    useMessages.getState().set(chatId, (x) => ({ ...x, loading: null, hasNewer: page.hasNewer, newerCursor: page.newerCursor }));
    useMessages.getState().merge(chatId, page.items);
  } catch {
    useMessages.getState().set(chatId, (x) => ({ ...x, loading: null }));
  }
}
