// The voice and video call buttons of a chat's header.
import type { Chat } from '../lib/types';
import { CallIcon } from './icons';
import { startCall } from './manager';
import { useCalls } from './store';

const MAX_PARTICIPANTS = 8;

export function CallButtons({ chat }: { chat: Chat }) {
  const busy = useCalls((s) => s.active !== null);
  const members = Math.max(chat.participantCount, chat.participants.length);
  if (chat.type === 'group' && (members < 2 || members > MAX_PARTICIPANTS)) return null;
  const label = chat.type === 'group' ? 'group ' : '';
  const button = 'rounded-lg p-2 text-slate-500 hover:bg-slate-100 disabled:opacity-40 dark:hover:bg-slate-800';
  return (
    <>
      <button type="button" className={button} disabled={busy} aria-label={`Start a ${label}voice call`} title="Voice call"
        data-testid="call-voice" onClick={() => void startCall(chat.id, false)}>
        <CallIcon name="phone" />
      </button>
      <button type="button" className={button} disabled={busy} aria-label={`Start a ${label}video call`} title="Video call"
        data-testid="call-video" onClick={() => void startCall(chat.id, true)}>
        <CallIcon name="video" />
      </button>
    </>
  );
}
