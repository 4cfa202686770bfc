import { useEffect, useState, useSyncExternalStore } from 'react';
import type { OutboxEntry } from './lib/outbox';
import { getOutbox, onOutboxChange } from './sync';

const EMPTY: OutboxEntry[] = [];

/** The outbox entries of the signed-in user (all chats, or one). */
export function useOutboxEntries(chatId?: string): OutboxEntry[] {
  const entries = useSyncExternalStore(
    (notify) => {
      let unsubscribeStore = getOutbox()?.subscribe(notify);
      const unsubscribeSwap = onOutboxChange(() => {
        unsubscribeStore?.();
        unsubscribeStore = getOutbox()?.subscribe(notify);
        notify();
      });
      return () => {
        unsubscribeStore?.();
        unsubscribeSwap();
      };
    },
    () => getOutbox()?.getState().entries ?? EMPTY,
  );
  const [filtered, setFiltered] = useState<OutboxEntry[]>(EMPTY);
  useEffect(() => {
    const next = chatId ? entries.filter((e) => e.chatId === chatId) : entries;
    setFiltered((prev) => (prev.length === next.length && prev.every((e, i) => e === next[i]) ? prev : next));
  }, [entries, chatId]);
  return chatId ? filtered : entries;
}

export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (notify) => {
      const m = window.matchMedia(query);
      m.addEventListener('change', notify);
      return () => m.removeEventListener('change', notify);
    },
    () => window.matchMedia(query).matches,
  );
}

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
