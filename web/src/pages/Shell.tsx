import { useEffect, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useShallow } from 'zustand/react/shallow';
import { CallOverlay } from '../calls/CallOverlay';
import { ConnectionBanner } from '../components/ConnectionBanner';
import { useUi } from '../stores/ui';
import { useOutboxEntries } from '../hooks';
import { useAuth } from '../stores/auth';
import { sortChats, totalUnread, useChats } from '../stores/chats';
import { reconnectNow, startSync } from '../sync';
import { Sidebar } from './Sidebar';
import { useNotificationPrefs } from '../notifications/store';

export function Shell() {
  const user = useAuth((s) => s.user)!;
  const location = useLocation();
  const navigate = useNavigate();
  const unread = useChats((s) => totalUnread(s.byId));
  const chatPaths = useChats(useShallow((s) => sortChats(s.byId).map((c) => `/chats/${c.slug ?? c.id}`)));
  const pending = useOutboxEntries();
  const [searchFocusSignal, setSearchFocusSignal] = useState(0);

  useEffect(() => {
    startSync(user.id);
    void useNotificationPrefs.getState().reload();
  }, [user.id]);

  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Confab` : 'Confab';
  }, [unread]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setSearchFocusSignal((n) => n + 1);
      }
      if (e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp') && chatPaths.length) {
        e.preventDefault();
        const current = chatPaths.findIndex((p) => location.pathname.startsWith(p));
        const next = e.key === 'ArrowDown' ? Math.min(chatPaths.length - 1, current + 1) : Math.max(0, current - 1);
        navigate(chatPaths[current < 0 ? 0 : next]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [chatPaths, location.pathname, navigate]);

  const connection = useUi((s) => s.connection);
  const transport = useUi((s) => s.transport);
  // On a phone one pane shows at a time: the list at /chats, the conversation elsewhere.
  const showList = location.pathname === '/chats';

  return (
    // The connection's state is on the page (as the banner shows it) so the browser tests read it.
    <div className="flex h-full flex-col" data-connection={connection} data-transport={transport}>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-lg focus:bg-white focus:px-3 focus:py-2 focus:shadow">Skip to conversation</a>
      <ConnectionBanner pendingCount={pending.length} onReconnect={reconnectNow} />
      <CallOverlay />
      <div className="flex min-h-0 flex-1">
        <aside className={`${showList ? 'flex' : 'hidden'} w-full shrink-0 flex-col border-r border-slate-200 bg-slate-50/80 md:flex md:w-[340px] lg:w-[360px] dark:border-slate-800 dark:bg-slate-900/60`} aria-label="Chats and contacts">
          <Sidebar searchFocusSignal={searchFocusSignal} />
        </aside>
        <main id="main" className={`${showList ? 'hidden' : 'flex'} min-w-0 flex-1 flex-col md:flex`}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
