import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import { Avatar } from '../components/Avatar';
import { AuthImage } from '../components/AuthImage';
import { ChatDetails } from '../components/ChatDetails';
import { Composer, MAX_IMAGES, validateImage, type Upload } from '../components/Composer';
import { Icon } from '../components/Icon';
import { MessageRow, type MessageActions } from '../components/MessageRow';
import { useOutboxEntries } from '../hooks';
import * as chatApi from '../lib/chatApi';
import { ApiError } from '../lib/http';
import { newId } from '../lib/ids';
import { receiptFor, sameDay, startsGroup } from '../lib/messageList';
import { formatLastSeen } from '../lib/time';
import type { Attachment, Chat, Message } from '../lib/types';
import { useAuth } from '../stores/auth';
import { findChat, useChats } from '../stores/chats';
import { useMessages } from '../stores/messages';
import { usePresence } from '../stores/presence';
import { useUi } from '../stores/ui';
import { deleteMessage, discardSend, refreshChat, loadAround, loadChat, loadLatest, loadNewer, loadOlder, maybeMarkActiveRead, pendingMessage, retrySend, toggleReaction } from '../sync';
import { NotAvailable } from './NotAvailable';

function unavailable(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 404 || e.status === 403 || e.status === 400);
}

/** Resolves /chats/:ref (id or slug) and the optional message of a deep link, then shows the chat. */
export function ChatRoute() {
  const { ref = '', messageId } = useParams();
  const chat = useChats((s) => findChat(s.byId, ref));
  const chatsLoaded = useChats((s) => s.loaded);
  const [state, setState] = useState<'loading' | 'ready' | 'no-chat' | 'no-message'>('loading');
  const setActiveChat = useUi((s) => s.setActiveChat);

  useEffect(() => {
    let alive = true;
    if (chat) return;
    setState('loading');
    loadChat(ref).catch((e) => {
      if (alive && unavailable(e)) setState('no-chat');
    });
    return () => {
      alive = false;
    };
  }, [ref, chat, chatsLoaded]);

  const chatId = chat?.id;
  useEffect(() => {
    if (!chatId) return;
    let alive = true;
    setActiveChat(chatId);
    // The chat list leaves out group members: fetch the whole chat once it is open.
    const known = useChats.getState().byId[chatId];
    if (known && known.type === 'group' && known.participants.length === 0) void refreshChat(chatId);
    const w = useMessages.getState().windows[chatId];
    if (messageId) {
      setState('loading');
      loadAround(chatId, messageId).then(() => {
        if (!alive) return;
        const found = useMessages.getState().get(chatId).items.some((m) => m.id === messageId);
        setState(found ? 'ready' : 'no-message');
      }, (e) => alive && setState(unavailable(e) ? 'no-message' : 'ready'));
    } else if (!w || w.hasNewer || w.error) {
      setState('ready');
      loadLatest(chatId).catch((e) => alive && unavailable(e) && setState('no-chat'));
    } else {
      setState('ready');
    }
    return () => {
      alive = false;
      setActiveChat(null);
    };
  }, [chatId, messageId, setActiveChat]);

  if (state === 'no-chat') return <NotAvailable what="chat" />;
  if (state === 'no-message') return <NotAvailable what="message" />;
  if (!chat) return <div className="flex h-full items-center justify-center text-sm text-slate-500">Opening chat…</div>;
  return <ChatView key={chat.id} chat={chat} target={state === 'ready' ? messageId ?? null : null} loadingTarget={state === 'loading'} />;
}

function useUploads(toast: (t: string, k?: 'info' | 'error') => void) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const patch = (key: string, p: Partial<Upload>) => setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...p } : u)));
  const add = (files: File[]) => {
    setUploads((current) => {
      const room = MAX_IMAGES - current.length;
      const accepted: Upload[] = [];
      for (const file of files) {
        const problem = validateImage(file);
        if (problem) {
          toast(problem, 'error');
          continue;
        }
        if (accepted.length >= room) {
          toast(`At most ${MAX_IMAGES} images per message`, 'error');
          break;
        }
        accepted.push({ key: newId(), file, preview: URL.createObjectURL(file), progress: 0, state: 'uploading' });
      }
      for (const u of accepted) {
        chatApi.uploadImage(u.file, (progress) => patch(u.key, { progress }))
          .then((attachment) => patch(u.key, { state: 'done', attachment, progress: 1 }))
          .catch((e) => patch(u.key, { state: 'error', error: e instanceof ApiError ? (e.details[0]?.message ?? e.message) : (e as Error).message }));
      }
      return [...current, ...accepted];
    });
  };
  const remove = (key: string) => setUploads((list) => {
    const u = list.find((x) => x.key === key);
    if (u) {
      URL.revokeObjectURL(u.preview);
      if (u.attachment) chatApi.deleteAttachment(u.attachment.id).catch(() => undefined);
    }
    return list.filter((x) => x.key !== key);
  });
  const clear = () => setUploads((list) => {
    list.forEach((u) => setTimeout(() => URL.revokeObjectURL(u.preview), 60_000));
    return [];
  });
  return { uploads, add, remove, clear };
}

function ChatView({ chat, target, loadingTarget }: { chat: Chat; target: string | null; loadingTarget: boolean }) {
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

  const actions: MessageActions = useMemo(() => ({
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
  }), [chatRef, me, navigate, toast]);

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files].filter((f) => f.type.startsWith('image/'));
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
              const w = useMessages.getState().get(chat.id);
              if (w.hasNewer) void loadLatest(chat.id);
              else requestAnimationFrame(() => listRef.current?.scrollToIndex({ index: 'LAST', behavior: 'auto' }));
            }}
            lastOwnMessage={lastOwn}
            onEditLast={(m) => actions.edit(m)}
          />
        </div>
        {details && <ChatDetails chat={chat} onClose={() => setDetails(false)} />}
      </div>
      {dragging && (
        <div className="pointer-events-none absolute inset-2 z-40 flex items-center justify-center rounded-2xl border-2 border-dashed border-accent-500 bg-accent-50/80 text-accent-700 dark:bg-slate-900/80 dark:text-accent-200">
          <div className="flex flex-col items-center gap-2"><Icon name="photo" className="h-10 w-10" /><span className="font-semibold">Drop images to send</span></div>
        </div>
      )}
      {viewer && <ImageViewer images={viewer.images} index={viewer.index} onClose={() => setViewer(null)} />}
    </div>
  );
}

async function copyText(text: string) {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // fall back below
    }
  }
  const el = document.createElement('textarea');
  el.value = text;
  el.style.position = 'fixed';
  el.style.opacity = '0';
  document.body.appendChild(el);
  el.select();
  const ok = document.execCommand('copy');
  el.remove();
  if (!ok) throw new Error('copy failed');
}

function ChatHeader({ chat, onDetails }: { chat: Chat; onDetails: () => void }) {
  const navigate = useNavigate();
  const presence = usePresence((s) => (chat.peer ? s.users[chat.peer.id] : undefined));
  const status = presence?.status ?? chat.peer?.status ?? 'offline';
  const toast = useUi((s) => s.toast);
  let subtitle: string;
  const count = Math.max(chat.participantCount, chat.participants.length);
  if (chat.type === 'group') subtitle = `${count} member${count === 1 ? '' : 's'}`;
  else subtitle = status === 'online' ? 'online' : status === 'away' ? 'away' : formatLastSeen(presence?.lastSeen ?? chat.peer?.lastSeen);
  return (
    <header className="flex items-center gap-3 border-b border-slate-200 bg-white/90 px-3 py-2.5 backdrop-blur sm:px-5 dark:border-slate-800 dark:bg-slate-950/90">
      <button type="button" onClick={() => navigate('/chats')} className="rounded-lg p-1.5 text-slate-500 hover:bg-slate-100 md:hidden dark:hover:bg-slate-800" aria-label="Back to chats">
        <Icon name="back" />
      </button>
      <button type="button" onClick={onDetails} className="flex min-w-0 flex-1 items-center gap-3 rounded-xl p-1 text-left hover:bg-slate-100 dark:hover:bg-slate-900" aria-label={`Details of ${chat.name}`}>
        <Avatar name={chat.name} seed={chat.peer?.id ?? chat.id} url={chat.avatarUrl} status={chat.type === 'direct' ? status : null} group={chat.type === 'group'} />
        <span className="min-w-0">
          <h1 className="truncate text-base font-semibold" data-testid="chat-title">{chat.name}</h1>
          <span className={`block truncate text-xs ${status === 'online' && chat.type === 'direct' ? 'text-emerald-600 dark:text-emerald-400' : 'text-slate-500 dark:text-slate-400'}`}>{subtitle}</span>
        </span>
      </button>
      <button type="button" className="rounded-lg p-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Copy link to this chat" title="Copy link to this chat"
        onClick={() => copyText(`${location.origin}/chats/${chat.slug ?? chat.id}`).then(() => toast('Link copied'))}>
        <Icon name="link" />
      </button>
      <button type="button" className="rounded-lg p-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label={chat.type === 'group' ? 'Members' : 'Details'} title={chat.type === 'group' ? 'Members' : 'Details'} onClick={onDetails}>
        <Icon name={chat.type === 'group' ? 'users' : 'info'} />
      </button>
    </header>
  );
}

function TypingIndicator({ chatId }: { chatId: string }) {
  const typists = usePresence((s) => s.typing[chatId]);
  const names = Object.values(typists ?? {}).map((t) => t.name);
  if (names.length === 0) return <div className="h-5" aria-hidden="true" />;
  const text = names.length === 1 ? `${names[0]} is typing` : names.length === 2 ? `${names[0]} and ${names[1]} are typing` : 'Several people are typing';
  return (
    <div className="flex h-5 items-center gap-1.5 px-6 text-xs text-slate-500" aria-live="polite" data-testid="typing-indicator">
      <span className="inline-flex gap-0.5"><span className="typing-dot h-1 w-1 rounded-full bg-current" /><span className="typing-dot h-1 w-1 rounded-full bg-current" /><span className="typing-dot h-1 w-1 rounded-full bg-current" /></span>
      {text}…
    </div>
  );
}

function MessageList({ chat, target, actions, listRef, canModerate }: {
  chat: Chat; target: string | null; actions: MessageActions; listRef: React.RefObject<VirtuosoHandle | null>; canModerate: boolean;
}) {
  const me = useAuth((s) => s.user!.id);
  const window = useMessages((s) => s.windows[chat.id])!;
  const outbox = useOutboxEntries(chat.id);
  const setAtBottom = useUi((s) => s.setAtBottom);
  const atBottom = useUi((s) => s.atBottom);
  const [highlight, setHighlight] = useState<string | null>(target);
  const scrollerEl = useRef<HTMLElement | null>(null);

  const rows = useMemo(() => (window.hasNewer ? window.items : [...window.items, ...outbox.map(pendingMessage)]), [window.items, window.hasNewer, outbox]);

  // Where each other member has read / received up to, as positions in chat order.
  const others = useMemo(() => {
    const seqOf = (id: string | null | undefined, position: number | null | undefined) => {
      if (id) {
        const m = window.items.find((x) => x.id === id);
        if (m) return m.position ?? Date.parse(m.createdAt);
      }
      return position ?? null;
    };
    return chat.participants.filter((p) => p.id !== me).map((p) => ({
      name: p.displayName || p.username,
      read: seqOf(p.lastReadMessageId, p.lastReadPosition),
      delivered: seqOf(p.lastDeliveredMessageId, p.lastDeliveredPosition),
    }));
  }, [chat.participants, window.items, me]);

  const lastOwnIndex = useMemo(() => {
    for (let i = rows.length - 1; i >= 0; i--) if (rows[i].senderId === me && !rows[i].pending && !rows[i].failed) return i;
    return -1;
  }, [rows, me]);

  useEffect(() => {
    if (!target) return;
    setHighlight(target);
    // Row heights are only known once rendered: settle the target in the middle once they are.
    const settle = [60, 300].map((ms) => setTimeout(() => {
      const scroller = scrollerEl.current;
      const row = scroller?.querySelector(`[data-message-id="${CSS.escape(target)}"]`);
      if (!scroller || !row) return;
      const rowRect = row.getBoundingClientRect();
      const box = scroller.getBoundingClientRect();
      scroller.scrollTop += rowRect.top - box.top - (box.height - rowRect.height) / 2;
    }, ms));
    const t = setTimeout(() => setHighlight(null), 5000);
    return () => {
      clearTimeout(t);
      settle.forEach(clearTimeout);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [target]);

  const lastId = rows[rows.length - 1]?.id;
  useEffect(() => {
    if (atBottom) maybeMarkActiveRead();
  }, [atBottom, lastId]);

  useEffect(() => () => setAtBottom(true), [setAtBottom]);
  useEffect(() => {
    if (performance.getEntriesByName('confab:chat-ready').length === 0) performance.mark('confab:chat-ready');
  }, []);

  const initialIndex = useMemo(() => {
    if (target) {
      const i = rows.findIndex((m) => m.id === target);
      if (i >= 0) return { index: i, align: 'center' as const };
    }
    return { index: Math.max(0, rows.length - 1), align: 'end' as const };
    // Only the first render matters: the list is re-keyed when the window is replaced.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const itemContent = useCallback((index: number, m: Message) => {
    const i = index - window.firstIndex;
    const previous = i > 0 ? rows[i - 1] : undefined;
    const own = m.senderId === me;
    const seq = m.position ?? Date.parse(m.createdAt);
    const receipt = own && !m.pending && !m.failed ? receiptFor(seq, others) : null;
    const readBy = own && chat.type === 'group' && i === lastOwnIndex ? others.filter((o) => o.read !== null && o.read >= seq).map((o) => o.name) : null;
    return (
      <MessageRow
        message={m}
        previous={previous}
        own={own}
        groupStart={startsGroup(previous, m)}
        dayStart={!previous || !sameDay(previous.createdAt, m.createdAt)}
        showSender={chat.type === 'group'}
        canDelete={own || canModerate}
        receipt={receipt}
        readBy={readBy}
        highlighted={highlight === m.id}
        me={me}
        actions={actions}
      />
    );
  }, [rows, window.firstIndex, me, others, chat.type, lastOwnIndex, canModerate, highlight, actions]);

  if (rows.length === 0) {
    return (
      <div className="flex flex-1 flex-col items-center justify-center gap-2 p-8 text-center text-sm text-slate-500">
        <Icon name="chat" className="h-10 w-10 text-slate-300 dark:text-slate-700" />
        No messages yet. Say hello!
      </div>
    );
  }

  return (
    <div className="relative min-h-0 flex-1" data-testid="message-list">
      <Virtuoso
        ref={listRef}
        scrollerRef={(el) => {
          scrollerEl.current = el instanceof HTMLElement ? el : null;
        }}
        className="scroll-thin"
        style={{ height: '100%' }}
        data={rows}
        firstItemIndex={window.firstIndex}
        initialTopMostItemIndex={initialIndex}
        computeItemKey={(_, m) => m.clientMessageId && m.senderId === me ? `c:${m.clientMessageId}` : m.id}
        itemContent={itemContent}
        startReached={() => {
          if (window.hasOlder) void loadOlder(chat.id);
        }}
        endReached={() => {
          if (window.hasNewer) void loadNewer(chat.id);
        }}
        followOutput={(bottom) => (bottom && !window.hasNewer ? 'auto' : false)}
        atBottomStateChange={setAtBottom}
        atBottomThreshold={120}
        increaseViewportBy={{ top: 800, bottom: 400 }}
        components={{
          Header: () => <div className="py-3 text-center text-xs text-slate-400">{window.loading === 'older' ? 'Loading earlier messages…' : window.hasOlder ? '' : 'This is the beginning of the chat'}</div>,
          Footer: () => <div className="h-3">{window.loading === 'newer' ? <p className="text-center text-xs text-slate-400">Loading…</p> : null}</div>,
        }}
      />
      {(!atBottom || window.hasNewer) && (
        <button type="button"
          onClick={() => {
            if (window.hasNewer) void loadLatest(chat.id);
            else listRef.current?.scrollToIndex({ index: 'LAST', behavior: 'smooth' });
          }}
          className="absolute bottom-4 right-6 z-20 inline-flex items-center gap-1.5 rounded-full bg-white px-3 py-2 text-xs font-semibold text-slate-700 shadow-lg ring-1 ring-slate-200 hover:bg-slate-50 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-700"
          aria-label="Jump to the latest message">
          <Icon name="arrowDown" className="h-4 w-4" /> Latest
          {chat.unreadCount > 0 && <span className="rounded-full bg-accent-600 px-1.5 text-white">{chat.unreadCount}</span>}
        </button>
      )}
    </div>
  );
}

function ImageViewer({ images, index, onClose }: { images: Attachment[]; index: number; onClose: () => void }) {
  const [i, setI] = useState(index);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
      if (e.key === 'ArrowRight') setI((x) => Math.min(images.length - 1, x + 1));
      if (e.key === 'ArrowLeft') setI((x) => Math.max(0, x - 1));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [images.length, onClose]);
  const image = images[i];
  return (
    <div className="fixed inset-0 z-50 flex flex-col bg-black/90" role="dialog" aria-modal="true" aria-label="Image viewer" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div className="flex items-center justify-between p-3 text-sm text-white/80">
        <span>{image.fileName ?? 'Image'} {images.length > 1 ? `(${i + 1} of ${images.length})` : ''}</span>
        <button ref={close} type="button" onClick={onClose} className="rounded-lg p-2 hover:bg-white/10" aria-label="Close viewer"><Icon name="x" /></button>
      </div>
      <div className="flex min-h-0 flex-1 items-center justify-center p-4" onClick={(e) => e.target === e.currentTarget && onClose()}>
        <AuthImage key={image.id} src={image.url} alt={image.fileName ?? 'Image'} className="max-h-full max-w-full rounded-lg object-contain shadow-2xl" data-testid="full-image" />
      </div>
      {images.length > 1 && (
        <div className="flex justify-center gap-2 p-3">
          {images.map((a, k) => (
            <button key={a.id} type="button" onClick={() => setI(k)} className={`h-12 w-12 overflow-hidden rounded-lg ring-2 ${k === i ? 'ring-white' : 'ring-transparent opacity-60'}`} aria-label={`Image ${k + 1}`}>
              <AuthImage src={a.thumbnailUrl ?? a.url} alt="" className="h-full w-full object-cover" />
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
