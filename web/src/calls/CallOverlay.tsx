// Incoming-call banners and the in-call view, drawn over the app shell.
import { useEffect, useRef, useState } from 'react';
import { Avatar } from '../components/Avatar';
import { useChats } from '../stores/chats';
import { CallIcon, type CallIconName } from './icons';
import { acceptCall, declineCall, displayName, hangUp, toggleCamera, toggleMute, toggleScreenShare } from './manager';
import { useCalls, type IncomingCall, type PeerState } from './store';

export function CallOverlay() {
  // Select the record itself (a stable reference): a fresh array per call would re-render for ever.
  const incomingById = useCalls((s) => s.incoming);
  const incoming = Object.values(incomingById);
  const active = useCalls((s) => s.active);
  const notice = useCalls((s) => s.notice);
  const setNotice = useCalls((s) => s.setNotice);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 5000);
    return () => clearTimeout(t);
  }, [notice, setNotice]);
  return (
    <>
      <div className="pointer-events-none fixed inset-x-0 top-3 z-50 flex flex-col items-center gap-2 px-3">
        {incoming.map((call) => <IncomingBanner key={call.callId} call={call} busy={active !== null} />)}
        {notice && !active && (
          <div className="pointer-events-auto rounded-full bg-slate-900/90 px-4 py-1.5 text-sm text-white shadow-lg" role="status" data-testid="call-notice">{notice}</div>
        )}
      </div>
      {active && <InCall />}
    </>
  );
}

function IncomingBanner({ call, busy }: { call: IncomingCall; busy: boolean }) {
  const chat = useChats((s) => s.byId[call.chatId]);
  const caller = displayName(call.callerId, call.chatId);
  return (
    <div className="pointer-events-auto flex w-full max-w-md items-center gap-3 rounded-2xl bg-white p-3 shadow-2xl ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700"
      role="alertdialog" aria-label={`Incoming call from ${caller}`} data-testid="incoming-call" data-call-id={call.callId}>
      <span className="relative">
        <span className="absolute inset-0 animate-ping rounded-full bg-emerald-400/40" aria-hidden="true" />
        <Avatar name={caller} seed={call.callerId} />
      </span>
      <div className="min-w-0 flex-1">
        <p className="truncate font-semibold">{caller}</p>
        <p className="truncate text-sm text-slate-500 dark:text-slate-400">
          Incoming {call.video ? 'video' : 'voice'} call{chat?.type === 'group' ? ` · ${chat.name}` : ''}
        </p>
      </div>
      <button type="button" onClick={() => declineCall(call.callId)} aria-label="Decline" title="Decline" data-testid="call-decline"
        className="rounded-full bg-rose-600 p-3 text-white shadow hover:bg-rose-700">
        <CallIcon name="hangup" />
      </button>
      <button type="button" onClick={() => void acceptCall(call.callId)} disabled={busy} aria-label="Accept" title={busy ? 'Hang up first' : 'Accept'} data-testid="call-accept"
        className="rounded-full bg-emerald-600 p-3 text-white shadow hover:bg-emerald-700 disabled:opacity-40">
        <CallIcon name={call.video ? 'video' : 'phone'} />
      </button>
    </div>
  );
}

function useElapsed(since: number | null): string {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!since) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [since]);
  if (!since) return '';
  const seconds = Math.max(0, Math.floor((now - since) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function InCall() {
  const active = useCalls((s) => s.active)!;
  const chat = useChats((s) => s.byId[active.chatId]);
  const elapsed = useElapsed(active.connectedAt);
  const peers = Object.values(active.peers);
  const title = chat?.name ?? 'Call';
  const status = active.status === 'starting' ? 'Starting…' : active.status === 'ringing' ? 'Ringing…'
    : active.status === 'connecting' ? 'Connecting…' : elapsed;
  return (
    <div className="fixed inset-0 z-40 flex flex-col bg-slate-950 text-white" role="dialog" aria-label={`Call with ${title}`}
      data-testid="call-view" data-call-status={active.status} data-call-id={active.callId ?? ''}>
      <header className="flex items-center justify-between px-5 py-3">
        <div className="min-w-0">
          <h2 className="truncate text-lg font-semibold">{title}</h2>
          <p className="text-sm text-slate-300" data-testid="call-status">{status}</p>
        </div>
        <span className="rounded-full bg-white/10 px-3 py-1 text-xs">{active.video ? 'Video call' : 'Voice call'}</span>
      </header>
      <div className={`grid min-h-0 flex-1 gap-2 p-3 ${peers.length > 4 ? 'grid-cols-3' : peers.length > 1 ? 'grid-cols-2' : 'grid-cols-1'}`}>
        {peers.length === 0 && (
          <div className="flex items-center justify-center">
            <Avatar name={title} seed={chat?.peer?.id ?? active.chatId} size="lg" />
          </div>
        )}
        {peers.map((p) => <RemoteTile key={p.userId} peer={p} chatId={active.chatId} video={active.video} />)}
      </div>
      {active.video && active.local && (
        <LocalPreview stream={active.local} hidden={active.cameraOff && !active.sharing} />
      )}
      <footer className="flex items-center justify-center gap-4 pb-6 pt-2">
        <Control icon={active.muted ? 'micOff' : 'mic'} label={active.muted ? 'Unmute' : 'Mute'} pressed={active.muted} onClick={toggleMute} testId="call-mute" />
        {active.video && (
          <>
            <Control icon={active.cameraOff ? 'videoOff' : 'video'} label={active.cameraOff ? 'Turn camera on' : 'Turn camera off'} pressed={active.cameraOff} onClick={toggleCamera} testId="call-camera" />
            <Control icon="screen" label={active.sharing ? 'Stop sharing' : 'Share screen'} pressed={active.sharing} onClick={() => void toggleScreenShare()} testId="call-share" />
          </>
        )}
        <button type="button" onClick={hangUp} aria-label="Hang up" title="Hang up" data-testid="call-hangup"
          className="rounded-full bg-rose-600 p-4 shadow-lg hover:bg-rose-700">
          <CallIcon name="hangup" className="h-6 w-6" />
        </button>
      </footer>
    </div>
  );
}

function Control({ icon, label, pressed, onClick, testId }: { icon: CallIconName; label: string; pressed: boolean; onClick: () => void; testId: string }) {
  return (
    <button type="button" onClick={onClick} aria-label={label} title={label} aria-pressed={pressed} data-testid={testId}
      className={`rounded-full p-4 shadow-lg ${pressed ? 'bg-white text-slate-900' : 'bg-white/15 text-white hover:bg-white/25'}`}>
      <CallIcon name={icon} className="h-6 w-6" />
    </button>
  );
}

function RemoteTile({ peer, chatId, video }: { peer: PeerState; chatId: string; video: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== peer.stream) ref.current.srcObject = peer.stream;
  }, [peer.stream]);
  const name = displayName(peer.userId, chatId);
  return (
    <div className="relative flex min-h-0 items-center justify-center overflow-hidden rounded-2xl bg-slate-900" data-testid="call-peer" data-user-id={peer.userId} data-connection={peer.connection}>
      {/* Audio plays through the element too, so a voice call keeps it (hidden). */}
      <video ref={ref} autoPlay playsInline className={video ? 'h-full w-full object-cover' : 'hidden'} data-testid="remote-video" />
      {!video && <Avatar name={name} seed={peer.userId} size="lg" />}
      <span className="absolute bottom-2 left-2 rounded-full bg-black/50 px-2 py-0.5 text-xs">{name}{peer.connection !== 'connected' ? ` · ${peer.connection}` : ''}</span>
    </div>
  );
}

function LocalPreview({ stream, hidden }: { stream: MediaStream; hidden: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.srcObject = stream;
  }, [stream]);
  return (
    <video ref={ref} autoPlay playsInline muted data-testid="local-video"
      className={`absolute bottom-24 right-4 h-32 w-44 rounded-xl object-cover shadow-2xl ring-2 ring-white/20 sm:h-40 sm:w-56 ${hidden ? 'invisible' : ''}`} />
  );
}
