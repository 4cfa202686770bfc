// The state of calls as the UI shows it: calls ringing here, and the one call this device is in.
// The peer connections and media streams themselves live in manager.ts (not serialisable state).

import { create } from 'zustand';

export interface IncomingCall {
  callId: string;
  chatId: string;
  callerId: string;
  video: boolean;
  ringUntil: string;
}

export type CallStatus = 'starting' | 'ringing' | 'connecting' | 'connected';

export interface PeerState {
  userId: string;
  /** RTCPeerConnection.connectionState, or 'waiting' before the peer's offer or answer. */
  connection: string;
  stream: MediaStream | null;
}

export interface ActiveCall {
  callId: string | null;
  chatId: string;
  video: boolean;
  status: CallStatus;
  /** When the first peer connected (ms since epoch), for the timer. */
  connectedAt: number | null;
  peers: Record<string, PeerState>;
  local: MediaStream | null;
  muted: boolean;
  cameraOff: boolean;
  sharing: boolean;
}

interface CallStore {
  incoming: Record<string, IncomingCall>;
  active: ActiveCall | null;
  /** A short line after a call ends or fails ("Bob declined the call"). */
  notice: string | null;
  setIncoming(call: IncomingCall): void;
  dropIncoming(callId: string): void;
  setActive(active: ActiveCall | null): void;
  patchActive(patch: Partial<ActiveCall>): void;
  patchPeer(userId: string, patch: Partial<PeerState>): void;
  removePeer(userId: string): void;
  setNotice(notice: string | null): void;
  reset(): void;
}

export const useCalls = create<CallStore>((set) => ({
  incoming: {},
  active: null,
  notice: null,
  setIncoming: (call) => set((s) => ({ incoming: { ...s.incoming, [call.callId]: call } })),
  dropIncoming: (callId) =>
    set((s) => {
      if (!s.incoming[callId]) return s;
      const incoming = { ...s.incoming };
      delete incoming[callId];
      return { incoming };
    }),
  setActive: (active) => set({ active }),
  patchActive: (patch) => set((s) => (s.active ? { active: { ...s.active, ...patch } } : s)),
  patchPeer: (userId, patch) =>
    set((s) => {
      if (!s.active) return s;
      const before = s.active.peers[userId] ?? { userId, connection: 'waiting', stream: null };
      return { active: { ...s.active, peers: { ...s.active.peers, [userId]: { ...before, ...patch } } } };
    }),
  removePeer: (userId) =>
    set((s) => {
      if (!s.active?.peers[userId]) return s;
      const peers = { ...s.active.peers };
      delete peers[userId];
      return { active: { ...s.active, peers } };
    }),
  setNotice: (notice) => set({ notice }),
  reset: () => set({ incoming: {}, active: null, notice: null }),
}));
