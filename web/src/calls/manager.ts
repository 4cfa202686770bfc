// One device's side of calls: the WebRTC peer connections (one per other participant: a mesh,
// docs/subsystems/calls.md) and the signalling over the chat's WebSocket. Only the device that
// started or answered a call holds it; the user's other devices see the same events and ignore
// those of a call they are not in.

import { api } from '../lib/http';
import type { EventData } from '../lib/types';
import { useChats } from '../stores/chats';
import { currentEngine } from '../sync';
import { startRinging, stopRinging } from './ringtone';
import { useCalls, type ActiveCall } from './store';

interface CallAck {
  callId: string;
  chatId: string;
  video: boolean;
  state: 'ringing' | 'active' | 'ended';
  outcome: string | null;
  participants: string[];
  joined: string[];
}

const peers = new Map<string, RTCPeerConnection>();
/** ICE candidates that arrived before the remote description they belong to. */
const earlyCandidates = new Map<string, RTCIceCandidateInit[]>();
let iceServers: RTCIceServer[] | null = null;
let cameraTrack: MediaStreamTrack | null = null;
let screenTrack: MediaStreamTrack | null = null;

// The browser tests read the connections' state and statistics through this.
(globalThis as unknown as { __confabCalls?: unknown }).__confabCalls = { peers };

// Leaving the page ends our part in the call at once (the server would otherwise notice only
// when this device's connection is gone, and a reload reconnects within seconds).
if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', () => {
    if (useCalls.getState().active) hangUp();
  });
}

function me(): string | undefined {
  return currentEngine()?.me;
}

function request<T>(type: string, data: unknown): Promise<T> {
  const engine = currentEngine();
  if (!engine) return Promise.reject(new Error('Not signed in'));
  return engine.realtime.request<T>(type, data, 15_000);
}

export function displayName(userId: string, chatId?: string): string {
  const chats = useChats.getState().byId;
  const lists = chatId && chats[chatId] ? [chats[chatId]] : Object.values(chats);
  for (const chat of lists) {
    const user = chat.peer?.id === userId ? chat.peer : chat.participants.find((p) => p.id === userId);
    if (user) return user.displayName || user.username;
  }
  return 'Someone';
}

async function loadIceServers(): Promise<RTCIceServer[]> {
  try {
    const config = await api<{ iceServers: RTCIceServer[] }>('/api/calls/ice-servers');
    iceServers = config.iceServers;
  } catch {
    iceServers = iceServers ?? [];
  }
  return iceServers;
}

async function openMedia(video: boolean): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({ audio: true, video: video ? { width: 640, height: 480 } : false });
}

function stopMedia(stream: MediaStream | null) {
  stream?.getTracks().forEach((t) => t.stop());
}

function emptyCall(chatId: string, video: boolean, status: ActiveCall['status']): ActiveCall {
  return { callId: null, chatId, video, status, connectedAt: null, peers: {}, local: null, muted: false, cameraOff: false, sharing: false };
}

function askNotificationPermission() {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
    void Notification.requestPermission().catch(() => undefined);
  }
}

// ---------------------------------------------------------------- actions

export async function startCall(chatId: string, video: boolean) {
  const calls = useCalls.getState();
  if (calls.active) return;
  askNotificationPermission();
  calls.setNotice(null);
  calls.setActive(emptyCall(chatId, video, 'starting'));
  let local: MediaStream | null = null;
  try {
    [local] = await Promise.all([openMedia(video), loadIceServers()]);
    cameraTrack = local.getVideoTracks()[0] ?? null;
    useCalls.getState().patchActive({ local });
    const ack = await request<CallAck>('call:invite', { chatId, video });
    if (ack.state === 'ended') {
      stopMedia(local);
      useCalls.getState().setActive(null);
      const chat = useChats.getState().byId[chatId];
      useCalls.getState().setNotice(`${chat?.type === 'direct' && chat.peer ? chat.peer.displayName || chat.peer.username : 'Nobody'} is not available right now`);
      return;
    }
    useCalls.getState().patchActive({ callId: ack.callId, status: 'ringing' });
  } catch (e) {
    stopMedia(local);
    useCalls.getState().setActive(null);
    useCalls.getState().setNotice(`Could not start the call: ${(e as Error).message}`);
  }
}

export async function acceptCall(callId: string) {
  const calls = useCalls.getState();
  const incoming = calls.incoming[callId];
  if (!incoming || calls.active) return;
  stopRinging();
  calls.dropIncoming(callId);
  calls.setActive({ ...emptyCall(incoming.chatId, incoming.video, 'connecting'), callId });
  let local: MediaStream | null = null;
  try {
    [local] = await Promise.all([openMedia(incoming.video), loadIceServers()]);
    cameraTrack = local.getVideoTracks()[0] ?? null;
    useCalls.getState().patchActive({ local });
    const ack = await request<CallAck>('call:accept', { callId });
    // Whoever joins offers to everyone already in the call.
    for (const userId of ack.joined) {
      if (userId !== me()) void offerTo(callId, userId);
    }
  } catch (e) {
    stopMedia(local);
    useCalls.getState().setActive(null);
    useCalls.getState().setNotice(`Could not answer: ${(e as Error).message}`);
  }
}

export function declineCall(callId: string) {
  const calls = useCalls.getState();
  calls.dropIncoming(callId);
  if (Object.keys(useCalls.getState().incoming).length === 0) stopRinging();
  void request('call:decline', { callId }).catch(() => undefined);
}

export function hangUp() {
  const active = useCalls.getState().active;
  if (!active) return;
  if (active.callId) void request('call:hangup', { callId: active.callId }).catch(() => undefined);
  endLocally(null);
}

export function toggleMute() {
  const active = useCalls.getState().active;
  if (!active?.local) return;
  const muted = !active.muted;
  active.local.getAudioTracks().forEach((t) => (t.enabled = !muted));
  useCalls.getState().patchActive({ muted });
}

export function toggleCamera() {
  const active = useCalls.getState().active;
  if (!active?.local || !cameraTrack) return;
  const cameraOff = !active.cameraOff;
  cameraTrack.enabled = !cameraOff;
  useCalls.getState().patchActive({ cameraOff });
}

/** Screen share replaces the camera's track on every connection (no renegotiation needed). */
export async function toggleScreenShare() {
  const active = useCalls.getState().active;
  if (!active || !active.video) return;
  if (screenTrack) {
    stopSharing();
    return;
  }
  try {
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true });
    screenTrack = display.getVideoTracks()[0];
    screenTrack.onended = () => stopSharing();
    await replaceVideo(screenTrack);
    useCalls.getState().patchActive({ sharing: true });
  } catch {
    screenTrack = null;
  }
}

function stopSharing() {
  const track = screenTrack;
  screenTrack = null;
  track?.stop();
  void replaceVideo(cameraTrack);
  useCalls.getState().patchActive({ sharing: false });
}

async function replaceVideo(track: MediaStreamTrack | null) {
  for (const pc of peers.values()) {
    const sender = pc.getSenders().find((s) => s.track?.kind === 'video' || (s.track === null && track));
    if (sender) await sender.replaceTrack(track).catch(() => undefined);
  }
}

// ---------------------------------------------------------------- peer connections

function peer(callId: string, userId: string): RTCPeerConnection {
  const existing = peers.get(userId);
  if (existing) return existing;
  const pc = new RTCPeerConnection({ iceServers: iceServers ?? [] });
  peers.set(userId, pc);
  const local = useCalls.getState().active?.local;
  local?.getTracks().forEach((track) => pc.addTrack(screenTrack && track.kind === 'video' ? screenTrack : track, local));
  pc.onicecandidate = (e) => {
    if (e.candidate) void request('call:ice', { callId, toUserId: userId, candidate: e.candidate.toJSON() }).catch(() => undefined);
  };
  pc.ontrack = (e) => {
    const stream = e.streams[0] ?? new MediaStream([e.track]);
    useCalls.getState().patchPeer(userId, { stream });
  };
  pc.onconnectionstatechange = () => {
    const state = pc.connectionState;
    useCalls.getState().patchPeer(userId, { connection: state });
    const active = useCalls.getState().active;
    if (state === 'connected' && active && active.status !== 'connected') {
      useCalls.getState().patchActive({ status: 'connected', connectedAt: active.connectedAt ?? Date.now() });
    }
  };
  useCalls.getState().patchPeer(userId, { connection: 'waiting' });
  return pc;
}

async function offerTo(callId: string, userId: string) {
  const pc = peer(callId, userId);
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  await request('call:offer', { callId, toUserId: userId, sdp: pc.localDescription?.sdp ?? offer.sdp });
}

async function flushCandidates(userId: string) {
  const pc = peers.get(userId);
  const queued = earlyCandidates.get(userId) ?? [];
  earlyCandidates.delete(userId);
  for (const c of queued) await pc?.addIceCandidate(c).catch(() => undefined);
}

function closePeer(userId: string) {
  peers.get(userId)?.close();
  peers.delete(userId);
  earlyCandidates.delete(userId);
  useCalls.getState().removePeer(userId);
}

function endLocally(notice: string | null) {
  for (const userId of [...peers.keys()]) closePeer(userId);
  const active = useCalls.getState().active;
  stopMedia(active?.local ?? null);
  screenTrack?.stop();
  screenTrack = null;
  cameraTrack = null;
  useCalls.getState().setActive(null);
  useCalls.getState().setNotice(notice);
}

// ---------------------------------------------------------------- server events

function inThisCall(callId: string): boolean {
  return useCalls.getState().active?.callId === callId;
}

function notifyIncoming(call: EventData<'call:invite'>) {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  if (document.visibilityState === 'visible') return;
  try {
    const n = new Notification(`${displayName(call.callerId, call.chatId)} is calling`, {
      body: call.video ? 'Video call' : 'Voice call',
      tag: `call-${call.callId}`,
      requireInteraction: true,
    });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  } catch {
    // some platforms only allow notifications from a service worker
  }
}

export const callEvents = {
  invite(data: EventData<'call:invite'>) {
    if (inThisCall(data.callId)) return;
    useCalls.getState().setIncoming({ callId: data.callId, chatId: data.chatId, callerId: data.callerId, video: data.video, ringUntil: data.ringUntil });
    startRinging();
    notifyIncoming(data);
  },
  accept(data: EventData<'call:accept'>) {
    if (data.userId === me()) {
      // Answered on another device of ours: stop ringing here.
      if (!inThisCall(data.callId)) stopIncoming(data.callId);
      return;
    }
    if (inThisCall(data.callId)) {
      useCalls.getState().patchPeer(data.userId, { connection: 'waiting' });
      const active = useCalls.getState().active;
      if (active?.status === 'ringing') useCalls.getState().patchActive({ status: 'connecting' });
    }
  },
  decline(data: EventData<'call:decline'>) {
    if (data.userId === me()) {
      if (!inThisCall(data.callId)) stopIncoming(data.callId);
      return;
    }
    if (inThisCall(data.callId)) closePeer(data.userId);
  },
  async offer(data: EventData<'call:offer'>) {
    if (!inThisCall(data.callId)) return;
    const pc = peer(data.callId, data.fromUserId);
    await pc.setRemoteDescription({ type: 'offer', sdp: data.sdp });
    await flushCandidates(data.fromUserId);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await request('call:answer', { callId: data.callId, toUserId: data.fromUserId, sdp: pc.localDescription?.sdp ?? answer.sdp });
  },
  async answer(data: EventData<'call:answer'>) {
    const pc = peers.get(data.fromUserId);
    if (!inThisCall(data.callId) || !pc) return;
    await pc.setRemoteDescription({ type: 'answer', sdp: data.sdp });
    await flushCandidates(data.fromUserId);
  },
  async ice(data: EventData<'call:ice'>) {
    if (!inThisCall(data.callId)) return;
    const pc = peers.get(data.fromUserId);
    const candidate = data.candidate as RTCIceCandidateInit;
    if (pc?.remoteDescription) await pc.addIceCandidate(candidate).catch(() => undefined);
    else earlyCandidates.set(data.fromUserId, [...(earlyCandidates.get(data.fromUserId) ?? []), candidate]);
  },
  hangup(data: EventData<'call:hangup'>) {
    if (inThisCall(data.callId)) closePeer(data.userId);
  },
  ended(data: EventData<'call:ended'>) {
    stopIncoming(data.callId);
    if (!inThisCall(data.callId)) return;
    const notice = data.outcome === 'declined' ? 'The call was declined'
      : data.outcome === 'missed' ? 'No answer'
        : data.outcome === 'unavailable' ? 'Not available right now' : 'Call ended';
    endLocally(notice);
  },
};

function stopIncoming(callId: string) {
  useCalls.getState().dropIncoming(callId);
  if (Object.keys(useCalls.getState().incoming).length === 0) stopRinging();
}

/** Sign-out: end everything without telling anyone (the socket is closing anyway). */
export function resetCalls() {
  stopRinging();
  endLocally(null);
  useCalls.getState().reset();
}
