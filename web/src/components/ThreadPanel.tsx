// The thread side panel (docs/subsystems/chats-messages.md, "Threads"): the root, its replies,
// a composer for replies, and the thread's own unread state (the server's per-thread read
// position). Replies arrive through the stream like any message (sync/handlers.ts).
import { useEffect, useMemo, useRef, useState } from 'react';
import { Icon } from './Icon';
import { MessageRow, type MessageActions } from './MessageRow';
import { useMentionAutocomplete } from './MentionAutocomplete';
import * as chatApi from '../lib/chatApi';
import { newId } from '../lib/ids';
import type { Chat, Message } from '../lib/types';
import { useAuth } from '../stores/auth';
import { useMessages } from '../stores/messages';
import { markThreadSeen, useThreads } from '../stores/threads';
import { useUi } from '../stores/ui';

export function ThreadPanel({ chat, rootId, highlightId, actions, onClose }: {
  chat: Chat; rootId: string; highlightId: string | null; actions: MessageActions; onClose: () => void;
}) {
  const me = useAuth((s) => s.user!.id);
  const toast = useUi((s) => s.toast);
  const replies = useThreads((s) => s.replies[rootId]);
  const rootInTimeline = useMessages((s) => s.windows[chat.id]?.items.find((m) => m.id === rootId));
  const [root, setRoot] = useState<Message | null>(null);
  const [firstUnread, setFirstUnread] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const mention = useMentionAutocomplete(chat, me, area, text, setText);

  useEffect(() => {
    let alive = true;
    setError(null);
    chatApi.fetchThread(rootId).then((page) => {
      if (!alive) return;
      setRoot(page.root);
      useThreads.getState().setReplies(rootId, page.replies);
      const unread = page.replies.find((r) => (r.position ?? 0) > page.lastReadPosition && r.senderId !== me);
      setFirstUnread(unread?.id ?? null);
    }, (e) => alive && setError((e as Error).message));
    return () => {
      alive = false;
    };
  }, [rootId, me]);

  // Whatever is shown is read: move the thread's read position to the newest reply.
  const newest = replies?.[replies.length - 1];
  useEffect(() => {
    if (!replies) return;
    markThreadSeen(rootId, replies.length);
    if (newest?.id && !newest.id.startsWith('pending:')) void chatApi.markThreadRead(rootId, newest.id).catch(() => undefined);
  }, [rootId, newest?.id, replies]);

  useEffect(() => {
    const el = list.current;
    if (!el || !replies) return;
    const target = highlightId ? el.querySelector(`[data-message-id="${highlightId}"]`) : null;
    if (target) target.scrollIntoView({ block: 'center' });
    else el.scrollTop = el.scrollHeight;
  }, [replies, highlightId]);

  const threadActions: MessageActions = useMemo(() => ({ ...actions, openThread: undefined, reply: () => area.current?.focus() }), [actions]);

  const send = async () => {
    const content = text.trim();
    if (!content) return;
    setText('');
    try {
      await chatApi.sendThreadReply(chat.id, rootId, content, newId());
    } catch (e) {
      setText(content);
      toast((e as Error).message, 'error');
    }
  };

  const shownRoot = rootInTimeline ?? root;
  return (
    <aside className="flex w-full max-w-md shrink-0 flex-col border-l border-slate-200 bg-white sm:w-96 dark:border-slate-800 dark:bg-slate-950"
      aria-label="Thread" data-testid="thread-panel" data-root-id={rootId}>
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <h2 className="font-semibold">Thread</h2>
        <button type="button" onClick={onClose} className="rounded-lg p-1.5 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Close thread">
          <Icon name="x" className="h-4 w-4" />
        </button>
      </div>
      <div ref={list} className="min-h-0 flex-1 overflow-y-auto pb-3">
        {error && <p className="p-4 text-sm text-rose-600" role="alert">{error}</p>}
        {shownRoot && (
          <div className="border-b border-slate-100 pb-2 dark:border-slate-800">
            <MessageRow message={shownRoot} own={shownRoot.senderId === me} groupStart dayStart={false} showSender canDelete={false}
              receipt={null} readBy={null} highlighted={false} me={me} actions={threadActions} />
          </div>
        )}
        {replies && replies.length === 0 && <p className="p-4 text-center text-sm text-slate-400">No replies yet</p>}
        {replies?.map((r, i) => (
          <div key={r.id}>
            {r.id === firstUnread && (
              <div className="my-2 flex items-center gap-2 px-4 text-xs font-semibold text-rose-600" role="separator" data-testid="thread-new-divider">
                <span className="h-px flex-1 bg-rose-300" />New replies<span className="h-px flex-1 bg-rose-300" />
              </div>
            )}
            <MessageRow message={r} previous={replies[i - 1]} own={r.senderId === me} groupStart={replies[i - 1]?.senderId !== r.senderId}
              dayStart={false} showSender canDelete={r.senderId === me} receipt={null} readBy={null}
              highlighted={r.id === highlightId} me={me} actions={threadActions} />
          </div>
        ))}
      </div>
      <div className="relative border-t border-slate-200 p-3 dark:border-slate-800">
        {mention.popup}
        <div className="flex items-end gap-2 rounded-2xl bg-slate-100 px-2 py-1 dark:bg-slate-900">
          <textarea ref={area} rows={1} value={text} onChange={(e) => setText(e.target.value)} aria-label="Thread reply" placeholder="Reply…"
            onKeyDown={(e) => {
              if (mention.onKeyDown(e)) return;
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                void send();
              } else if (e.key === 'Escape') onClose();
            }}
            className="max-h-[160px] min-h-[36px] flex-1 resize-none bg-transparent px-1 py-1.5 text-[15px] outline-none" />
          <button type="button" onClick={() => void send()} disabled={!text.trim()} aria-label="Send reply"
            className="rounded-xl bg-accent-600 p-2 text-white disabled:opacity-40"><Icon name="send" className="h-4 w-4" /></button>
        </div>
      </div>
    </aside>
  );
}
