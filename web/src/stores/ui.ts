import { create } from 'zustand';
import type { ConnectionStatus, Transport } from '../lib/realtime';

export type Theme = 'light' | 'dark' | 'system';

interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

interface UiState {
  theme: Theme;
  connection: ConnectionStatus;
  transport: Transport;
  everOnline: boolean;
  activeChatId: string | null;
  atBottom: boolean;
  toasts: Toast[];
  setTheme(theme: Theme): void;
  setConnection(status: ConnectionStatus, transport: Transport): void;
  setActiveChat(id: string | null): void;
  setAtBottom(v: boolean): void;
  toast(text: string, kind?: Toast['kind']): void;
  dismiss(id: number): void;
}

const THEME_KEY = 'confab.theme';
let toastId = 0;

export const useUi = create<UiState>()((set, get) => ({
  theme: (localStorage.getItem(THEME_KEY) as Theme) || 'system',
  connection: 'offline',
  transport: 'websocket',
  everOnline: false,
  activeChatId: null,
  atBottom: true,
  toasts: [],
  setTheme(theme) {
    localStorage.setItem(THEME_KEY, theme);
    set({ theme });
    applyTheme(theme);
  },
  setConnection(connection, transport) {
    set({ connection, transport, everOnline: get().everOnline || connection === 'online' });
  },
  setActiveChat(activeChatId) {
    set({ activeChatId });
  },
  setAtBottom(atBottom) {
    if (get().atBottom !== atBottom) set({ atBottom });
  },
  toast(text, kind = 'info') {
    const id = ++toastId;
    set({ toasts: [...get().toasts, { id, text, kind }] });
    setTimeout(() => get().dismiss(id), kind === 'error' ? 6000 : 3000);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
}));

export function applyTheme(theme: Theme) {
  const dark = theme === 'dark' || (theme === 'system' && window.matchMedia?.('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', !!dark);
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', dark ? '#0f172a' : '#ffffff');
}
