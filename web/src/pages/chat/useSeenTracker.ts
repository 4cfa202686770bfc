// Read means seen: watches which message rows are on screen (IntersectionObserver on the list's
// scroller) and, while the page is visible, reports the newest one seen, so the read position
// follows the user's eyes as they scroll, not the act of opening a chat.
import { useCallback, useEffect, useRef } from 'react';
import { useMessages } from '../../stores/messages';
import { markSeen } from '../../sync';

/** A row counts as seen when most of it is visible, or it fills half the viewport (tall images). */
function isSeen(e: IntersectionObserverEntry): boolean {
  if (!e.isIntersecting) return false;
  const rootHeight = e.rootBounds?.height ?? 0;
  return e.intersectionRatio >= 0.6 || (rootHeight > 0 && e.intersectionRect.height >= rootHeight * 0.5);
}

export function useSeenTracker(chatId: string, scroller: HTMLElement | null) {
  const visible = useRef(new Set<string>());
  const rows = useRef(new Set<HTMLElement>());
  const observer = useRef<IntersectionObserver | null>(null);

  const report = useCallback(() => {
    if (document.visibilityState !== 'visible') return;
    const items = useMessages.getState().get(chatId).items;
    let best: string | null = null;
    let bestPosition = -Infinity;
    for (const id of visible.current) {
      const m = items.find((x) => x.id === id);
      if (!m || m.pending) continue;
      const p = m.position ?? Date.parse(m.createdAt);
      if (p > bestPosition) {
        best = id;
        bestPosition = p;
      }
    }
    if (best) markSeen(chatId, best);
  }, [chatId]);

  useEffect(() => {
    if (!scroller || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const id = (e.target as HTMLElement).dataset.seenId;
        if (!id) continue;
        if (isSeen(e)) visible.current.add(id);
        else visible.current.delete(id);
      }
      report();
    }, { root: scroller, threshold: [0, 0.6, 1] });
    observer.current = io;
    rows.current.forEach((el) => io.observe(el));
    const again = () => report();
    document.addEventListener('visibilitychange', again);
    window.addEventListener('focus', again);
    return () => {
      io.disconnect();
      observer.current = null;
      visible.current.clear();
      document.removeEventListener('visibilitychange', again);
      window.removeEventListener('focus', again);
    };
  }, [scroller, report]);

  /** Ref callback for a row element (React 19 runs the returned cleanup on unmount). */
  return useCallback((el: HTMLElement | null) => {
    if (!el) return;
    rows.current.add(el);
    observer.current?.observe(el);
    return () => {
      rows.current.delete(el);
      observer.current?.unobserve(el);
      if (el.dataset.seenId) visible.current.delete(el.dataset.seenId);
    };
  }, []);
}
