// "New messages": where the reader left off. When a chat opens with unread messages, the first
// unread one (the first message by someone else after the reader's read position) gets a divider
// above it and the list starts there instead of at the bottom; a pill jumps back to it, and Esc
// marks the whole chat read. The divider stays put while the chat is open (like Slack's), so
// reading does not make it jump away; it is worked out once, when the chat opens.
import { useEffect, useState } from 'react';
import * as chatApi from '../../lib/chatApi';
import type { Chat, Message } from '../../lib/types';
import { markSeen } from '../../sync';
import { useChats } from '../../stores/chats';
import { Icon } from '../../components/Icon';

/** The id of the first unread message in `rows`, or null (nothing unread, or not loaded). */
export function firstUnreadId(chat: Chat, rows: Message[], me: string): string | null {
  if (!chat.unreadCount) return null;
  const mine = chat.participants.find((p) => p.id === me);
  const readPosition = mine?.lastReadPosition ?? null;
  const readIndex = mine?.lastReadMessageId ? rows.findIndex((m) => m.id === mine.lastReadMessageId) : -1;
  for (let i = readIndex + 1; i < rows.length; i++) {
    const m = rows[i];
    if (m.pending || m.failed || m.senderId === me || m.isDeleted) continue;
    const position = m.position ?? Date.parse(m.createdAt);
    if (readIndex >= 0 || readPosition == null || position > readPosition) return m.id;
  }
  return null;
}

export function UnreadDivider({ count }: { count: number }) {
  return (
    <div className="flex items-center gap-3 px-4 pb-1 pt-3 sm:px-6" role="separator" aria-label="New messages" data-testid="unread-divider">
      <span className="h-px flex-1 bg-rose-400/70" />
      <span className="text-xs font-semibold uppercase tracking-wide text-rose-600 dark:text-rose-400">New messages{count > 0 ? ` (${count})` : ''}</span>
      <span className="h-px flex-1 bg-rose-400/70" />
    </div>
  );
}

/** Shown while the divider is above the viewport: scrolls back to the first unread. */
export function JumpToUnread({ onJump, onMarkRead }: { onJump: () => void; onMarkRead: () => void }) {
  return (
    <div className="absolute left-1/2 top-2 z-20 flex -translate-x-1/2 items-center overflow-hidden rounded-full bg-accent-600 text-xs font-semibold text-white shadow-lg">
      <button type="button" onClick={onJump} className="inline-flex items-center gap-1.5 px-3 py-1.5 hover:bg-accent-700" aria-label="Jump to first unread">
        <Icon name="arrowDown" className="h-3.5 w-3.5 rotate-180" /> Jump to first unread
      </button>
      <button type="button" onClick={onMarkRead} className="border-l border-white/30 px-2.5 py-1.5 hover:bg-accent-700" aria-label="Mark as read" title="Mark as read (Esc)">
        <Icon name="check" className="h-3.5 w-3.5" strokeWidth={2.5} />
      </button>
    </div>
  );
}

/** Marks everything in the chat read: the newest loaded message, and the chat's newest if history is open. */
export function markChatRead(chat: Chat, rows: Message[], hasNewer: boolean) {
  for (let i = rows.length - 1; i >= 0; i--) {
    if (!rows[i].pending && !rows[i].failed) {
      markSeen(chat.id, rows[i].id);
      break;
    }
  }
  if (hasNewer && chat.lastMessage?.id) {
    void chatApi.markRead(chat.id, chat.lastMessage.id).then(() => useChats.getState().patch(chat.id, (c) => ({ ...c, unreadCount: 0 })), () => undefined);
  }
}

/** Esc anywhere in the chat (when nothing else took it: a dialog, a reply, an edit) marks it read. */
export function useEscapeMarksRead(onEscape: () => void) {
  const [handler] = useState(() => ({ current: onEscape }));
  handler.current = onEscape;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || e.isComposing) return;
      if (document.querySelector('[role="dialog"], [role="alertdialog"], [role="menu"], [role="listbox"]')) return;
      handler.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [handler]);
}
