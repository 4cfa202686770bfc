// Messages the user sent that the server has not acknowledged yet. They are kept in localStorage
// (per user) so nothing typed offline is lost on a reload, shown at once with a pending mark,
// and sent in order once connected, each with the clientMessageId it got when typed: message:send
// is idempotent on (sender, clientMessageId), so a retry after a lost ack never makes a duplicate.

import { createStore } from 'zustand/vanilla';
import type { Attachment } from './types';
import type { KeyValueStorage } from './cursor';

export type OutboxState = 'pending' | 'sending' | 'failed';

export interface OutboxEntry {
  clientMessageId: string;
  chatId: string;
  content: string;
  replyToId?: string | null;
  attachmentIds: string[];
  attachments?: Attachment[];
  createdAt: string;
  state: OutboxState;
  attempts: number;
  error?: string | null;
}

export interface SendResult {
  ok: boolean;
  /** When not ok: whether trying again later may work (offline, timeout, 429, 5xx). */
  retryable?: boolean;
  error?: string;
}

export interface OutboxStore {
  entries: OutboxEntry[];
  add(entry: Omit<OutboxEntry, 'state' | 'attempts' | 'createdAt'> & { createdAt?: string }): OutboxEntry;
  remove(clientMessageId: string): void;
  retry(clientMessageId: string): void;
  update(clientMessageId: string, patch: Partial<OutboxEntry>): void;
  forChat(chatId: string): OutboxEntry[];
}

export function outboxKey(userId: string): string {
  return `confab.outbox.${userId}`;
}

export function createOutbox(storage: KeyValueStorage, key: string) {
  let initial: OutboxEntry[] = [];
  try {
    const raw = storage.getItem(key);
    if (raw) initial = JSON.parse(raw);
  } catch {
    initial = [];
  }
  // An entry that was being sent when the page went away may or may not have arrived: the same
  // clientMessageId makes sending it again safe.
  initial = initial.map((e) => (e.state === 'sending' ? { ...e, state: 'pending' } : e));

  const store = createStore<OutboxStore>()((set, get) => ({
    entries: initial,
    add(entry) {
      const full: OutboxEntry = { createdAt: new Date().toISOString(), ...entry, state: 'pending', attempts: 0 };
      set({ entries: [...get().entries, full] });
      return full;
    },
    remove(id) {
      set({ entries: get().entries.filter((e) => e.clientMessageId !== id) });
    },
    retry(id) {
      set({ entries: get().entries.map((e) => (e.clientMessageId === id ? { ...e, state: 'pending', error: null } : e)) });
    },
    update(id, patch) {
      set({ entries: get().entries.map((e) => (e.clientMessageId === id ? { ...e, ...patch } : e)) });
    },
    forChat(chatId) {
      return get().entries.filter((e) => e.chatId === chatId);
    },
  }));
  store.subscribe((state) => {
    try {
      // Attachments previews may be blob: URLs that die with the page; keep only server URLs.
      const persisted = state.entries.map((e) => ({ ...e, attachments: e.attachments?.filter((a) => !a.url.startsWith('blob:')) }));
      if (persisted.length) storage.setItem(key, JSON.stringify(persisted));
      else storage.removeItem(key);
    } catch {
      // storage unavailable: the outbox still works in memory
    }
  });
  return store;
}

export type Outbox = ReturnType<typeof createOutbox>;

/**
 * Sends every pending entry, oldest first. A retryable failure stops the run (the rest wait
 * for the next connection, keeping their order); a permanent one marks that entry failed so the
 * user can retry or discard it, and the run goes on.
 */
export async function flushOutbox(outbox: Outbox, send: (entry: OutboxEntry) => Promise<SendResult>): Promise<number> {
  let sent = 0;
  for (;;) {
    const next = outbox.getState().entries.find((e) => e.state === 'pending');
    if (!next) return sent;
    outbox.getState().update(next.clientMessageId, { state: 'sending', attempts: next.attempts + 1 });
    let result: SendResult;
    try {
      result = await send(next);
    } catch (e) {
      result = { ok: false, retryable: true, error: (e as Error).message };
    }
    const still = outbox.getState().entries.find((e) => e.clientMessageId === next.clientMessageId);
    if (result.ok) {
      outbox.getState().remove(next.clientMessageId);
      sent++;
    } else if (result.retryable) {
      if (still) outbox.getState().update(next.clientMessageId, { state: 'pending', error: result.error ?? null });
      return sent;
    } else if (still) {
      outbox.getState().update(next.clientMessageId, { state: 'failed', error: result.error ?? 'Not sent' });
    }
  }
}
