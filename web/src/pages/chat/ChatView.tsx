// One open chat: header, message list, typing line, composer with uploads, details panel,
// image viewer, and dropping images anywhere on it.
import { useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { VirtuosoHandle } from 'react-virtuoso';
import { ChatDetails } from '../../components/ChatDetails';
import { Composer } from '../../components/Composer';
import { Icon } from '../../components/Icon';
import { ThreadPanel } from '../../components/ThreadPanel';
import { useThreads } from '../../stores/threads';
import type { MessageActions } from '../../components/MessageRow';
import { copyText } from '../../lib/clipboard';
import type { Attachment, Chat, Message } from '../../lib/types';
import { useAuth } from '../../stores/auth';
import { useMessages } from '../../stores/messages';
import { useUi } from '../../stores/ui';
import { deleteMessage, discardSend, loadLatest, retrySend, toggleReaction } from '../../sync';
import { ChatHeader, TypingIndicator } from './ChatHeader';
import { ImageViewer } from './ImageViewer';
import { MessageList } from './MessageList';
import { useUploads } from './useUploads';

export function ChatView({ chat, target, loadingTarget }: { chat: Chat; target: string | null; loadingTarget: boolean }) {
  const me = useAuth((s) => s.user!.id);
  const toast = useUi((s) => s.toast);
  const navigate = useNavigate();
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [editing, setEditing] = useState<Message | null>(null);
  const [details, setDetails] = useState(false);
  const [viewer, setViewer] = useState<{ images: Attachment[]; index: number } | null>(null);
  const [dragging, setDragging] = useState(false);
  const { uploads, add, remove, clear } = useUploads(toast);
  const listRef = useRef<VirtuosoHandle>(null);
  const window = useMessages((s) => s.windows[chat.id]);
  const items = window?.items;
  const lastOwn = useMemo(() => (items ? [...items].reverse().find((m) => m.senderId === me && !m.isDeleted) ?? null : null), [items, me]);

  const canModerate = chat.type === 'group' && (chat.myRole === 'owner' || chat.myRole === 'admin');
  const chatRef = chat.slug ?? chat.id;

  const participantsRef = useRef(chat.participants);
  participantsRef.current = chat.participants;

  const thread = useThreads((s) => (s.chatId === chat.id ? s : null));
  const actions: MessageActions = useMemo(() => ({
    openThread: (m) => {
      setDetails(false);
      useThreads.getState().open(chat.id, m.id);
    },
    reply: (m) => {
      setEditing(null);
      setReplyTo(m);
    },
    edit: (m) => {
      setReplyTo(null);
      setEditing(m);
    },
    remove: (m) => {
      deleteMessage(m).catch((e) => toast((e as Error).message, 'error'));
    },
    react: (m, emoji) => {
      toggleReaction(m, emoji).catch((e) => toast((e as Error).message, 'error'));
    },
    copyLink: (m) => {
      const url = `${location.origin}/chats/${chatRef}/messages/${m.id}`;
      copyText(url).then(() => toast('Link copied'), () => toast(url));
    },
    openImage: (images, index) => setViewer({ images, index }),
    jumpTo: (messageId) => navigate(`/chats/${chatRef}/messages/${messageId}`),
    retry: (m) => m.clientMessageId && retrySend(m.clientMessageId),
    discard: (m) => m.clientMessageId && discardSend(m.clientMessageId),
    nameOf: (userId) => {
      if (userId === me) return 'You';
      const p = participantsRef.current.find((x) => x.id === userId);
      return p ? p.displayName || p.username : 'Someone';
    },
  }), [chat.id, chatRef, me, navigate, toast]);

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files];
    if (files.length) add(files);
  };

  return (
    <div className="relative flex h-full min-h-0 flex-col bg-slate-50 dark:bg-slate-950"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
      onDrop={onDrop}>
      <ChatHeader chat={chat} onDetails={() => setDetails((d) => !d)} />
      <div className="flex min-h-0 flex-1">
        <div className="flex min-w-0 flex-1 flex-col">
          {loadingTarget || !window || window.loading === 'initial'
            ? <div className="flex flex-1 items-center justify-center text-sm text-slate-400">Loading messages…</div>
            : <MessageList key={`${chat.id}:${window.generation}`} chat={chat} target={target} actions={actions} listRef={listRef} canModerate={canModerate} />}
          <TypingIndicator chatId={chat.id} />
          <Composer
            chat={chat}
            replyTo={replyTo}
            editing={editing}
            onCancel={() => {
              setReplyTo(null);
              setEditing(null);
            }}
            uploads={uploads}
            onAddFiles={add}
            onRemoveUpload={remove}
            onSent={() => {
              setReplyTo(null);
              clear();
              // The list sticks to the bottom on its own when our send appears; a list showing
              // history opens the newest page at its end, past any unread divider.
              if (useMessages.getState().get(chat.id).hasNewer) void loadLatest(chat.id, { follow: true });
            }}
            lastOwnMessage={lastOwn}
            onEditLast={(m) => actions.edit(m)}
          />
        </div>
        {details && <ChatDetails chat={chat} onClose={() => setDetails(false)} />}
        {!details && thread?.rootId && (
          <ThreadPanel key={thread.rootId} chat={chat} rootId={thread.rootId} highlightId={thread.highlightId} actions={actions}
            onClose={() => useThreads.getState().close()} />
        )}
      </div>
      {dragging && (
        <div className="pointer-events-none absolute inset-2 z-40 flex items-center justify-center rounded-2xl border-2 border-dashed border-accent-500 bg-accent-50/80 text-accent-700 dark:bg-slate-900/80 dark:text-accent-200">
          <div className="flex flex-col items-center gap-2"><Icon name="photo" className="h-10 w-10" /><span className="font-semibold">Drop files to send</span></div>
        </div>
      )}
      {viewer && <ImageViewer images={viewer.images} index={viewer.index} onClose={() => setViewer(null)} />}
    </div>
  );
}

