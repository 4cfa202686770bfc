// The event handlers on the real stores, fed only with frames a real conversation produced
// (src/test/fixtures/captured-frames.json, captured from the server): never hand-written shapes.
import { beforeEach, describe, expect, it } from 'vitest';
import { normalizeChat, normalizeMessage } from '../lib/normalize';
import type { AckFrame, ChatView, ServerFrame } from '../lib/protocol.gen';
import type { ServerEvent } from '../lib/types';
import { useChats } from '../stores/chats';
import { useMessages } from '../stores/messages';
import { usePresence } from '../stores/presence';
import captured from '../test/fixtures/captured-frames.json';
import { applyEvent, handlers, receiveMessage, type HandlerContext } from './handlers';

const frames = captured as unknown as ServerFrame[];
const events = frames.filter((f): f is ServerEvent => !['ready', 'ack', 'error', 'pong', 'resync'].includes(f.type));
const first = <T extends ServerEvent['type']>(type: T, where: (e: Extract<ServerEvent, { type: T }>) => boolean = () => true) => {
  const e = events.find((x) => x.type === type && where(x as Extract<ServerEvent, { type: T }>));
  if (!e) throw new Error(`no captured ${type}`);
  return e as Extract<ServerEvent, { type: T }>;
};

const newMessage = first('message:new');
const directChat = first('chat:created', (e) => e.data.id === newMessage.data.chatId);
const sender = newMessage.data.senderId!;
const receiver = directChat.data.participants!.map((p) => p.userId).find((id) => id !== sender)!;

function context(me: string) {
  const log = { reloads: 0, contactReloads: 0, sent: [] as string[], notified: [] as string[] };
  const ctx: HandlerContext = {
    me,
    reloadChats: () => void log.reloads++,
    reloadContacts: () => void log.contactReloads++,
    sent: (id) => void log.sent.push(id),
    notify: (m) => void log.notified.push(m.id),
  };
  return { ctx, log };
}

function seed(chat: ChatView, me: string) {
  useChats.getState().setAll([normalizeChat(chat, me)]);
  useMessages.getState().replace(chat.id, { loading: null, hasOlder: false });
}

beforeEach(() => {
  useChats.getState().reset();
  useMessages.getState().reset();
  usePresence.getState().reset();
});

describe('event handlers', () => {
  it('has a handler for every event type the server sent', () => {
    const missing = [...new Set(events.map((e) => e.type))].filter((t) => !(t in handlers));
    expect(missing).toEqual([]);
  });

  it('applies every captured event without failing, whatever is loaded', () => {
    const { ctx } = context(receiver);
    for (const e of events) applyEvent(ctx, e);
    seed(directChat.data, receiver);
    for (const e of events) applyEvent(ctx, e);
  });

  it('message:new appends once, updates the preview, counts unread once and notifies', () => {
    seed(directChat.data, receiver);
    const { ctx, log } = context(receiver);
    applyEvent(ctx, newMessage);
    applyEvent(ctx, newMessage);
    expect(useMessages.getState().get(directChat.data.id).items.map((m) => m.id)).toEqual([newMessage.data.id]);
    const chat = useChats.getState().byId[directChat.data.id];
    expect(chat.lastMessage?.id).toBe(newMessage.data.id);
    expect(chat.unreadCount).toBe(1);
    expect(log.notified).toEqual([newMessage.data.id]);
  });

  it('our own message:new completes its outbox entry and is not unread', () => {
    seed(directChat.data, sender);
    const { ctx, log } = context(sender);
    applyEvent(ctx, newMessage);
    expect(log.sent).toEqual([newMessage.data.clientMessageId]);
    expect(useChats.getState().byId[directChat.data.id].unreadCount).toBe(0);
  });

  it('the ack copy and the event copy of one send are one message', () => {
    seed(directChat.data, sender);
    const { ctx } = context(sender);
    const ack = frames.find((f): f is AckFrame => f.type === 'ack' && (f.data as { message?: { id: string } }).message?.id === newMessage.data.id);
    expect(ack).toBeDefined();
    receiveMessage(ctx, normalizeMessage((ack!.data as { message: typeof newMessage.data }).message));
    applyEvent(ctx, newMessage);
    expect(useMessages.getState().get(directChat.data.id).items).toHaveLength(1);
  });

  it('message:new does not touch a window that shows history (not the live end)', () => {
    seed(directChat.data, receiver);
    useMessages.getState().set(directChat.data.id, (w) => ({ ...w, hasNewer: true }));
    applyEvent(context(receiver).ctx, newMessage);
    expect(useMessages.getState().get(directChat.data.id).items).toEqual([]);
    expect(useChats.getState().byId[directChat.data.id].lastMessage?.id).toBe(newMessage.data.id);
  });

  it('message:edited and message:deleted change the message in place', () => {
    seed(directChat.data, receiver);
    const { ctx } = context(receiver);
    applyEvent(ctx, newMessage);
    const edited = first('message:edited', (e) => e.data.messageId === newMessage.data.id);
    applyEvent(ctx, edited);
    let m = useMessages.getState().get(directChat.data.id).items[0];
    expect(m.content).toBe(edited.data.content);
    expect(m.isEdited).toBe(true);
    applyEvent(ctx, { type: 'message:deleted', cursor: '999', data: { chatId: directChat.data.id, messageId: newMessage.data.id } });
    m = useMessages.getState().get(directChat.data.id).items[0];
    expect(m.isDeleted).toBe(true);
    expect(m.content).toBe('');
  });

  it('reactions are added and removed with who reacted', () => {
    seed(directChat.data, sender);
    const { ctx } = context(sender);
    applyEvent(ctx, newMessage);
    const added = first('reaction:added');
    applyEvent(ctx, added);
    expect(useMessages.getState().get(directChat.data.id).items[0].reactions).toMatchObject([{ emoji: added.data.reaction.emoji, count: 1, users: [added.data.reaction.userId] }]);
    applyEvent(ctx, first('reaction:removed'));
    expect(useMessages.getState().get(directChat.data.id).items[0].reactions).toEqual([]);
  });

  it('message:read and message:delivered from the other member move their receipts; our own read sets unread', () => {
    seed(directChat.data, sender);
    const { ctx } = context(sender);
    applyEvent(ctx, newMessage);
    applyEvent(ctx, first('message:delivered', (e) => e.data.messageId === newMessage.data.id));
    let other = useChats.getState().byId[directChat.data.id].participants.find((p) => p.id === receiver)!;
    expect(other.lastDeliveredMessageId).toBe(newMessage.data.id);
    const read = first('message:read');
    applyEvent(ctx, read);
    other = useChats.getState().byId[directChat.data.id].participants.find((p) => p.id === receiver)!;
    expect(other.lastReadMessageId).toBe(read.data.messageId);

    seed(directChat.data, receiver);
    useChats.getState().patch(directChat.data.id, (c) => ({ ...c, unreadCount: 3 }));
    applyEvent(context(receiver).ctx, read);
    expect(useChats.getState().byId[directChat.data.id].unreadCount).toBe(read.data.unreadCount);
  });

  it('typing indicators come and go; presence is live', () => {
    const start = first('typing:start');
    // The viewer is whoever in that chat is not typing (one's own typing is never shown).
    const viewer = directChat.data.participants!.map((p) => p.userId).find((id) => id !== start.data.userId)!;
    seed(directChat.data, viewer);
    const { ctx } = context(viewer);
    applyEvent(ctx, start);
    expect(Object.keys(usePresence.getState().typing[start.data.chatId])).toEqual([start.data.userId]);
    applyEvent(ctx, first('typing:stop'));
    expect(usePresence.getState().typing[start.data.chatId]).toEqual({});
    const status = first('user:status');
    applyEvent(ctx, status);
    expect(usePresence.getState().users[status.data.userId].status).toBe(status.data.status);
  });

  it('chat and participant events change the group', () => {
    const updated = first('chat:updated');
    const group = first('chat:created', (e) => e.data.id === updated.data.chatId);
    const owner = group.data.ownerId!;
    seed(group.data, owner);
    const { ctx } = context(owner);
    applyEvent(ctx, updated);
    expect(useChats.getState().byId[group.data.id].name).toBe(updated.data.updates.name);
    const joined = first('participant:joined', (e) => e.data.chatId === group.data.id);
    applyEvent(ctx, joined);
    expect(useChats.getState().byId[group.data.id].participants.map((p) => p.id)).toContain(joined.data.user.id);
    applyEvent(ctx, first('participant:left', (e) => e.data.userId === joined.data.user.id));
    expect(useChats.getState().byId[group.data.id].participants.map((p) => p.id)).not.toContain(joined.data.user.id);
  });

  it('shows a group name unescaped (the server stores it escaped)', () => {
    // A captured group, with the name as the server stores one typed as "Launch & review".
    const group = first('chat:created', (e) => e.data.type === 'group');
    seed({ ...group.data, name: 'Launch &amp; review' }, group.data.ownerId!);
    expect(useChats.getState().byId[group.data.id].name).toBe('Launch & review');
  });

  it('chat:deleted removes the chat', () => {
    const deleted = first('chat:deleted');
    seed({ ...directChat.data, id: deleted.data.chatId }, receiver);
    applyEvent(context(receiver).ctx, deleted);
    expect(useChats.getState().byId[deleted.data.chatId]).toBeUndefined();
  });
});

describe('threads, mentions and system messages', () => {
  // Shapes from the captured message:new, with the fields of the case under test changed.
  const base = () => normalizeMessage(newMessage.data);

  it('keeps a thread reply out of the timeline and counts it once on its root', () => {
    seed(directChat.data, receiver);
    const { ctx } = context(receiver);
    const root = base();
    receiveMessage(ctx, root);
    const reply = { ...base(), id: `reply-${Math.random()}`, clientMessageId: null, threadRootId: root.id, position: (root.position ?? 0) + 1 };
    receiveMessage(ctx, reply);
    receiveMessage(ctx, reply); // replayed on resume
    const items = useMessages.getState().get(root.chatId).items;
    expect(items.map((m) => m.id)).toEqual([root.id]);
    expect(items[0].thread?.replyCount).toBe(1);
    expect(items[0].thread?.participants).toEqual([sender]);
    expect(useChats.getState().byId[root.chatId].lastMessage?.id).toBe(root.id);
  });

  it('counts a message that mentions me, and not one that mentions someone else', () => {
    seed(directChat.data, receiver);
    const { ctx } = context(receiver);
    receiveMessage(ctx, { ...base(), id: 'm-1', mentions: [sender] });
    expect(useChats.getState().byId[newMessage.data.chatId].mentionCount).toBe(0);
    receiveMessage(ctx, { ...base(), id: 'm-2', clientMessageId: null, position: 10_000_000, mentions: [receiver] });
    expect(useChats.getState().byId[newMessage.data.chatId].mentionCount).toBe(1);
  });

  it('shows a system message without counting it as unread or notifying', () => {
    seed(directChat.data, receiver);
    const { ctx, log } = context(receiver);
    const before = useChats.getState().byId[newMessage.data.chatId].unreadCount;
    receiveMessage(ctx, { ...base(), id: 's-1', clientMessageId: null, contentType: 'system', content: '',
      system: { action: 'chat_renamed', actorId: sender, targetIds: [], name: 'New name' } });
    expect(useMessages.getState().get(newMessage.data.chatId).items.map((m) => m.id)).toContain('s-1');
    expect(useChats.getState().byId[newMessage.data.chatId].unreadCount).toBe(before);
    expect(log.notified).toEqual([]);
  });
});
