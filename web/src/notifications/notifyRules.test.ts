import { describe, expect, it } from 'vitest';
import type { Chat, Message } from '../lib/types';
import { countsInTitle, shouldNotify } from './notifyRules';

const chat = (over: Partial<Chat>): Chat => ({ id: 'c', type: 'group', name: 'G', participants: [], participantCount: 2, lastActivityAt: '', unreadCount: 1, ...over });
const msg = (content: string) => ({ id: 'm', chatId: 'c', content } as unknown as Message);
const me = { id: 'u1', username: 'bob' };

describe('notification rules', () => {
  it('muted chats neither notify nor count in the title', () => {
    const muted = chat({ muted: true, notificationLevel: 'nothing' });
    expect(shouldNotify(msg('hi @bob'), muted, me)).toBe(false);
    expect(countsInTitle(muted)).toBe(false);
    expect(countsInTitle(chat({}))).toBe(true);
  });
  it('mentions-only notifies for a mention or a direct message', () => {
    const g = chat({ notificationLevel: 'mentions' });
    expect(shouldNotify(msg('lunch?'), g, me)).toBe(false);
    expect(shouldNotify(msg('@bob lunch?'), g, me)).toBe(true);
    expect(shouldNotify(msg('@bobby lunch?'), g, me)).toBe(false);
    expect(shouldNotify(msg('lunch?'), chat({ type: 'direct', notificationLevel: 'mentions' }), me)).toBe(true);
  });
  it('all notifies for everything unless desktop notifications are off', () => {
    expect(shouldNotify(msg('x'), chat({ notificationLevel: 'all' }), me)).toBe(true);
    expect(shouldNotify(msg('x'), chat({ notificationLevel: 'all' }), me, false)).toBe(false);
  });
});
