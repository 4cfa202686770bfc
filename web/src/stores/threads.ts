import { create } from 'zustand';
import type { Message } from '../lib/types';

/** The open thread panel and the replies loaded per thread root (oldest first). */
interface ThreadsState {
  chatId: string | null;
  rootId: string | null;
  /** A reply to highlight (a deep link to a thread reply). */
  highlightId: string | null;
  replies: Record<string, Message[]>;
  open(chatId: string, rootId: string, highlightId?: string | null): void;
  close(): void;
  setReplies(rootId: string, replies: Message[]): void;
  /** A reply arrived (stream or our own send): kept in position order, once. */
  add(reply: Message): void;
  update(rootId: string, messageId: string, fn: (m: Message) => Message): void;
}

export const useThreads = create<ThreadsState>()((set, get) => ({
  chatId: null,
  rootId: null,
  highlightId: null,
  replies: {},
  open(chatId, rootId, highlightId = null) {
    set({ chatId, rootId, highlightId });
  },
  close() {
    set({ chatId: null, rootId: null, highlightId: null });
  },
  setReplies(rootId, replies) {
    set({ replies: { ...get().replies, [rootId]: replies } });
  },
  add(reply) {
    const rootId = reply.threadRootId;
    if (!rootId) return;
    const current = get().replies[rootId];
    if (!current) return; // not loaded: the panel loads the thread when it opens
    if (current.some((m) => m.id === reply.id)) return;
    const next = [...current, reply].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    set({ replies: { ...get().replies, [rootId]: next } });
  },
  update(rootId, messageId, fn) {
    const current = get().replies[rootId];
    if (!current || !current.some((m) => m.id === messageId)) return;
    set({ replies: { ...get().replies, [rootId]: current.map((m) => (m.id === messageId ? fn(m) : m)) } });
  },
}));

/** Replies the user has seen per thread (client side, for the "new replies" dot on a root). */
const SEEN_KEY = 'confab.threadSeen';

export function threadSeenCount(rootId: string): number {
  try {
    return (JSON.parse(localStorage.getItem(SEEN_KEY) ?? '{}') as Record<string, number>)[rootId] ?? 0;
  } catch {
    return 0;
  }
}

export function markThreadSeen(rootId: string, count: number) {
  try {
    const all = JSON.parse(localStorage.getItem(SEEN_KEY) ?? '{}') as Record<string, number>;
    all[rootId] = count;
    localStorage.setItem(SEEN_KEY, JSON.stringify(all));
  } catch {
    // storage full or disabled: the dot just stays
  }
}
