// Pure operations on one chat's loaded window of messages, kept in chat order. The window may
// be the live end of the chat or a stretch of history (opened from a deep link), which is why
// it tracks hasOlder and hasNewer separately.

import type { Message, ReactionGroup } from './types';

export interface MessageWindow {
  items: Message[];
  hasOlder: boolean;
  hasNewer: boolean;
  /** The server's cursors for the next older and newer pages. */
  olderCursor: string | null;
  newerCursor: string | null;
  /**
   * Virtual index of items[0] for the virtualized list: it decreases by the number of messages
   * prepended, so the list keeps its scroll position when history loads above.
   */
  firstIndex: number;
}

export const FIRST_INDEX = 1_000_000;

export function emptyWindow(): MessageWindow {
  return { items: [], hasOlder: true, hasNewer: false, olderCursor: null, newerCursor: null, firstIndex: FIRST_INDEX };
}

/** Chat order: stream position when both have one, else creation time, else id. */
export function compareMessages(a: Message, b: Message): number {
  if (a.position !== null && b.position !== null && a.position !== b.position) return a.position - b.position;
  const t = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  if (t !== 0 && !Number.isNaN(t)) return t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Merges messages into the window: de-duplicated by id (the newer copy wins), kept in order. */
export function mergeMessages(window: MessageWindow, incoming: Message[]): MessageWindow {
  if (incoming.length === 0) return window;
  const byId = new Map<string, Message>();
  for (const m of window.items) byId.set(m.id, m);
  let changed = false;
  for (const m of incoming) {
    const existing = byId.get(m.id);
    if (existing === m) continue;
    // Keep reactions/edits that arrived live when an older copy comes in a page.
    byId.set(m.id, existing && existing.isDeleted && !m.isDeleted ? existing : m);
    changed = true;
  }
  if (!changed) return window;
  const items = [...byId.values()].sort(compareMessages);
  const oldFirst = window.items[0];
  const prepended = oldFirst ? items.findIndex((m) => m.id === oldFirst.id) : 0;
  return { ...window, items, firstIndex: window.firstIndex - Math.max(0, prepended) };
}

export function updateMessage(window: MessageWindow, id: string, patch: (m: Message) => Message): MessageWindow {
  const index = window.items.findIndex((m) => m.id === id);
  if (index < 0) return window;
  const items = window.items.slice();
  items[index] = patch(items[index]);
  return { ...window, items };
}

export function addReaction(reactions: ReactionGroup[], emoji: string, userId: string, reactionId?: string | null, myId?: string): ReactionGroup[] {
  const existing = reactions.find((r) => r.emoji === emoji);
  if (existing?.users.includes(userId)) {
    if (reactionId && userId === myId && !existing.myReactionId) {
      return reactions.map((r) => (r === existing ? { ...r, myReactionId: reactionId } : r));
    }
    return reactions;
  }
  const mine = userId === myId ? reactionId ?? null : undefined;
  if (existing) {
    return reactions.map((r) => (r === existing
      ? { ...r, users: [...r.users, userId], count: r.users.length + 1, myReactionId: mine !== undefined ? mine : r.myReactionId }
      : r));
  }
  return [...reactions, { emoji, users: [userId], count: 1, myReactionId: mine ?? null }];
}

export function removeReaction(reactions: ReactionGroup[], emoji: string | null, userId: string | null, reactionId?: string | null, myId?: string): ReactionGroup[] {
  return reactions
    .map((r) => {
      const matchesId = reactionId && r.myReactionId === reactionId;
      if (!matchesId && (emoji === null || r.emoji !== emoji)) return r;
      const who = userId ?? (matchesId ? myId ?? null : null);
      if (!who || !r.users.includes(who)) return r;
      const users = r.users.filter((u) => u !== who);
      return { ...r, users, count: users.length, myReactionId: who === myId ? null : r.myReactionId };
    })
    .filter((r) => r.count > 0);
}

/** Messages shown as one block: same sender, same day, within 5 minutes of each other. */
export function startsGroup(previous: Message | undefined, current: Message): boolean {
  if (!previous) return true;
  if (previous.senderId !== current.senderId) return true;
  if (!sameDay(previous.createdAt, current.createdAt)) return true;
  return Date.parse(current.createdAt) - Date.parse(previous.createdAt) > 5 * 60_000;
}

export function sameDay(a: string, b: string): boolean {
  const x = new Date(a);
  const y = new Date(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
}

/**
 * Receipt for one of my messages: 'read' when every other member has read up to it,
 * 'delivered' when every other member has it, else 'sent'. Positions compare in chat order.
 */
export function receiptFor(messagePosition: number | null, others: { read: number | null; delivered: number | null }[]): 'sent' | 'delivered' | 'read' {
  if (messagePosition === null || others.length === 0) return 'sent';
  if (others.every((o) => o.read !== null && o.read >= messagePosition)) return 'read';
  if (others.every((o) => (o.delivered !== null && o.delivered >= messagePosition) || (o.read !== null && o.read >= messagePosition))) return 'delivered';
  return 'sent';
}

/**
 * The list's key for a message. A send has one identity from the moment it is typed: its
 * clientMessageId, shared by the optimistic copy and the server's copy, so the row is the same
 * row before and after the acknowledgement (no remount, no jump, no duplicate key).
 */
export function rowKey(m: Message): string {
  return m.clientMessageId ? `c:${m.clientMessageId}` : m.id;
}

/**
 * The rows of the list: the window's messages, then the optimistic copies of sends the window
 * does not hold yet. The outbox and the window are separate stores that change in separate
 * renders, so an acknowledged send is briefly in both: it must show once (two rows with one
 * key made React keep a ghost bubble).
 */
export function visibleRows(items: Message[], pending: Message[]): Message[] {
  if (pending.length === 0) return items;
  const acknowledged = new Set<string>();
  for (const m of items) if (m.clientMessageId) acknowledged.add(m.clientMessageId);
  const waiting = pending.filter((p) => !p.clientMessageId || !acknowledged.has(p.clientMessageId));
  return waiting.length ? [...items, ...waiting] : items;
}
