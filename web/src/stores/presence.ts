import { create } from 'zustand';
import type { PresenceStatus } from '../lib/types';

interface Typist {
  name: string;
  until: number;
}

interface PresenceState {
  users: Record<string, { status: PresenceStatus; lastSeen?: string | null }>;
  /** Whether the live connection is up: without it no status shown can be trusted. */
  connected: boolean;
  setConnected(connected: boolean): void;
  typing: Record<string, Record<string, Typist>>;
  setStatus(userId: string, status: PresenceStatus, lastSeen?: string | null): void;
  /** A snapshot from a REST answer: only for users no live event has told us about. */
  suggestStatus(userId: string, status: PresenceStatus, lastSeen?: string | null): void;
  /** After a reconnect live events may have been missed: let snapshots count again. */
  forgetLive(): void;
  startTyping(chatId: string, userId: string, name: string): void;
  stopTyping(chatId: string, userId: string): void;
  expireTyping(now: number): void;
  reset(): void;
}

export const TYPING_TTL_MS = 6000;
const live = new Set<string>();

export const usePresence = create<PresenceState>()((set, get) => ({
  users: {},
  connected: false,
  setConnected(connected) {
    if (get().connected !== connected) set({ connected });
  },
  typing: {},
  suggestStatus(userId, status, lastSeen) {
    if (live.has(userId)) return;
    const prev = get().users[userId];
    if (prev && prev.status === status && prev.lastSeen === (lastSeen ?? prev.lastSeen)) return;
    set({ users: { ...get().users, [userId]: { status, lastSeen: lastSeen ?? prev?.lastSeen ?? null } } });
  },
  forgetLive() {
    live.clear();
  },
  setStatus(userId, status, lastSeen) {
    live.add(userId);
    const prev = get().users[userId];
    set({ users: { ...get().users, [userId]: { status, lastSeen: lastSeen ?? prev?.lastSeen ?? null } } });
  },
  startTyping(chatId, userId, name) {
    const chat = { ...(get().typing[chatId] ?? {}), [userId]: { name, until: Date.now() + TYPING_TTL_MS } };
    set({ typing: { ...get().typing, [chatId]: chat } });
  },
  stopTyping(chatId, userId) {
    const current = get().typing[chatId];
    if (!current?.[userId]) return;
    const chat = { ...current };
    delete chat[userId];
    set({ typing: { ...get().typing, [chatId]: chat } });
  },
  expireTyping(now) {
    let changed = false;
    const typing: PresenceState['typing'] = {};
    for (const [chatId, users] of Object.entries(get().typing)) {
      const kept: Record<string, Typist> = {};
      for (const [userId, t] of Object.entries(users)) {
        if (t.until > now) kept[userId] = t;
        else changed = true;
      }
      typing[chatId] = kept;
    }
    if (changed) set({ typing });
  },
  reset() {
    live.clear();
    set({ users: {}, typing: {}, connected: false });
  },
}));

/**
 * The status to show for a user: what we know, but never "online" or "away" while our own
 * connection is down (we would not hear them leave), and then also without typing.
 */
export function shownStatus(s: Pick<PresenceState, 'users' | 'connected'>, userId: string | undefined, snapshot?: PresenceStatus): PresenceStatus {
  if (!userId || !s.connected) return 'offline';
  return s.users[userId]?.status ?? snapshot ?? 'offline';
}
