import { useEffect, useRef, useState } from 'react';
import { loadEmojiData, rememberEmoji } from '../lib/emoji';

/**
 * The full emoji picker (emoji-mart), loaded on first open with dynamic imports so neither the
 * library nor its data set is in the first load. Every pick is remembered as recently used.
 */
export function EmojiPicker({ onPick, onClose, label = 'Emoji picker', className = '' }: {
  onPick: (emoji: string) => void;
  onClose: () => void;
  label?: string;
  className?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const pick = useRef(onPick);
  pick.current = onPick;
  const close = useRef(onClose);
  close.current = onClose;

  const box = useRef<HTMLDivElement>(null);
  // Closes on a press outside. composedPath, because a press inside the picker's shadow root is
  // retargeted to its host (emoji-mart's own onClickOutside fired for presses inside it).
  useEffect(() => {
    const away = (e: MouseEvent) => {
      if (box.current && !e.composedPath().includes(box.current)) close.current();
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, []);

  useEffect(() => {
    let cancelled = false;
    let element: HTMLElement | null = null;
    Promise.all([import('emoji-mart'), loadEmojiData()]).then(([{ Picker }, data]) => {
      if (cancelled || !host.current) return;
      const dark = document.documentElement.classList.contains('dark');
      element = new Picker({
        data,
        autoFocus: true,
        theme: dark ? 'dark' : 'light',
        previewPosition: 'none',
        skinTonePosition: 'search',
        maxFrequentRows: 2,
        onEmojiSelect: (emoji: { native?: string }) => {
          if (!emoji.native) return;
          rememberEmoji(emoji.native);
          pick.current(emoji.native);
        },
      }) as unknown as HTMLElement;
      host.current.appendChild(element);
      setState('ready');
    }, () => !cancelled && setState('failed'));
    return () => {
      cancelled = true;
      element?.remove();
    };
  }, []);

  return (
    <div ref={box} className={`z-40 rounded-2xl shadow-2xl ${className}`} role="dialog" aria-label={label} data-testid="emoji-picker"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}>
      {state === 'loading' && <div className="rounded-2xl bg-white px-4 py-3 text-sm text-slate-500 ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700">Loading emoji…</div>}
      {state === 'failed' && <div className="rounded-2xl bg-white px-4 py-3 text-sm text-rose-600 ring-1 ring-slate-200 dark:bg-slate-800">Could not load the emoji picker</div>}
      <div ref={host} />
    </div>
  );
}
