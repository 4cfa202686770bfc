// The signed-in session (tokens + user), kept in localStorage so every tab shares it. Refresh
// tokens rotate and each works only once (presenting a used one revokes the session), so two
// tabs must never refresh with the same token: refreshes run under a cross-tab Web Lock, and a
// tab that gets the lock after another tab refreshed simply picks up the new tokens.

import type { User } from './types';

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: User;
}

const KEY = 'confab.session';
type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw);
    return parsed && parsed.accessToken && parsed.refreshToken && parsed.user ? parsed : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null) {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  listeners.forEach((l) => l(session));
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

if (typeof window !== 'undefined') {
  // Another tab signed in, out, or refreshed.
  window.addEventListener('storage', (e) => {
    if (e.key === KEY) listeners.forEach((l) => l(loadSession()));
  });
}

/** Expiry of a JWT in epoch ms (from its exp claim), or null when unreadable. */
export function tokenExpiry(token: string): number | null {
  try {
    const payload = token.split('.')[1];
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof json.exp === 'number' ? json.exp * 1000 : null;
  } catch {
    return null;
  }
}

/** True when the token expires within the margin (or cannot be read). */
export function expiresSoon(token: string, now = Date.now(), marginMs = 60_000): boolean {
  const exp = tokenExpiry(token);
  return exp === null ? false : exp - now < marginMs;
}

export async function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  if (locks && typeof locks.request === 'function') {
    return locks.request('confab-token-refresh', fn) as Promise<T>;
  }
  return fn();
}
