import { useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { suggest } from '../lib/searchSuggest';
import { sortChats, useChats } from '../stores/chats';
import { useContacts } from '../stores/contacts';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from './Icon';

export function SearchBox({ focusSignal }: { focusSignal: number }) {
  const location = useLocation();
  const navigate = useNavigate();
  const initial = location.pathname === '/search' ? new URLSearchParams(location.search).get('q') ?? '' : '';
  const [query, setQuery] = useState(initial);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const input = useRef<HTMLInputElement>(null);
  const contacts = useContacts((s) => s.contacts);
  const groups = useChats(useShallow((s) => sortChats(s.byId).filter((c) => c.type === 'group')));
  const chats = useMemo(() => groups.map((c) => ({ name: c.name, slug: c.slug })), [groups]);

  useEffect(() => {
    if (focusSignal > 0) input.current?.focus();
  }, [focusSignal]);

  const suggestions = useMemo(
    () => (open ? suggest(query, contacts.map((c) => c.user), chats) : []),
    [open, query, contacts, chats],
  );

  const run = (q: string) => {
    const trimmed = q.trim();
    if (!trimmed) return;
    setOpen(false);
    navigate(`/search?q=${encodeURIComponent(trimmed)}`);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' && suggestions.length) {
      e.preventDefault();
      setActive((a) => (a + 1) % suggestions.length);
    } else if (e.key === 'ArrowUp' && suggestions.length) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? suggestions.length - 1 : a - 1));
    } else if ((e.key === 'Enter' || e.key === 'Tab') && active >= 0 && suggestions[active]) {
      e.preventDefault();
      setQuery(suggestions[active].value);
      setActive(-1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      run(query);
    } else if (e.key === 'Escape') {
      if (open && suggestions.length) setOpen(false);
      else {
        setQuery('');
        input.current?.blur();
      }
    }
  };

  return (
    <div className="relative" role="search">
      <label htmlFor="message-search" className="sr-only">Search messages</label>
      <div className="flex items-center gap-2 rounded-xl bg-white px-3 ring-1 ring-slate-200 focus-within:ring-2 focus-within:ring-accent-500 dark:bg-slate-950 dark:ring-slate-700">
        <Icon name="search" className="h-4 w-4 shrink-0 text-slate-400" />
        <input
          id="message-search"
          ref={input}
          type="search"
          placeholder="Search messages"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={onKeyDown}
          role="combobox"
          aria-expanded={suggestions.length > 0}
          aria-controls="search-suggestions"
          aria-activedescendant={active >= 0 ? `search-suggestion-${active}` : undefined}
          aria-autocomplete="list"
          className="w-full bg-transparent py-2 text-sm outline-none focus-visible:outline-none placeholder:text-slate-400 [&::-webkit-search-cancel-button]:hidden"
          autoComplete="off"
        />
        <kbd className="hidden shrink-0 rounded border border-slate-200 px-1.5 text-[10px] text-slate-400 lg:inline dark:border-slate-700">Ctrl K</kbd>
      </div>
      {suggestions.length > 0 && (
        <ul id="search-suggestions" role="listbox" className="absolute inset-x-0 top-full z-30 mt-1 overflow-hidden rounded-xl bg-white py-1 shadow-xl ring-1 ring-slate-900/10 dark:bg-slate-900 dark:ring-white/10">
          {suggestions.map((s, i) => (
            <li key={s.value} id={`search-suggestion-${i}`} role="option" aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                setQuery(s.value);
                input.current?.focus();
              }}
              className={`flex cursor-pointer items-baseline justify-between gap-3 px-3 py-1.5 text-sm ${i === active ? 'bg-accent-50 dark:bg-accent-600/20' : ''}`}>
              <code className="font-mono text-[13px] text-accent-700 dark:text-accent-200">{s.label}</code>
              <span className="truncate text-xs text-slate-500">{s.hint}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
