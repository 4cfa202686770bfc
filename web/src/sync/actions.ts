// What the user does: send, retry, edit, delete, react, type, read, open chats. Each takes the
// signed-in user's engine; components call the bound versions exported by sync/index.ts.

import * as chatApi from '../lib/chatApi';
import { newId } from '../lib/ids';
import { addReaction, removeReaction } from '../lib/messageList';
import type { OutboxEntry } from '../lib/outbox';
import type { Attachment, Chat, Message } from '../lib/types';
import { useAuth } from '../stores/auth';
import { useChats } from '../stores/chats';
import { useMessages } from '../stores/messages';
import type { SyncEngine } from './engine';

export function sendMessage(engine: SyncEngine, chatId: string, content: string, options: { replyToId?: string | null; attachments?: Attachment[] } = {}) {
  engine.outbox.getState().add({
    clientMessageId: newId(),
    chatId,
    content,
    replyToId: options.replyToId ?? null,
    attachmentIds: (options.attachments ?? []).map((a) => a.id),
    attachments: options.attachments ?? [],
  });
  engine.realtime.notify('typing:stop', { chatId });
  void engine.flush();
}

export function retrySend(engine: SyncEngine, clientMessageId: string) {
  engine.outbox.getState().retry(clientMessageId);
  void engine.flush();
}

export function discardSend(engine: SyncEngine, clientMessageId: string) {
  engine.outbox.getState().remove(clientMessageId);
}

/** The optimistic copy of an outbox entry, shown at the end of its chat until acknowledged. */
export function pendingMessage(me: string, entry: OutboxEntry): Message {
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
  const updated = await chatApi.editMessage(message.id, content);
  useMessages.getState().update(message.chatId, message.id, (m) => (updated
    ? { ...m, content: updated.content, isEdited: true, editedAt: updated.editedAt }
    : { ...m, content: escapeForDisplay(content), isEdited: true }));
}

export async function deleteMessage(message: Message) {
  await chatApi.deleteMessage(message.id);
  useMessages.getState().update(message.chatId, message.id, (m) => ({ ...m, isDeleted: true, content: '', attachments: [], reactions: [] }));
}

export async function toggleReaction(me: string, message: Message, emoji: string) {
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

export function typing(engine: SyncEngine, chatId: string) {
  const now = Date.now();
  if (now - engine.lastTypingSent < 3000) return;
  engine.lastTypingSent = now;
  engine.realtime.notify('typing:start', { chatId });
}

export function stoppedTyping(engine: SyncEngine, chatId: string) {
  engine.lastTypingSent = 0;
  engine.realtime.notify('typing:stop', { chatId });
}

/**
 * Read means seen: the message list calls this with the newest message that has been on screen
 * (while the page is visible). The read position only moves forward; the unread count becomes
 * the messages from others after it, when the window holds the chat's end.
 */
export function markSeen(engine: SyncEngine, chatId: string, messageId: string) {
  if (document.visibilityState !== 'visible') return;
  const w = useMessages.getState().get(chatId);
  const seen = w.items.find((m) => m.id === messageId);
  if (!seen || seen.pending) return;
  const position = seen.position ?? Date.parse(seen.createdAt);
  const chat = useChats.getState().byId[chatId];
  const known = engine.readSent[chatId] ?? chat?.participants.find((p) => p.id === engine.me)?.lastReadPosition ?? -Infinity;
  if (position <= known) return;
  engine.readSent[chatId] = position;
  if (!w.hasNewer && chat) {
    const unread = w.items.filter((m) => !m.pending && m.senderId !== engine.me && (m.position ?? Date.parse(m.createdAt)) > position).length;
    useChats.getState().patch(chatId, (c) => ({ ...c, unreadCount: unread }));
  }
  const payload = { chatId, messageId };
  const forget = () => {
    if (engine.readSent[chatId] === position) delete engine.readSent[chatId];
  };
  const viaRest = () => chatApi.markRead(chatId, messageId).catch(forget);
  if (engine.realtime.canRequest) engine.realtime.request('message:read', payload).catch(viaRest);
  else void viaRest();
}

export async function openDirectWith(engine: SyncEngine, userId: string): Promise<Chat> {
  const existing = Object.values(useChats.getState().byId).find((c) => c.type === 'direct' && c.peer?.id === userId);
  if (existing) return existing;
  const chat = await chatApi.openDirectChat(userId, engine.me);
  useChats.getState().upsert(chat);
  return chat;
}

export async function createGroup(engine: SyncEngine, name: string, memberIds: string[], slug?: string): Promise<Chat> {
  const chat = await chatApi.createGroup(name, memberIds, engine.me, slug);
  useChats.getState().upsert(chat);
  return chat;
}
