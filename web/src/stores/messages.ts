import { create } from 'zustand';
import { emptyWindow, mergeMessages, updateMessage, type MessageWindow } from '../lib/messageList';
import type { Message } from '../lib/types';

export interface ChatWindow extends MessageWindow {
  loading: null | 'initial' | 'older' | 'newer';
  error: string | null;
  /** Increments whenever the window is replaced (a new deep link, jump to latest). */
  generation: number;
  /** Opened to show the chat's end whatever is unread (the user sent from a stretch of history). */
  follow?: boolean;
}

interface MessagesState {
  windows: Record<string, ChatWindow>;
  get(chatId: string): ChatWindow;
  replace(chatId: string, w: Partial<ChatWindow>): void;
  set(chatId: string, fn: (w: ChatWindow) => ChatWindow): void;
  merge(chatId: string, messages: Message[]): void;
  update(chatId: string, messageId: string, fn: (m: Message) => Message): void;
  findMessage(messageId: string): Message | undefined;
  reset(): void;
}

const blank = (): ChatWindow => ({ ...emptyWindow(), loading: null, error: null, generation: 0 });

export const useMessages = create<MessagesState>()((set, get) => ({
  windows: {},
  get(chatId) {
    return get().windows[chatId] ?? blank();
  },
  replace(chatId, w) {
    const previous = get().windows[chatId];
    set({ windows: { ...get().windows, [chatId]: { ...blank(), ...w, generation: (previous?.generation ?? 0) + 1 } } });
  },
  set(chatId, fn) {
    set({ windows: { ...get().windows, [chatId]: fn(get().get(chatId)) } });
  },
  merge(chatId, messages) {
    const w = get().windows[chatId];
    if (!w) return;
    const next = mergeMessages(w, messages);
    if (next !== w) set({ windows: { ...get().windows, [chatId]: { ...w, ...next } } });
  },
  update(chatId, messageId, fn) {
    const w = get().windows[chatId];
    if (!w) return;
    const next = updateMessage(w, messageId, fn);
    if (next !== w) set({ windows: { ...get().windows, [chatId]: { ...w, ...next } } });
  },
  findMessage(messageId) {
    for (const w of Object.values(get().windows)) {
      const m = w.items.find((x) => x.id === messageId);
      if (m) return m;
    }
    return undefined;
  },
  reset() {
    set({ windows: {} });
  },
}));
