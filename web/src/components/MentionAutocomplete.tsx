import { useState, type RefObject } from 'react';
import { Avatar } from './Avatar';
import type { Chat } from '../lib/types';

interface Candidate {
  key: string;
  username: string;
  label: string;
  seed: string;
  avatarUrl?: string | null;
}

const TOKEN = /(^|[^\w@])@(\w{0,50})$/;

/** The "@name" being typed just before the caret, if any. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = TOKEN.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2].length - 1, query: match[2].toLowerCase() };
}

/**
 * @-mention completion for a composer textarea: members of the chat (and @here / @all in groups)
 * whose username or display name starts with what follows the "@". Returns the popup to render
 * and a key handler the composer calls first (true = the key was used).
 */
export function useMentionAutocomplete(chat: Chat, me: string, area: RefObject<HTMLTextAreaElement | null>, text: string,
  setText: (value: string) => void) {
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const caret = area.current?.selectionStart ?? text.length;
  const token = mentionQuery(text, caret);
  const open = !!token && dismissedAt !== token.start;
  let candidates: Candidate[] = [];
  if (token && open) {
    const q = token.query;
    candidates = chat.participants
      .filter((p) => p.id !== me)
      .filter((p) => p.username.toLowerCase().startsWith(q) || (p.displayName ?? '').toLowerCase().startsWith(q))
      .slice(0, 6)
      .map((p) => ({ key: p.id, username: p.username, label: p.displayName || p.username, seed: p.id, avatarUrl: p.avatarUrl }));
    if (chat.type === 'group' && (chat.everyoneMentions !== 'admins' || chat.myRole === 'owner' || chat.myRole === 'admin')) {
      for (const special of ['here', 'all']) {
        if (special.startsWith(q)) candidates.push({ key: special, username: special, label: special === 'here' ? 'Notify everyone here' : 'Notify all members', seed: special });
      }
    }
  }
  const index = Math.min(active, Math.max(0, candidates.length - 1));

  const pick = (c: Candidate) => {
    if (!token) return;
    const before = text.slice(0, token.start);
    const after = text.slice(caret);
    const insert = `@${c.username} `;
    const inserted = before + insert + after;
    setText(inserted);
    setActive(0);
    const position = before.length + insert.length;
    requestAnimationFrame(() => {
      const el = area.current;
      // Keys typed before this frame are already in the box, after the mention: moving the caret
      // back then would put the rest of the word in front of them ("@ann see" became "@ann ees").
      if (el && el.value === inserted) {
        el.focus();
        el.setSelectionRange(position, position);
      }
    });
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open || candidates.length === 0) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((index + (e.key === 'ArrowDown' ? 1 : candidates.length - 1)) % candidates.length);
      return true;
    }
    if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
      e.preventDefault();
      pick(candidates[index]);
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      setDismissedAt(token!.start);
      return true;
    }
    return false;
  };

  const popup = open && candidates.length > 0 ? (
    <ul role="listbox" aria-label="Mention someone" data-testid="mention-autocomplete"
      className="absolute bottom-full left-3 z-40 mb-2 w-72 overflow-hidden rounded-xl bg-white py-1 text-sm shadow-xl ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700">
      {candidates.map((c, i) => (
        <li key={c.key} role="option" aria-selected={i === index}>
          <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => pick(c)} data-mention-option={c.username}
            className={`flex w-full items-center gap-2 px-3 py-1.5 text-left ${i === index ? 'bg-accent-50 dark:bg-accent-600/25' : 'hover:bg-slate-50 dark:hover:bg-slate-700'}`}>
            <Avatar name={c.label} seed={c.seed} url={c.avatarUrl} size="sm" />
            <span className="min-w-0 flex-1 truncate"><span className="font-medium">{c.label}</span> <span className="text-slate-500">@{c.username}</span></span>
          </button>
        </li>
      ))}
    </ul>
  ) : null;

  return { popup, onKeyDown };
}
