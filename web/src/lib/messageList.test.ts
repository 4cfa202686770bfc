import { describe, expect, it } from 'vitest';
import { addReaction, emptyWindow, FIRST_INDEX, mergeMessages, receiptFor, removeReaction, rowKey, startsGroup, visibleRows } from './messageList';
import type { Message } from './types';

const msg = (id: string, position: number, extra: Partial<Message> = {}): Message => ({
  id, chatId: 'c', senderId: 'u1', senderName: 'U', content: id, contentType: 'text',
  createdAt: new Date(Date.UTC(2024, 0, 1, 10, 0, position)).toISOString(),
  isEdited: false, isDeleted: false, position, attachments: [], reactions: [], ...extra,
});

describe('message window', () => {
  it('keeps messages in chat order without duplicates', () => {
    let w = mergeMessages(emptyWindow(), [msg('b', 2), msg('a', 1)]);
    w = mergeMessages(w, [msg('c', 3), msg('b', 2, { content: 'edited' })]);
    expect(w.items.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(w.items[1].content).toBe('edited');
  });

  it('moves firstIndex back by the number of messages loaded above', () => {
    let w = mergeMessages(emptyWindow(), [msg('m10', 10), msg('m11', 11)]);
    expect(w.firstIndex).toBe(FIRST_INDEX);
    w = mergeMessages(w, [msg('m7', 7), msg('m8', 8), msg('m9', 9)]);
    expect(w.firstIndex).toBe(FIRST_INDEX - 3);
    w = mergeMessages(w, [msg('m12', 12)]);
    expect(w.firstIndex).toBe(FIRST_INDEX - 3);
  });

  it('returns the same window when nothing changed (no re-render)', () => {
    const w = mergeMessages(emptyWindow(), [msg('a', 1)]);
    expect(mergeMessages(w, [w.items[0]])).toBe(w);
    expect(mergeMessages(w, [])).toBe(w);
  });

  it('does not resurrect a deleted message from an older page', () => {
    let w = mergeMessages(emptyWindow(), [msg('a', 1, { isDeleted: true, content: '' })]);
    w = mergeMessages(w, [msg('a', 1)]);
    expect(w.items[0].isDeleted).toBe(true);
  });

  it('handles 10,000 messages loaded in pages', () => {
    let w = emptyWindow();
    for (let page = 199; page >= 0; page--) {
      w = mergeMessages(w, Array.from({ length: 50 }, (_, i) => msg(`m${page * 50 + i}`, page * 50 + i)));
    }
    expect(w.items).toHaveLength(10_000);
    expect(w.firstIndex).toBe(FIRST_INDEX - 9_950);
    expect(w.items[0].id).toBe('m0');
  });
});

describe('reactions', () => {
  it('adds and removes users, dropping empty groups', () => {
    let r = addReaction([], '👍', 'u1', 'r1', 'u1');
    r = addReaction(r, '👍', 'u2', 'r2', 'u1');
    r = addReaction(r, '👍', 'u2', 'r2', 'u1');
    expect(r).toEqual([{ emoji: '👍', users: ['u1', 'u2'], count: 2, myReactionId: 'r1' }]);
    r = removeReaction(r, '👍', 'u1', 'r1', 'u1');
    expect(r).toEqual([{ emoji: '👍', users: ['u2'], count: 1, myReactionId: null }]);
    r = removeReaction(r, '👍', 'u2', null, 'u1');
    expect(r).toEqual([]);
  });
});

describe('receipts and grouping', () => {
  it('is read when every other member read it, delivered when all have it', () => {
    expect(receiptFor(5, [{ read: 5, delivered: 5 }, { read: 9, delivered: 9 }])).toBe('read');
    expect(receiptFor(5, [{ read: 4, delivered: 5 }, { read: 9, delivered: 9 }])).toBe('delivered');
    expect(receiptFor(5, [{ read: 4, delivered: 4 }, { read: 9, delivered: 9 }])).toBe('sent');
    expect(receiptFor(5, [{ read: null, delivered: null }])).toBe('sent');
    expect(receiptFor(null, [{ read: 9, delivered: 9 }])).toBe('sent');
  });

  it('groups consecutive messages of one sender within minutes', () => {
    const a = msg('a', 1);
    expect(startsGroup(undefined, a)).toBe(true);
    expect(startsGroup(a, msg('b', 2))).toBe(false);
    expect(startsGroup(a, msg('b', 2, { senderId: 'u2' }))).toBe(true);
    expect(startsGroup(a, msg('b', 2, { createdAt: '2024-01-01T10:20:00Z' }))).toBe(true);
  });
});

// issue 15 #3: the optimistic copy and the acknowledged copy of one send showed as two bubbles.
describe('rows shown for a window and its outbox', () => {
  it('shows one row per clientMessageId: the acknowledged copy replaces the optimistic one', () => {
    const acked = msg('m2', 2, { senderId: 'me', clientMessageId: 'c-1' });
    const optimistic = msg('pending:c-1', 0, { senderId: 'me', clientMessageId: 'c-1', position: null, pending: true });
    const rows = visibleRows([msg('m1', 1), acked], [optimistic]);
    expect(rows.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(new Set(rows.map(rowKey)).size).toBe(rows.length);
  });

  it('keeps the row key of a send stable from optimistic to acknowledged', () => {
    const optimistic = msg('pending:c-1', 0, { senderId: 'me', clientMessageId: 'c-1', position: null, pending: true });
    const acked = msg('m2', 2, { senderId: 'me', clientMessageId: 'c-1' });
    expect(rowKey(optimistic)).toBe(rowKey(acked));
    expect(rowKey(msg('m3', 3))).toBe('m3');
  });
});
