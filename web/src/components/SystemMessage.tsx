import { decodeEntities } from '../lib/format';
import { formatFull, formatTime } from '../lib/time';
import type { Message } from '../lib/types';

/** What a system message says, in words, with names from the chat's members. */
export function systemText(m: Message, nameOf: (userId: string) => string): string {
  const s = m.system;
  if (!s) return '';
  const actor = s.actorId ? nameOf(s.actorId) : 'Someone';
  const targets = s.targetIds.map(nameOf).join(', ');
  switch (s.action) {
    case 'member_added': return `${actor} added ${targets}`;
    case 'member_removed': return `${actor} removed ${targets}`;
    case 'member_left': return `${actor} left`;
    case 'chat_renamed': return `${actor} renamed the group to “${decodeEntities(s.name ?? '')}”`;
    case 'description_changed': return s.description ? `${actor} changed the description to “${decodeEntities(s.description)}”` : `${actor} removed the description`;
    default: return `${actor} changed the chat`;
  }
}

/** A centered grey line in the timeline: joins, leaves, renames (never a bubble, no actions). */
export function SystemMessage({ message, nameOf }: { message: Message; nameOf: (userId: string) => string }) {
  return (
    <div className="flex justify-center px-3 py-1.5" data-message-id={message.id} data-system={message.system?.action ?? ''} role="note">
      <span className="max-w-[85%] rounded-full bg-slate-100 px-3 py-0.5 text-center text-xs text-slate-500 dark:bg-slate-800/80 dark:text-slate-400">
        {systemText(message, nameOf)} · <time dateTime={message.createdAt} title={formatFull(message.createdAt)}>{formatTime(message.createdAt)}</time>
      </span>
    </div>
  );
}
