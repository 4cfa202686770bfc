import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { OutboxEntry } from './lib/outbox';
import { currentEngine, onEngineChange } from './sync';

const EMPTY: OutboxEntry[] = [];

/** The outbox entries of the signed-in user (all chats, or one), in the same render as they change. */
export function useOutboxEntries(chatId?: string): OutboxEntry[] {
  const entries = useSyncExternalStore(
    (notify) => {
      let unsubscribeStore = currentEngine()?.outbox.subscribe(notify);
      const unsubscribeSwap = onEngineChange(() => {
        unsubscribeStore?.();
        unsubscribeStore = currentEngine()?.outbox.subscribe(notify);
        notify();
      });
      return () => {
        unsubscribeStore?.();
        unsubscribeSwap();
      };
    },
    () => currentEngine()?.outbox.getState().entries ?? EMPTY,
  );
  // Filtered in render (not in an effect a render later): an acknowledged send must leave the
  // outbox view in the same render as it enters the message window.
  return useMemo(() => (chatId ? entries.filter((e) => e.chatId === chatId) : entries), [entries, chatId]);
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
