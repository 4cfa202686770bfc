import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import { Icon } from '../../components/Icon';
import { MessageRow, type MessageActions } from '../../components/MessageRow';
import { useOutboxEntries } from '../../hooks';
import { receiptFor, rowKey, sameDay, startsGroup, visibleRows } from '../../lib/messageList';
import type { Chat, Message } from '../../lib/types';
import { useAuth } from '../../stores/auth';
import { useMessages } from '../../stores/messages';
import { useUi } from '../../stores/ui';
import { loadLatest, loadNewer, loadOlder, pendingMessage } from '../../sync';
import { useSeenTracker } from './useSeenTracker';
import { JumpToUnread, UnreadDivider, firstUnreadId, markChatRead, useEscapeMarksRead } from './UnreadDivider';

export function MessageList({ chat, target, actions, listRef, canModerate }: {
  chat: Chat; target: string | null; actions: MessageActions; listRef: React.RefObject<VirtuosoHandle | null>; canModerate: boolean;
}) {
  const me = useAuth((s) => s.user!.id);
  const window = useMessages((s) => s.windows[chat.id])!;
  const outbox = useOutboxEntries(chat.id);
  const setAtBottom = useUi((s) => s.setAtBottom);
  const atBottom = useUi((s) => s.atBottom);
  const [highlight, setHighlight] = useState<string | null>(target);
  const scrollerEl = useRef<HTMLElement | null>(null);
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const trackRow = useSeenTracker(chat.id, scroller);

  const rows = useMemo(() => (window.hasNewer ? window.items : visibleRows(window.items, outbox.map(pendingMessage))), [window.items, window.hasNewer, outbox]);

  // Stick to the bottom: while the user is at the end of the live chat (or has just sent), the
  // end stays in view whatever changes height below it (a new message, an image or a font that
  // loads, the optimistic copy replaced by the stored one). Only scrolling up by the user unsticks.
  // Where the reader left off, worked out once when the chat opens (UnreadDivider.tsx).
  // Opened because the user sent from a stretch of history (loadLatest with follow): the newest
  // page, at its end, whatever is unread.
  const [unread, setUnread] = useState(() => {
    const id = target || window.follow ? null : firstUnreadId(chat, rows, me);
    return id ? { id, count: chat.unreadCount } : null;
  });
  const [unreadAbove, setUnreadAbove] = useState(false);
  // Opened at the first unread (or a linked message), the list neither sticks to nor follows the
  // bottom until the reader moves (scrolls, clicks, types, sends): while it measures its rows it
  // may pass near the end or think it is there (estimated heights make the content look short),
  // and a row arriving then pulled the list to the bottom past the divider.
  const heldAway = useRef(!!target || !!unread);
  // Counts the reader's moves (scrolling, sending): a jump scheduled before one must not land
  // after it (the divider's settle pulled the list back up over a message just sent).
  const moves = useRef(0);
  const unreadIndex = unread ? rows.findIndex((m) => m.id === unread.id) : -1;
  const jumpToUnread = useCallback(() => {
    if (unreadIndex < 0) return;
    listRef.current?.scrollToIndex({ index: unreadIndex, align: 'start' });
    // Rows above may still be measured: settle on the divider itself once it is rendered.
    const movesAtJump = moves.current;
    setTimeout(() => {
      if (moves.current !== movesAtJump) return;
      scrollerEl.current?.querySelector('[data-testid="unread-divider"]')?.scrollIntoView({ block: 'start' });
    }, 80);
  }, [unreadIndex, listRef]);
  // Virtuoso's initial position is worked out from estimated row heights and at times lands at
  // the end instead (seen in Chromium with tall rows below the first unread): once the rows are
  // measured, settle on the divider, unless the reader has moved since.
  // The timers run after later renders: they jump with the newest index, not the first render's.
  const jumpToUnreadNow = useRef(jumpToUnread);
  jumpToUnreadNow.current = jumpToUnread;
  useEffect(() => {
    if (unreadIndex < 0) return;
    const settle = [60, 400].map((ms) => setTimeout(() => {
      if (heldAway.current) jumpToUnreadNow.current();
    }, ms));
    // Settled with the end in view (the unread ones fit the screen): the reader is at the newest
    // message, so what arrives next is followed as at the bottom of any chat.
    settle.push(setTimeout(() => {
      const scroller = scrollerEl.current;
      if (!heldAway.current || !scroller) return;
      if (scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= 120) {
        heldAway.current = false;
        stick.current = true;
      }
    }, 600));
    return () => settle.forEach(clearTimeout);
    // Only when the chat opens: later the divider stays where the reader left it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const markAllRead = useCallback(() => {
    markChatRead(chat, rows, window.hasNewer);
    setUnread(null);
  }, [chat, rows, window.hasNewer]);
  useEscapeMarksRead(markAllRead);
  // Whether the first unread is above the viewport, from the rows on screen (independent of how
  // the virtualized list numbers them): the first row whose bottom is below the scroller's top.
  useEffect(() => {
    if (!scroller || unreadIndex < 0) {
      setUnreadAbove(false);
      return;
    }
    let frame = 0;
    const check = () => {
      frame = 0;
      const top = scroller.getBoundingClientRect().top;
      let firstVisible = -1;
      for (const el of scroller.querySelectorAll<HTMLElement>('[data-message-id]')) {
        if (el.getBoundingClientRect().bottom > top) {
          firstVisible = rows.findIndex((m) => m.id === el.dataset.messageId);
          break;
        }
      }
      setUnreadAbove(firstVisible > unreadIndex);
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(check);
    };
    check();
    scroller.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      scroller.removeEventListener('scroll', onScroll);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [scroller, unreadIndex, rows]);

  // Opened with unread messages, the list starts at the first of them, not stuck to the bottom.
  const stick = useRef(!target && !unread);
  const lastScrollTop = useRef(0);
  const toBottom = useCallback(() => {
    const el = scrollerEl.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);
  useEffect(() => {
    if (!scroller) return;
    // The list itself moves scrollTop while it measures rows; only a scroll that follows the
    // user's own input (wheel, touch, keys, the scrollbar) may unstick it.
    let userInputAt = 0;
    const input = () => {
      userInputAt = Date.now();
      heldAway.current = false;
      moves.current++;
    };
    const onScroll = () => {
      const distance = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
      if (distance <= 120 && !heldAway.current) stick.current = true;
      else if (scroller.scrollTop < lastScrollTop.current - 2 && Date.now() - userInputAt < 1000) stick.current = false;
      lastScrollTop.current = scroller.scrollTop;
    };
    const inputs = ['wheel', 'touchmove', 'keydown', 'pointerdown'] as const;
    inputs.forEach((t) => scroller.addEventListener(t, input, { passive: true }));
    scroller.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      inputs.forEach((t) => scroller.removeEventListener(t, input));
      scroller.removeEventListener('scroll', onScroll);
    };
  }, [scroller]);
  const ownPending = outbox.length;
  const previousOwnPending = useRef(ownPending);
  useEffect(() => {
    // The user just sent: show their message, wherever they were (from a stretch of history
    // ChatView opens the newest page instead, at its end).
    if (ownPending > previousOwnPending.current && !window.hasNewer) {
      heldAway.current = false;
      moves.current++;
      stick.current = true;
      listRef.current?.scrollToIndex({ index: 'LAST', align: 'end' });
      requestAnimationFrame(toBottom);
    }
    previousOwnPending.current = ownPending;
  }, [ownPending, window.hasNewer, toBottom, listRef]);

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

  useEffect(() => () => setAtBottom(true), [setAtBottom]);
  useEffect(() => {
    if (performance.getEntriesByName('confab:chat-ready').length === 0) performance.mark('confab:chat-ready');
  }, []);

  const initialIndex = useMemo(() => {
    if (target) {
      const i = rows.findIndex((m) => m.id === target);
      if (i >= 0) return { index: i, align: 'center' as const };
    }
    if (unreadIndex >= 0) return { index: unreadIndex, align: 'start' as const };
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
      // flow-root: the row's own margins (a new sender's gap, day separators) must stay inside
      // the element the list measures; collapsed through it they took space the list did not
      // count, and its "bottom" ended above the real one (the newest bubble below the fold).
      <div ref={trackRow} className="flow-root" data-seen-id={m.pending || m.failed ? undefined : m.id}>
      {unread?.id === m.id && <UnreadDivider count={unread.count} />}
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
      </div>
    );
  }, [rows, window.firstIndex, me, others, chat.type, lastOwnIndex, canModerate, highlight, actions, trackRow, unread]);

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
          const next = el instanceof HTMLElement ? el : null;
          scrollerEl.current = next;
          setScroller(next);
        }}
        className="scroll-thin"
        style={{ height: '100%' }}
        data={rows}
        firstItemIndex={window.firstIndex}
        initialTopMostItemIndex={initialIndex}
        computeItemKey={(_, m) => rowKey(m)}
        itemContent={itemContent}
        startReached={() => {
          if (window.hasOlder) void loadOlder(chat.id);
        }}
        endReached={() => {
          if (window.hasNewer) void loadNewer(chat.id);
        }}
        followOutput={(bottom) => ((bottom || stick.current) && !heldAway.current && !window.hasNewer ? 'auto' : false)}
        totalListHeightChanged={() => {
          if (stick.current && !window.hasNewer) toBottom();
        }}
        atBottomStateChange={setAtBottom}
        atBottomThreshold={120}
        increaseViewportBy={{ top: 800, bottom: 400 }}
        components={{
          Header: () => <div className="py-3 text-center text-xs text-slate-400">{window.loading === 'older' ? 'Loading earlier messages…' : window.hasOlder ? '' : 'This is the beginning of the chat'}</div>,
          Footer: () => <div className="h-3">{window.loading === 'newer' ? <p className="text-center text-xs text-slate-400">Loading…</p> : null}</div>,
        }}
      />
      {unread && unreadAbove && <JumpToUnread onJump={jumpToUnread} onMarkRead={markAllRead} />}
      {(!atBottom || window.hasNewer) && (
        <button type="button"
          onClick={() => {
            heldAway.current = false;
            if (window.hasNewer) void loadLatest(chat.id, { follow: true });
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

