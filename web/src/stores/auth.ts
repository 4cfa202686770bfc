import { create } from 'zustand';
import { loadSession, onSessionChange, saveSession, type Session } from '../lib/session';
import * as chatApi from '../lib/chatApi';
import { normalizeUser } from '../lib/normalize';
import type { User } from '../lib/types';

interface AuthState {
  user: User | null;
  signIn(body: { accessToken?: string; refreshToken?: string; user?: unknown }): void;
  login(username: string, password: string): Promise<void>;
  register(username: string, password: string, passwordConfirm: string, inviteToken?: string): Promise<void>;
  logout(): Promise<void>;
  setUser(user: User): void;
}

export const useAuth = create<AuthState>()((set, get) => ({
  user: loadSession()?.user ?? null,
  signIn(body) {
    if (!body.accessToken || !body.refreshToken || !body.user) throw new Error('The server did not sign you in');
    const session: Session = { accessToken: body.accessToken, refreshToken: body.refreshToken, user: normalizeUser(body.user) };
    saveSession(session);
  },
  async login(username, password) {
    get().signIn(await chatApi.login(username, password));
  },
  async register(username, password, passwordConfirm, inviteToken) {
    const body = await chatApi.register(username, password, passwordConfirm, inviteToken);
    if (body?.accessToken) get().signIn(body);
    else get().signIn(await chatApi.login(username, password));
  },
  async logout() {
    const session = loadSession();
    saveSession(null);
    if (session) {
      try {
        await chatApi.logout(session.refreshToken);
      } catch {
        // the session is gone locally either way
      }
    }
  },
  setUser(user) {
    const session = loadSession();
    if (session) saveSession({ ...session, user });
    else set({ user });
  },
}));

onSessionChange((session) => {
  const current = useAuth.getState().user;
  const next = session?.user ?? null;
  if (current?.id !== next?.id || JSON.stringify(current) !== JSON.stringify(next)) useAuth.setState({ user: next });
});

export const myId = () => useAuth.getState().user?.id ?? '';
