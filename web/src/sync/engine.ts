// The sync engine of one signed-in user: the live connection, the event stream's cursor, the
// outbox, and the per-user state of reads and typing. One instance per sign-in (a sign-out
// stops it and a new user gets a new one), so nothing of one user can leak into the next.

import { resetCalls } from '../calls/manager';
import * as chatApi from '../lib/chatApi';
import { CursorKeeper, cursorKey, type KeyValueStorage } from '../lib/cursor';
import { ApiError } from '../lib/http';
import { normalizeMessage } from '../lib/normalize';
import { createOutbox, flushOutbox, outboxKey, type Outbox, type OutboxEntry, type SendResult } from '../lib/outbox';
import type { MessageView } from '../lib/protocol.gen';
import { RealtimeClient, RequestError, type RealtimeDeps } from '../lib/realtime';
import type { Message, ServerEvent } from '../lib/types';
import { isIdle } from '../notifications/idle';
import { useChats } from '../stores/chats';
import { useContacts } from '../stores/contacts';
import { useMessages } from '../stores/messages';
import { usePresence } from '../stores/presence';
import { useUi } from '../stores/ui';
import { applyEvent, receiveMessage, type HandlerContext } from './handlers';
import { refreshLatest, reloadChats, reloadContacts } from './loaders';
import { notifyMessage } from './notifications';

export interface EngineOptions {
  storage?: KeyValueStorage;
  /** The connection's transport and session hooks (tests pass a fake socket). */
  realtime: Omit<RealtimeDeps, 'cursor' | 'onEvent' | 'onStatus' | 'onReady' | 'onResync'>;
}

export class SyncEngine implements HandlerContext {
  readonly cursor: CursorKeeper;
  readonly outbox: Outbox;
  readonly realtime: RealtimeClient;
  /** Per chat: the position we last reported as read (never report the same or an older one). */
  readonly readSent: Record<string, number> = {};
  lastTypingSent = 0;
  private flushing: Promise<void> | null = null;
  private flushAgain = false;
  private chatsReloadTimer: ReturnType<typeof setTimeout> | null = null;
  private cleanup: (() => void)[] = [];
  private stopped = false;

  constructor(readonly me: string, options: EngineOptions) {
    const storage = options.storage ?? localStorage;
    this.cursor = new CursorKeeper(storage, cursorKey(me));
    this.outbox = createOutbox(storage, outboxKey(me));
    this.realtime = new RealtimeClient({
      ...options.realtime,
      cursor: this.cursor,
      onEvent: (event) => this.apply(event),
      onStatus: (status, transport) => {
        useUi.getState().setConnection(status, transport);
        // While we cannot hear presence changes, nobody's "online" is known to be true.
        usePresence.getState().setConnected(status === 'online');
      },
      onReady: ({ resumed }) => {
        if (resumed) usePresence.getState().forgetLive();
        else this.catchUpOpenChat();
        this.announcePresence();
        void reloadChats(this.me);
        void reloadContacts();
        void this.flush();
      },
      onResync: () => this.resync(),
    });
  }

  start() {
    this.realtime.start();
    void reloadChats(this.me);
    void reloadContacts();
  }

  stop() {
    this.stopped = true;
    this.realtime.stop();
    this.cleanup.forEach((f) => f());
    this.cleanup = [];
    if (this.chatsReloadTimer) clearTimeout(this.chatsReloadTimer);
  }

  /** Adds a teardown step run by stop(). */
  onStop(f: () => void) {
    this.cleanup.push(f);
  }

  apply(event: ServerEvent) {
    applyEvent(this, event);
  }

  // ------------------------------------------------------------ HandlerContext

  reloadChats() {
    if (this.chatsReloadTimer || this.stopped) return;
    this.chatsReloadTimer = setTimeout(() => {
      this.chatsReloadTimer = null;
      void reloadChats(this.me);
    }, 300);
  }

  reloadContacts() {
    void reloadContacts();
  }

  sent(clientMessageId: string) {
    this.outbox.getState().remove(clientMessageId);
  }

  notify(message: Message, chat: Parameters<typeof notifyMessage>[1]) {
    notifyMessage(message, chat);
  }

  // ------------------------------------------------------------ presence and resync

  /**
   * Tells the server whether this tab is in use. Sent after every (re)connection: a reload's
   * hidden old page said "away", and the server keeps an explicit status until told otherwise.
   */
  announcePresence() {
    // Hidden, or visible but untouched for minutes (notifications/idle.ts): away, so push and email reach them.
    const inUse = document.visibilityState === 'visible' && !isIdle();
    this.realtime.notify('presence:update', { status: inUse ? 'online' : 'away' });
  }

  /**
   * A first connection (no cursor yet) starts the stream at "now": what the open chat got between
   * its REST load and now (a message, a link preview stored a moment later) reaches it by neither.
   * Its newest page is merged again once its own load is done, when it shows the live end.
   */
  catchUpOpenChat() {
    const open = useUi.getState().activeChatId;
    if (!open) return;
    const refresh = () => {
      const w = useMessages.getState().windows[open];
      if (w && !w.loading && !w.hasNewer && !this.stopped) void refreshLatest(open);
    };
    if (!useMessages.getState().windows[open]?.loading) {
      refresh();
      return;
    }
    const unsubscribe = useMessages.subscribe((state) => {
      if (state.windows[open]?.loading) return;
      unsubscribe();
      refresh();
    });
    this.onStop(unsubscribe);
  }

  /** The server compacted the stream past our cursor: reload what we show, without a flash. */
  resync() {
    void reloadChats(this.me);
    void reloadContacts();
    const open = useUi.getState().activeChatId;
    if (open) void refreshLatest(open);
  }

  // ------------------------------------------------------------ the outbox

  flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      // The last check of flushAgain and the reset of flushing happen in one step: a flush()
      // asked for in between (a .finally() a microtask later) would be lost, leaving a send
      // waiting in the outbox until the next reconnect.
      try {
        do {
          this.flushAgain = false;
          await flushOutbox(this.outbox, (entry) => this.sendEntry(entry));
        } while (this.flushAgain && !this.stopped);
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  private async sendEntry(entry: OutboxEntry): Promise<SendResult> {
    const payload = {
      chatId: entry.chatId,
      content: entry.content,
      clientMessageId: entry.clientMessageId,
      replyToId: entry.replyToId ?? undefined,
      attachmentIds: entry.attachmentIds.length ? entry.attachmentIds : undefined,
      contentType: entry.attachmentIds.length ? 'image' : 'text',
    };
    try {
      let message: Message;
      if (this.realtime.canRequest) {
        const ack = await this.realtime.request<{ message: MessageView }>('message:send', payload, 15_000);
        message = normalizeMessage(ack.message);
      } else if (this.realtime.currentStatus === 'online' && this.realtime.currentTransport === 'longpoll') {
        message = await chatApi.postMessage(entry.chatId, payload);
      } else {
        return { ok: false, retryable: true, error: 'Offline' };
      }
      receiveMessage(this, message);
      return { ok: true };
    } catch (e) {
      if (e instanceof RequestError || e instanceof ApiError) return { ok: false, retryable: e.retryable, error: e.message };
      return { ok: false, retryable: true, error: (e as Error)?.message };
    }
  }
}

/** Clears every per-user store (a sign-out, or a switch of user). */
export function resetStores() {
  resetCalls();
  useChats.getState().reset();
  useMessages.getState().reset();
  useContacts.getState().reset();
  usePresence.getState().reset();
}
