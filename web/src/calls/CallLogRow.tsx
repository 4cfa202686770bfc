// A call log entry in the conversation: the system line of action call_ended (docs/subsystems/calls.md).
import { formatTime } from '../lib/time';
import type { Message } from '../lib/types';
import { CallIcon } from './icons';

export function callSummary(message: Message, me: string | undefined): string {
  const call = message.call;
  const kind = call?.video ? 'video call' : 'voice call';
  if (!call) return message.content;
  const outgoing = message.senderId === me;
  switch (call.outcome) {
    case 'ended': {
      const m = Math.floor(call.durationSec / 60);
      const s = String(call.durationSec % 60).padStart(2, '0');
      return `${kind[0].toUpperCase()}${kind.slice(1)} · ${m}:${s}`;
    }
    case 'declined':
      return outgoing ? `${kind[0].toUpperCase()}${kind.slice(1)} declined` : `You declined a ${kind}`;
    default:
      return outgoing ? `${kind[0].toUpperCase()}${kind.slice(1)} · no answer` : `Missed ${kind}`;
  }
}

export function CallLogRow({ message, me }: { message: Message; me: string | undefined }) {
  const missed = message.call && message.call.outcome !== 'ended' && message.senderId !== me;
  return (
    <div className="flex justify-center px-3 py-2" data-message-id={message.id} data-testid="call-log" data-outcome={message.call?.outcome}>
      <span className={`inline-flex items-center gap-2 rounded-full px-3 py-1 text-xs font-medium shadow-sm ring-1 ${missed
        ? 'bg-rose-50 text-rose-700 ring-rose-200 dark:bg-rose-950/40 dark:text-rose-300 dark:ring-rose-900'
        : 'bg-slate-50 text-slate-600 ring-slate-200 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-700'}`}>
        <CallIcon name={message.call?.video ? 'video' : 'phone'} className="h-4 w-4" />
        {callSummary(message, me)}
        <span className="text-slate-400">{formatTime(message.createdAt)}</span>
      </span>
    </div>
  );
}
