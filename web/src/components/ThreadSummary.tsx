import { Avatar } from './Avatar';
import { formatTime } from '../lib/time';
import type { Message } from '../lib/types';
import { threadSeenCount } from '../stores/threads';

/** Under a root in the timeline: reply count, last reply time, who replied; a dot for unseen replies. */
export function ThreadSummaryButton({ message, nameOf, onOpen }: { message: Message; nameOf: (id: string) => string; onOpen: () => void }) {
  const t = message.thread!;
  const unseen = t.replyCount > threadSeenCount(message.id);
  return (
    <button type="button" onClick={onOpen} data-testid="thread-summary" data-reply-count={t.replyCount}
      className="mt-1 inline-flex items-center gap-1.5 rounded-lg px-1.5 py-0.5 text-xs font-semibold text-accent-700 hover:bg-accent-50 dark:text-accent-200 dark:hover:bg-slate-800">
      <span className="flex -space-x-1.5">
        {t.participants.slice(0, 3).map((id) => <Avatar key={id} name={nameOf(id)} seed={id} size="xs" />)}
      </span>
      {t.replyCount} {t.replyCount === 1 ? 'reply' : 'replies'}
      {t.lastReplyAt && <span className="font-normal text-slate-500">· last {formatTime(t.lastReplyAt)}</span>}
      {unseen && <span className="h-2 w-2 rounded-full bg-accent-500" aria-label="New replies" data-testid="thread-unread" />}
    </button>
  );
}

