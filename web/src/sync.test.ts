import { beforeEach, describe, expect, it } from 'vitest';
import { applyEvent } from './sync';
import { useChats } from './stores/chats';
import { useMessages } from './stores/messages';
import { usePresence } from './stores/presence';
import { normalizeChat, normalizeMessage } from './lib/normalize';

// The event reducer of the live connection, on the real stores (signed out: "me" is nobody).

const chatId = 'c1';
const raw = (id: string, position: number, extra: Record<string, unknown> = {}) => ({
  id, chatId, senderId: 'u2', senderUsername: 'bob', senderDisplayName: 'Bob', content: `text ${id}`,
  contentType: 'text', position, reactions: [], attachments: [], createdAt: new Date(Date.UTC(2024, 0, 1, 12, 0, position)).toISOString(),
  ...extra,
});

beforeEach(() => {
  useChats.getState().reset();
  useMessages.getState().reset();
  usePresence.getState().reset();
  useChats.getState().setAll([normalizeChat({
    id: chatId, type: 'group', name: 'Team', unreadCount: 0,
    participants: [{ userId: 'u2', user: { id: 'u2', username: 'bob', displayName: 'Bob' }, role: 'member', lastReadPosition: 0 }],
  })]);
  useMessages.getState().replace(chatId, { loading: null, hasOlder: false });
  useMessages.getState().merge(chatId, [normalizeMessage(raw('m1', 1))]);
});

describe('applying server events', () => {
  it('message:new appends to the open window, updates the preview and counts unread once', () => {
    const event = { type: 'message:new', cursor: '2', data: { message: raw('m2', 2) } };
    applyEvent(event);
    applyEvent(event);
    expect(useMessages.getState().get(chatId).items.map((m) => m.id)).toEqual(['m1', 'm2']);
    const chat = useChats.getState().byId[chatId];
    expect(chat.lastMessage?.id).toBe('m2');
    expect(chat.unreadCount).toBe(1);
  });

  it('message:new does not touch a window that shows history (not the live end)', () => {
    useMessages.getState().set(chatId, (w) => ({ ...w, hasNewer: true }));
    applyEvent({ type: 'message:new', cursor: '2', data: { message: raw('m2', 2) } });
    expect(useMessages.getState().get(chatId).items.map((m) => m.id)).toEqual(['m1']);
    expect(useChats.getState().byId[chatId].lastMessage?.id).toBe('m2');
  });

  it('message:edited and message:deleted change the message in place', () => {
    applyEvent({ type: 'message:edited', cursor: '3', data: { messageId: 'm1', chatId, content: 'new **text**', editedAt: '2024-01-01T13:00:00Z' } });
    let m = useMessages.getState().get(chatId).items[0];
    expect(m.content).toBe('new **text**');
    expect(m.isEdited).toBe(true);
    applyEvent({ type: 'message:deleted', cursor: '4', data: { messageId: 'm1', chatId } });
    m = useMessages.getState().get(chatId).items[0];
    expect(m.isDeleted).toBe(true);
    expect(m.content).toBe('');
  });

  it('reactions are added and removed with who reacted', () => {
    applyEvent({ type: 'reaction:added', cursor: '5', data: { messageId: 'm1', chatId, reaction: { id: 'r1', emoji: '👍', userId: 'u2' } } });
    applyEvent({ type: 'reaction:added', cursor: '6', data: { messageId: 'm1', chatId, reaction: { id: 'r2', emoji: '👍', userId: 'u3' } } });
    expect(useMessages.getState().get(chatId).items[0].reactions).toMatchObject([{ emoji: '👍', count: 2, users: ['u2', 'u3'] }]);
    applyEvent({ type: 'reaction:removed', cursor: '7', data: { messageId: 'm1', chatId, reactionId: 'r1', emoji: '👍', userId: 'u2' } });
    expect(useMessages.getState().get(chatId).items[0].reactions).toMatchObject([{ emoji: '👍', count: 1, users: ['u3'] }]);
  });

  it('message:read from another member moves their read position', () => {
    applyEvent({ type: 'message:read', cursor: '8', data: { chatId, messageId: 'm1', userId: 'u2', readAt: '2024-01-01T12:00:05Z' } });
    const bob = useChats.getState().byId[chatId].participants.find((p) => p.id === 'u2');
    expect(bob?.lastReadMessageId).toBe('m1');
    expect(bob?.lastReadPosition).toBe(1);
  });

  it('typing indicators come and go, and expire by themselves', () => {
    applyEvent({ type: 'typing:start', data: { chatId, userId: 'u2', username: 'bob' } });
    expect(Object.keys(usePresence.getState().typing[chatId])).toEqual(['u2']);
    applyEvent({ type: 'typing:stop', data: { chatId, userId: 'u2' } });
    expect(usePresence.getState().typing[chatId]).toEqual({});
    applyEvent({ type: 'typing:start', data: { chatId, userId: 'u2', username: 'bob' } });
    usePresence.getState().expireTyping(Date.now() + 60_000);
    expect(usePresence.getState().typing[chatId]).toEqual({});
  });

  it('live presence wins over older snapshots', () => {
    applyEvent({ type: 'user:status', data: { userId: 'u2', status: 'online' } });
    usePresence.getState().suggestStatus('u2', 'offline');
    expect(usePresence.getState().users.u2.status).toBe('online');
    usePresence.getState().forgetLive();
    usePresence.getState().suggestStatus('u2', 'away');
    expect(usePresence.getState().users.u2.status).toBe('away');
  });

  it('chat:updated renames and participant events change the members', () => {
    applyEvent({ type: 'chat:updated', cursor: '9', data: { chatId, updates: { name: 'Team 2' } } });
    expect(useChats.getState().byId[chatId].name).toBe('Team 2');
    applyEvent({ type: 'participant:joined', cursor: '10', data: { chatId, user: { id: 'u3', username: 'cat', displayName: 'Cat' }, role: 'member' } });
    expect(useChats.getState().byId[chatId].participants.map((p) => p.id)).toEqual(['u2', 'u3']);
    applyEvent({ type: 'participant:left', cursor: '11', data: { chatId, userId: 'u2' } });
    expect(useChats.getState().byId[chatId].participants.map((p) => p.id)).toEqual(['u3']);
  });

  it('chat:deleted removes the chat', () => {
    applyEvent({ type: 'chat:deleted', cursor: '12', data: { chatId } });
    expect(useChats.getState().byId[chatId]).toBeUndefined();
  });
});
