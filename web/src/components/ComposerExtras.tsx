// The composer's helpers that are not typing itself: the emoji button with the full picker, the
// `:shortcode:` completion, and the formatting help popover.
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { EmojiMartData } from '@emoji-mart/data';
import { byShortcode, loadEmojiData, rememberEmoji, searchShortcodes, shortcodeAt, type EmojiMatch } from '../lib/emoji';
import { EmojiPicker } from './EmojiPicker';
import { Icon } from './Icon';

/** Replaces [start, end) of the textarea's value and puts the caret after the insertion. */
export function insertText(area: HTMLTextAreaElement | null, value: string, start: number, end: number, text: string,
  apply: (next: string, caret: number) => void) {
  const next = value.slice(0, start) + text + value.slice(end);
  apply(next, start + text.length);
  area?.focus();
}

const toolbarButton = 'rounded-lg p-1.5 text-slate-600 hover:bg-slate-200 disabled:opacity-40 dark:text-slate-300 dark:hover:bg-slate-800';

export function EmojiButton({ onPick }: { onPick: (emoji: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <span className="relative">
      <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => setOpen((o) => !o)} className={toolbarButton}
        aria-label="Insert emoji" title="Emoji (or type :name)" aria-expanded={open}>
        <Icon name="smile" />
      </button>
      {open && (
        <EmojiPicker className="absolute bottom-full left-0 mb-2" label="Insert an emoji"
          onClose={() => setOpen(false)}
          onPick={(emoji) => {
            setOpen(false);
            onPick(emoji);
          }} />
      )}
    </span>
  );
}

const HELP: [string, string][] = [
  ['**bold**', 'bold'],
  ['*italic*', 'italic'],
  ['~~strike~~', 'strikethrough'],
  ['`code`', 'inline code'],
  ['```\\ncode block\\n```', 'code block'],
  ['[text](https://…)', 'link (URLs link by themselves)'],
  ['> quote', 'block quote'],
  ['- item', 'bulleted list'],
  [':smile:', 'emoji by name'],
];

export function FormattingHelp() {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);
  return (
    <span className="relative" ref={box}>
      <button type="button" onClick={() => setOpen((o) => !o)} className={`${toolbarButton} px-2 text-sm font-semibold`}
        aria-label="Formatting help" title="Formatting help" aria-expanded={open}>?</button>
      {open && (
        <div role="dialog" aria-label="Formatting help" data-testid="formatting-help"
          onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setOpen(false))}
          className="absolute bottom-full left-0 z-40 mb-2 w-72 rounded-xl bg-white p-3 text-sm shadow-2xl ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700">
          <div className="mb-1.5 font-semibold">Formatting</div>
          <table className="w-full text-xs">
            <tbody>
              {HELP.map(([syntax, meaning]) => (
                <tr key={syntax}>
                  <td className="py-0.5 pr-3 font-mono whitespace-pre text-slate-700 dark:text-slate-200">{syntax.replace('\\n', '\n')}</td>
                  <td className="py-0.5 text-slate-500 dark:text-slate-400">{meaning}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-2 text-[11px] text-slate-400">Enter sends · Shift+Enter new line · Ctrl+B / Ctrl+I</p>
        </div>
      )}
    </span>
  );
}

/**
 * `:shortcode:` completion for a textarea: while the word before the caret is `:` and two or more
 * letters, up to six matching emoji are offered (↑/↓, Enter or Tab picks, Esc closes); a complete
 * `:name:` becomes its emoji. The data set is loaded on the first `:` typed.
 */
export function useShortcodeCompletion(area: RefObject<HTMLTextAreaElement | null>, text: string,
  apply: (next: string, caret: number) => void) {
  const [set, setSet] = useState<EmojiMartData | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);

  useEffect(() => {
    if (!set && text.includes(':')) loadEmojiData().then(setSet, () => undefined);
  }, [text, set]);

  const caret = area.current?.selectionStart ?? text.length;
  const at = shortcodeAt(text, caret);
  const matches: EmojiMatch[] = set && at && dismissed !== `${at.start}:${at.query}` ? searchShortcodes(set, at.query) : [];

  useEffect(() => setActive(0), [at?.query]);

  // ":tada:" typed in full becomes 🎉.
  useEffect(() => {
    if (!set) return;
    const before = text.slice(0, caret);
    const full = /(^|[\s(]):([a-z0-9_+-]{2,40}):$/i.exec(before);
    if (!full) return;
    const emoji = byShortcode(set, full[2].toLowerCase());
    if (!emoji) return;
    const start = caret - full[2].length - 2;
    rememberEmoji(emoji);
    insertText(area.current, text, start, caret, emoji, apply);
  }, [text, caret, set, area, apply]);

  const choose = (m: EmojiMatch) => {
    if (!at) return;
    rememberEmoji(m.native);
    insertText(area.current, text, at.start, caret, m.native + ' ', apply);
  };

  /** Handles the key when the suggestions are open; true when it did. */
  const onKeyDown = (e: React.KeyboardEvent): boolean => {
    if (!matches.length || !at) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
      return true;
    }
    if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
      e.preventDefault();
      choose(matches[Math.min(active, matches.length - 1)]);
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setDismissed(`${at.start}:${at.query}`);
      return true;
    }
    return false;
  };

  const popup = matches.length > 0 ? (
    <ul role="listbox" aria-label="Emoji suggestions" data-testid="emoji-suggestions"
      className="mb-2 flex flex-wrap gap-1 rounded-xl bg-white p-1 shadow-lg ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700">
      {matches.map((m, i) => (
        <li key={m.id} role="option" aria-selected={i === active}>
          <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => choose(m)}
            className={`flex items-center gap-1.5 rounded-lg px-2 py-1 text-sm ${i === active ? 'bg-accent-100 dark:bg-accent-600/30' : 'hover:bg-slate-100 dark:hover:bg-slate-700'}`}>
            <span className="text-lg">{m.native}</span><span className="font-mono text-xs text-slate-500 dark:text-slate-300">:{m.id}:</span>
          </button>
        </li>
      ))}
    </ul>
  ) : null;

  return { popup, onKeyDown };
}
