// One small handler per server event type, typed by the generated protocol union: each reads
// its event's own fields (no guessing of alternative names or of a chat id) and changes the
// stores. Side effects beyond the stores (a chats reload, a notification, the outbox) go through
// the context, so tests drive the handlers with captured frames and a recording context.

import { callEvents } from '../calls/manager';
import { addReaction, removeReaction } from '../lib/messageList';
import { decodeEntities } from '../lib/format';
import { normalizeChat, normalizeMessage, normalizeUser, presence } from '../lib/normalize';
import type { Chat, EventData, Message, ServerEvent, ServerEventType } from '../lib/types';
import { useChats, withNewMessage, withParticipant } from '../stores/chats';
import { useMessages } from '../stores/messages';
import { usePresence } from '../stores/presence';
import { useThreads } from '../stores/threads';
import { useNotificationPrefs } from '../notifications/store';

export interface HandlerContext {
  /** The signed-in user's id. */
  readonly me: string;
  /** Reload the chat list soon (coalesced): for changes an event does not fully describe. */
  reloadChats(): void;
  reloadContacts(): void;
  /** The server stored our send: its outbox entry is done. */
  sent(clientMessageId: string): void;
  notify(message: Message, chat: Chat | undefined): void;
}

type Handlers = { [T in ServerEventType]: (ctx: HandlerContext, data: EventData<T>) => void };

/**
 * A message the server stored (from message:new or from the ack of our own send). It has one
 * identity from the moment it was typed: its clientMessageId, so the optimistic copy and this one
 * are one row.
 */
export function mentionsMe(message: Message, me: string): boolean {
  return message.senderId !== me && (!!message.mentionsEveryone || !!message.mentions?.includes(me));
}

// Replies already counted into their root's summary (a resumed stream replays events).
const countedReplies = new Set<string>();

/** A thread reply: it updates its root's summary and the open thread, never the main timeline. */
function receiveThreadReply(ctx: HandlerContext, message: Message) {
  const rootId = message.threadRootId!;
  const threads = useThreads.getState();
  const known = countedReplies.has(message.id) || !!threads.replies[rootId]?.some((m) => m.id === message.id);
  threads.add(message);
  if (known) return;
  countedReplies.add(message.id);
  useMessages.getState().update(message.chatId, rootId, (root) => {
    const t = root.thread ?? { replyCount: 0, lastReplyAt: null, participants: [] };
    const participants = message.senderId && !t.participants.includes(message.senderId) ? [...t.participants, message.senderId] : t.participants;
    return { ...root, thread: { replyCount: t.replyCount + 1, lastReplyAt: message.createdAt, participants } };
  });
  if (mentionsMe(message, ctx.me)) {
    useChats.getState().patch(message.chatId, (c) => ({ ...c, mentionCount: (c.mentionCount ?? 0) + 1 }));
    ctx.notify(message, useChats.getState().byId[message.chatId]);
  }
}

export function receiveMessage(ctx: HandlerContext, message: Message) {
  const mine = message.senderId === ctx.me;
  if (mine && message.clientMessageId) ctx.sent(message.clientMessageId);
  if (message.threadRootId) {
    receiveThreadReply(ctx, message);
    return;
  }
  if (message.contentType === 'system') {
    // The timeline shows it; it is not unread and raises no notification.
    const sw = useMessages.getState().windows[message.chatId];
    if (sw && !sw.hasNewer) useMessages.getState().merge(message.chatId, [message]);
    const c = useChats.getState().byId[message.chatId];
    if (c) useChats.getState().upsert(withNewMessage(c, message, false));
    return;
  }
  const w = useMessages.getState().windows[message.chatId];
  const known = !!w?.items.some((m) => m.id === message.id);
  if (w && !w.hasNewer) useMessages.getState().merge(message.chatId, [message]);
  const chat = useChats.getState().byId[message.chatId];
  if (!chat) {
    ctx.reloadChats();
    return;
  }
  // Read means seen: a message from someone else counts as unread until it has been on screen
  // (the message list reports that), never just because its chat is open.
  const alreadyCounted = known || chat.lastMessage?.id === message.id;
  const updated = withNewMessage(chat, message, !mine && !alreadyCounted);
  useChats.getState().upsert(!alreadyCounted && mentionsMe(message, ctx.me)
    ? { ...updated, mentionCount: (updated.mentionCount ?? 0) + 1 } : updated);
  if (!mine && !alreadyCounted) ctx.notify(message, chat);
}

function readPositionOf(chatId: string, messageId: string): number | null {
  const m = useMessages.getState().get(chatId).items.find((x) => x.id === messageId);
  return m ? m.position ?? Date.parse(m.createdAt) : null;
}

function moveReceipt(chatId: string, userId: string, messageId: string, kind: 'read' | 'delivered') {
  const position = readPositionOf(chatId, messageId);
  useChats.getState().patch(chatId, (c) => ({
    ...c,
    participants: c.participants.map((p) => {
      if (p.id !== userId) return p;
      const ahead = (current: number | null | undefined) => position === null || current === null || current === undefined || position > current;
      const delivered = ahead(p.lastDeliveredPosition)
        ? { lastDeliveredMessageId: messageId, lastDeliveredPosition: position ?? p.lastDeliveredPosition } : {};
      if (kind === 'delivered') return { ...p, ...delivered };
      return ahead(p.lastReadPosition)
        ? { ...p, ...delivered, lastReadMessageId: messageId, lastReadPosition: position ?? p.lastReadPosition }
        : p;
    }),
  }));
}

export const handlers: Handlers = {
  'message:new': (ctx, data) => receiveMessage(ctx, normalizeMessage(data)),

  'message:edited': (_ctx, data) => {
    const formatting = (data.metadata as { formatting?: Message['formatting'] } | null)?.formatting ?? null;
    const edit = (m: Message) => ({ ...m, content: data.content ?? '', formatting, isEdited: true, editedAt: data.editedAt, mentions: data.mentions ?? [], mentionsEveryone: !!data.mentionsEveryone });
    useMessages.getState().update(data.chatId, data.messageId, edit);
    const open = useThreads.getState().rootId;
    if (open) useThreads.getState().update(open, data.messageId, edit);
    useChats.getState().patch(data.chatId, (c) => (c.lastMessage?.id === data.messageId
      ? { ...c, lastMessage: { ...c.lastMessage, content: data.content ?? '', isEdited: true } } : c));
  },

  'message:preview': (_ctx, data) => {
    const linkPreview = data.linkPreview ? { url: data.linkPreview.url ?? '', title: data.linkPreview.title, description: data.linkPreview.description, imageUrl: data.linkPreview.imageUrl, siteName: data.linkPreview.siteName } : null;
    useMessages.getState().update(data.chatId, data.messageId, (m) => ({ ...m, linkPreview }));
    const open = useThreads.getState().rootId;
    if (open) useThreads.getState().update(open, data.messageId, (m) => ({ ...m, linkPreview }));
  },

  'message:deleted': (_ctx, data) => {
    useMessages.getState().update(data.chatId, data.messageId, (m) => ({ ...m, isDeleted: true, content: '', attachments: [], reactions: [] }));
    useChats.getState().patch(data.chatId, (c) => (c.lastMessage?.id === data.messageId ? { ...c, lastMessage: { ...c.lastMessage, isDeleted: true, content: '' } } : c));
  },

  'message:read': (ctx, data) => {
    if (data.userId === ctx.me) {
      // Read on another device (or our own read echoed): the server's count is the truth.
      useChats.getState().patch(data.chatId, (c) => ({ ...c, unreadCount: data.unreadCount, mentionCount: data.unreadCount === 0 ? 0 : c.mentionCount }));
      if (data.unreadCount > 0) ctx.reloadChats();
      return;
    }
    moveReceipt(data.chatId, data.userId, data.messageId, 'read');
  },

  'message:delivered': (ctx, data) => {
    if (data.userId !== ctx.me) moveReceipt(data.chatId, data.userId, data.messageId, 'delivered');
  },

  'reaction:added': (ctx, data) => {
    const r = data.reaction;
    useMessages.getState().update(data.chatId, data.messageId, (m) => ({ ...m, reactions: addReaction(m.reactions, r.emoji, r.userId, r.id, ctx.me) }));
  },

  'reaction:removed': (ctx, data) => {
    useMessages.getState().update(data.chatId, data.messageId, (m) => ({
      ...m, reactions: removeReaction(m.reactions, data.emoji, data.userId, data.reactionId, ctx.me),
    }));
  },

  'chat:created': (ctx, data) => {
    // Events carry no per-user fields (unread count, role): keep what we know.
    const chat = normalizeChat(data, ctx.me);
    const existing = useChats.getState().byId[chat.id];
    useChats.getState().upsert(existing
      ? { ...chat, unreadCount: existing.unreadCount, myRole: chat.myRole ?? existing.myRole, notificationLevel: chat.notificationLevel ?? existing.notificationLevel, muted: chat.notificationLevel ? chat.muted : existing.muted, lastMessage: chat.lastMessage ?? existing.lastMessage }
      : chat);
  },

  'chat:updated': (ctx, data) => {
    const existing = useChats.getState().byId[data.chatId];
    if (!existing) {
      ctx.reloadChats();
      return;
    }
    const u = data.updates;
    useChats.getState().patch(data.chatId, (c) => ({
      ...c,
      name: c.type === 'group' && u.name ? decodeEntities(u.name) : c.name,
      slug: u.slug !== undefined ? u.slug : c.slug,
      everyoneMentions: u.everyoneMentions === 'admins' || u.everyoneMentions === 'all' ? u.everyoneMentions : c.everyoneMentions,
    }));
  },

  'chat:deleted': (_ctx, data) => useChats.getState().remove(data.chatId),

  'participant:joined': (ctx, data) => {
    const chat = useChats.getState().byId[data.chatId];
    if (!chat || data.user.id === ctx.me) {
      ctx.reloadChats();
      return;
    }
    useChats.getState().patch(data.chatId, (c) => withParticipant({ ...c, participantCount: c.participantCount + 1 }, {
      ...normalizeUser(data.user), role: data.role, lastReadMessageId: null, lastDeliveredMessageId: null, lastReadPosition: null, lastDeliveredPosition: null,
    }));
  },

  'participant:left': (ctx, data) => {
    if (data.userId === ctx.me) {
      useChats.getState().remove(data.chatId);
      return;
    }
    useChats.getState().patch(data.chatId, (c) => ({
      ...c, participants: c.participants.filter((p) => p.id !== data.userId), participantCount: Math.max(0, c.participantCount - 1),
    }));
  },

  'contact:request': (ctx) => ctx.reloadContacts(),
  'contact:accepted': (ctx) => ctx.reloadContacts(),
  'contact:blocked': (ctx) => ctx.reloadContacts(),
  'contact:removed': (ctx) => ctx.reloadContacts(),
  'contact:unblocked': (ctx) => ctx.reloadContacts(),

  // Another device (or this one) changed notification settings: every device shows the same.
  'notifications:updated': (ctx, data) => {
    void useNotificationPrefs.getState().reload();
    if (!data.chatId || data.level === 'default' || !data.level) {
      ctx.reloadChats();
      return;
    }
    const level = data.level as 'all' | 'mentions' | 'nothing';
    useChats.getState().patch(data.chatId, (c) => ({ ...c, notificationLevel: level, muted: level === 'nothing' }));
  },

  'typing:start': (ctx, data) => {
    if (data.userId === ctx.me) return;
    usePresence.getState().startTyping(data.chatId, data.userId, displayNameOf(data.chatId, data.userId) ?? data.username);
  },

  'typing:stop': (_ctx, data) => usePresence.getState().stopTyping(data.chatId, data.userId),

  'user:status': (_ctx, data) => usePresence.getState().setStatus(data.userId, presence(data.status) ?? 'offline', data.lastSeen),
  // Calls: the call manager keeps the peer connections (calls/manager.ts).
  'call:invite': (_ctx, data) => callEvents.invite(data),
  'call:accept': (_ctx, data) => callEvents.accept(data),
  'call:decline': (_ctx, data) => callEvents.decline(data),
  'call:offer': (_ctx, data) => void callEvents.offer(data).catch(() => undefined),
  'call:answer': (_ctx, data) => void callEvents.answer(data).catch(() => undefined),
  'call:ice': (_ctx, data) => void callEvents.ice(data),
  'call:hangup': (_ctx, data) => callEvents.hangup(data),
  'call:ended': (_ctx, data) => callEvents.ended(data),
};

function displayNameOf(chatId: string, userId: string): string | null {
  const p = useChats.getState().byId[chatId]?.participants.find((x) => x.id === userId);
  return p ? p.displayName || p.username : null;
}

/** Applies one event; an event type this client does not know is ignored (a newer server). */
export function applyEvent(ctx: HandlerContext, event: ServerEvent) {
  const handler = handlers[event.type] as ((c: HandlerContext, d: unknown) => void) | undefined;
  if (handler) handler(ctx, event.data);
}
