import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Snippet } from '../components/Formatted';
import { Icon } from '../components/Icon';
import * as chatApi from '../lib/chatApi';
import { ApiError } from '../lib/http';
import { formatFull } from '../lib/time';
import type { SearchResult } from '../lib/types';
import { useChats } from '../stores/chats';

export default function SearchPage() {
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  const sort = params.get('sort') === 'relevance' ? 'relevance' : 'newest';
  const navigate = useNavigate();
  const [partial, setPartial] = useState(false);
  const [capped, setCapped] = useState(false);
  const chats = useChats((s) => s.byId);
  const [results, setResults] = useState<SearchResult[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    setResults([]);
    setError(null);
    setTotal(null);
    if (!q.trim()) return;
    setLoading(true);
    chatApi.searchMessages(q, sort).then((r) => {
      if (!alive) return;
      setResults(r.results);
      setTotal(r.total);
      setPartial(r.partialMatches);
      setCapped(r.totalCapped);
      setCursor(r.nextCursor);
      setHasMore(r.hasMore);
    }, (e) => alive && setError(e instanceof ApiError ? (e.details[0]?.message ?? e.message) : (e as Error).message))
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
  }, [q, sort]);

  const more = async () => {
    setLoading(true);
    try {
      const r = await chatApi.searchMessages(q, sort, cursor);
      setResults((prev) => [...prev, ...r.results.filter((x) => !prev.some((p) => p.id === x.id))]);
      setCursor(r.nextCursor);
      setHasMore(r.hasMore);
    } finally {
      setLoading(false);
    }
  };

  // Grouped by chat, chats in the order their best (first) result appears.
  const groups: { chatId: string; name: string; ref: string; items: SearchResult[] }[] = [];
  for (const r of results) {
    let g = groups.find((x) => x.chatId === r.chatId);
    if (!g) {
      const chat = chats[r.chatId];
      g = { chatId: r.chatId, name: chat?.name ?? r.chatName, ref: chat?.slug ?? r.chatSlug ?? r.chatId, items: [] };
      groups.push(g);
    }
    g.items.push(r);
  }

  return (
    <div className="flex h-full flex-col">
      <header className="flex items-center gap-3 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <button type="button" onClick={() => navigate('/chats')} className="rounded-lg p-1.5 text-slate-500 hover:bg-slate-100 md:hidden dark:hover:bg-slate-800" aria-label="Back to chats">
          <Icon name="back" />
        </button>
        <div className="min-w-0">
          <h1 className="text-base font-semibold">Search results</h1>
          <p className="truncate text-xs text-slate-500">
            {loading && results.length === 0 ? 'Searching…' : total !== null ? `${total}${capped ? '+' : ''} message${total === 1 ? '' : 's'} for ` : `${results.length} shown for `}
            {!(loading && results.length === 0) && <code className="font-mono">{q}</code>}
          </p>
        </div>
        <div className="ml-auto flex shrink-0 rounded-lg bg-slate-100 p-0.5 text-xs font-medium dark:bg-slate-800" role="group" aria-label="Order">
          {(['newest', 'relevance'] as const).map((o) => (
            <button key={o} type="button" aria-pressed={sort === o}
              onClick={() => navigate(`/search?q=${encodeURIComponent(q)}${o === 'relevance' ? '&sort=relevance' : ''}`, { replace: true })}
              className={`rounded-md px-2.5 py-1 ${sort === o ? 'bg-white shadow-sm dark:bg-slate-950' : 'text-slate-500'}`}>
              {o === 'newest' ? 'Newest' : 'Best match'}
            </button>
          ))}
        </div>
      </header>
      <div className="scroll-thin flex-1 overflow-y-auto px-4 py-4" data-testid="search-results">
        {partial && results.length > 0 && <p className="mb-3 rounded-xl bg-sky-50 px-4 py-2 text-xs text-sky-800 dark:bg-sky-950 dark:text-sky-200">No whole-word matches: showing messages that contain your words inside longer words.</p>}
        {error && <p role="alert" className="rounded-xl bg-rose-50 px-4 py-3 text-sm text-rose-700 dark:bg-rose-950 dark:text-rose-200">{error}</p>}
        {!loading && !error && results.length === 0 && q && <p className="text-sm text-slate-500">No messages match. Try fewer words, or an operator like <code>from:</code> or <code>in:</code>.</p>}
        {groups.map((g) => (
          <section key={g.chatId} className="mb-6" aria-label={g.name}>
            <h2 className="mb-2 flex items-center gap-2 text-sm font-semibold text-slate-600 dark:text-slate-300">
              <Icon name="chat" className="h-4 w-4" /> {g.name}
            </h2>
            <ul className="space-y-1.5">
              {g.items.map((r) => (
                <li key={r.id}>
                  <Link to={`/chats/${g.ref}/messages/${r.id}`} className="block rounded-xl bg-white px-4 py-3 ring-1 ring-slate-200 transition hover:ring-accent-400 dark:bg-slate-900 dark:ring-slate-800" data-result-id={r.id}>
                    <div className="mb-0.5 flex items-baseline justify-between gap-2 text-xs text-slate-500">
                      <span className="font-medium text-slate-700 dark:text-slate-300">{r.senderName}</span>
                      <time dateTime={r.createdAt}>{r.createdAt ? formatFull(r.createdAt) : ''}</time>
                    </div>
                    <p className="text-sm leading-relaxed break-words"><Snippet snippet={r.snippet} /></p>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
        {hasMore && <button type="button" onClick={more} disabled={loading} className="w-full rounded-xl py-2 text-sm font-medium text-accent-600 hover:bg-accent-50 dark:hover:bg-accent-600/10">{loading ? 'Loading…' : 'More results'}</button>}
      </div>
    </div>
  );
}
