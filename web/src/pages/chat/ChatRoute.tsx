// /chats/:ref and /chats/:ref/messages/:messageId: resolves the chat (id or slug) and the
// optional deep-linked message, loads the right window of messages, then shows the chat.
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../lib/http';
import { findChat, useChats } from '../../stores/chats';
import { useMessages } from '../../stores/messages';
import { useUi } from '../../stores/ui';
import { loadAround, loadAtFirstUnread, loadChat, loadLatest, refreshChat } from '../../sync';
import { fetchMessage } from '../../lib/chatApi';
import { useThreads } from '../../stores/threads';
import { NotAvailable } from '../NotAvailable';
import { ChatView } from './ChatView';

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
      // A thread reply is not in the main timeline: open its root there and the reply in the thread panel.
      fetchMessage(messageId).then((m) => m.threadRootId ?? messageId, () => messageId).then((anchor) => {
        if (anchor !== messageId) useThreads.getState().open(chatId, anchor, messageId);
        return loadAround(chatId, anchor).then(() => {
          if (!alive) return;
          const found = useMessages.getState().get(chatId).items.some((m) => m.id === anchor);
          setState(found ? 'ready' : 'no-message');
        });
      }).catch((e) => alive && setState(unavailable(e) ? 'no-message' : 'ready'));
    } else if (!w || w.hasNewer || w.error) {
      setState('ready');
      // More unread than one page: start at the first of them, not at the newest page.
      loadAtFirstUnread(chatId).then((opened) => (opened ? undefined : loadLatest(chatId)))
        .catch((e) => alive && unavailable(e) && setState('no-chat'));
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

