import { memo, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { callSummary } from '../calls/CallLogRow';
import { Avatar } from '../components/Avatar';
import { Icon } from '../components/Icon';
import { SearchBox } from '../components/SearchBox';
import { AddContactDialog, ContactMenu, NewGroupDialog, PendingRequestsDialog, ProfileDialog } from '../components/Dialogs';
import { previewText } from '../lib/format';
import { formatListTime } from '../lib/time';
import type { Chat, Contact } from '../lib/types';
import { useAuth } from '../stores/auth';
import { sortChats, useChats } from '../stores/chats';
import { useContacts } from '../stores/contacts';
import { shownStatus, usePresence } from '../stores/presence';
import { useUi } from '../stores/ui';
import { useShallow } from 'zustand/react/shallow';
import { openDirectWith } from '../sync';
import { useIsAdmin } from './admin/role';
import { NotificationSettingsDialog } from '../notifications/NotificationSettings';
import { canInstall, onInstallAvailability, promptInstall } from '../notifications/install';

type DialogName = 'add' | 'pending' | 'group' | 'profile' | 'notifications' | null;

export function Sidebar({ searchFocusSignal }: { searchFocusSignal: number }) {
  const user = useAuth((s) => s.user)!;
  const logout = useAuth((s) => s.logout);
  const isAdmin = useIsAdmin();
  const chats = useChats(useShallow((s) => sortChats(s.byId)));
  const loaded = useChats((s) => s.loaded);
  const contacts = useContacts((s) => s.contacts);
  const pending = useContacts((s) => s.pending);
  const incoming = pending.filter((p) => !p.outgoing);
  const theme = useUi((s) => s.theme);
  const setTheme = useUi((s) => s.setTheme);
  const toast = useUi((s) => s.toast);
  const [dialog, setDialog] = useState<DialogName>(null);
  const [installable, setInstallable] = useState(canInstall());
  useEffect(() => onInstallAvailability(() => setInstallable(canInstall())), []);
  const navigate = useNavigate();
  const { ref } = useParams();
  const isDark = document.documentElement.classList.contains('dark');
  useEffect(() => {
    // For the time-to-interactive measurement (docs/subsystems/web.md).
    if (loaded && performance.getEntriesByName('confab:chats-ready').length === 0) performance.mark('confab:chats-ready');
  }, [loaded]);

  const openContact = async (c: Contact) => {
    try {
      const chat = await openDirectWith(c.user.id);
      navigate(`/chats/${chat.id}`);
    } catch (e) {
      toast((e as Error).message, 'error');
    }
  };

  // Asked from the click itself (browsers allow the prompt only from a user gesture).
  const askNotifications = async () => {
    if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
    await Notification.requestPermission();
  };

  const accepted = contacts.filter((c) => c.status === 'accepted');
  return (
    <>
      <div className="flex items-center gap-3 px-4 pb-2 pt-4">
        <button type="button" onClick={() => setDialog('profile')} className="flex min-w-0 flex-1 items-center gap-3 rounded-xl p-1 text-left hover:bg-slate-200/60 dark:hover:bg-slate-800" aria-label="Your profile">
          <Avatar name={user.displayName || user.username} seed={user.id} url={user.avatarUrl} size="md" status="online" />
          <span className="min-w-0">
            <span className="block truncate text-sm font-semibold">{user.displayName || user.username}</span>
            <span className="block truncate text-xs text-slate-500 dark:text-slate-400">@{user.username}</span>
          </span>
        </button>
        <button type="button" className="rounded-lg p-2 text-slate-500 hover:bg-slate-200/60 dark:hover:bg-slate-800" onClick={() => setTheme(isDark ? 'light' : 'dark')} aria-label={isDark ? 'Use light theme' : 'Use dark theme'} title={`Theme: ${theme}`}>
          <Icon name={isDark ? 'sun' : 'moon'} />
        </button>
        <button type="button" className="rounded-lg p-2 text-slate-500 hover:bg-slate-200/60 dark:hover:bg-slate-800" onClick={() => { void askNotifications(); setDialog('notifications'); }} aria-label="Notification settings" title="Notifications">
          <Icon name="bell" />
        </button>
        {installable && (
          <button type="button" className="rounded-lg p-2 text-slate-500 hover:bg-slate-200/60 dark:hover:bg-slate-800" onClick={() => void promptInstall()} aria-label="Install Confab as an app" title="Install app" data-testid="install-app">
            <Icon name="arrowDown" />
          </button>
        )}
        {isAdmin && (
          <Link to="/admin" className="rounded-lg p-2 text-slate-500 hover:bg-slate-200/60 dark:hover:bg-slate-800" aria-label="Administration" title="Administration">
            <Icon name="users" />
          </Link>
        )}
        <button type="button" className="rounded-lg p-2 text-slate-500 hover:bg-slate-200/60 dark:hover:bg-slate-800" onClick={async () => { await logout(); navigate('/login'); }} aria-label="Sign out" title="Sign out">
          <Icon name="logout" />
        </button>
      </div>
      <div className="px-4 pb-2">
        <SearchBox focusSignal={searchFocusSignal} />
      </div>
      <div className="flex gap-2 px-4 pb-3">
        <button type="button" onClick={() => setDialog('add')} className="inline-flex flex-1 items-center justify-center gap-1.5 rounded-xl bg-accent-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-accent-700">
          <Icon name="userPlus" className="h-4 w-4" /> Add Contact
        </button>
        <button type="button" onClick={() => setDialog('group')} className="inline-flex flex-1 items-center justify-center gap-1.5 rounded-xl bg-white px-3 py-2 text-sm font-semibold text-slate-700 shadow-sm ring-1 ring-slate-200 hover:bg-slate-50 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-700 dark:hover:bg-slate-700">
          <Icon name="users" className="h-4 w-4" /> New Group
        </button>
      </div>
      <nav className="scroll-thin min-h-0 flex-1 overflow-y-auto px-2 pb-4" aria-label="Conversations">
        <button type="button" onClick={() => setDialog('pending')} className="mb-2 flex w-full items-center justify-between rounded-xl px-3 py-2 text-sm text-slate-600 hover:bg-slate-200/60 dark:text-slate-300 dark:hover:bg-slate-800">
          <span className="flex items-center gap-2"><Icon name="userPlus" className="h-4 w-4" /> Pending Requests</span>
          {incoming.length > 0 && <span className="rounded-full bg-rose-500 px-2 py-0.5 text-xs font-semibold text-white" data-testid="pending-count">{incoming.length}</span>}
        </button>
        <h2 className="px-3 pb-1 pt-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">Chats</h2>
        {!loaded && <ChatSkeleton />}
        {loaded && chats.length === 0 && <p className="px-3 py-2 text-sm text-slate-500 dark:text-slate-400">No chats yet. Add a contact and say hello.</p>}
        <ul className="space-y-0.5" data-testid="chat-list">
          {chats.map((c) => <ChatRow key={c.id} chat={c} active={ref === c.id || (!!c.slug && ref === c.slug)} />)}
        </ul>
        <h2 className="px-3 pb-1 pt-4 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">Contacts</h2>
        {accepted.length === 0 && <p className="px-3 py-2 text-sm text-slate-500 dark:text-slate-400">No contacts yet.</p>}
        <ul className="space-y-0.5" data-testid="contact-list">
          {accepted.map((c) => <ContactRow key={c.id} contact={c} onOpen={() => openContact(c)} />)}
        </ul>
      </nav>
      {dialog === 'add' && <AddContactDialog onClose={() => setDialog(null)} />}
      {dialog === 'pending' && <PendingRequestsDialog onClose={() => setDialog(null)} onOpenChat={(id) => { setDialog(null); navigate(`/chats/${id}`); }} />}
      {dialog === 'group' && <NewGroupDialog onClose={() => setDialog(null)} onCreated={(id) => { setDialog(null); navigate(`/chats/${id}`); }} />}
      {dialog === 'profile' && <ProfileDialog onClose={() => setDialog(null)} />}
      {dialog === 'notifications' && <NotificationSettingsDialog onClose={() => setDialog(null)} />}
    </>
  );
}

function ChatSkeleton() {
  return (
    <div className="space-y-2 px-3 py-2" aria-hidden="true">
      {[0, 1, 2].map((i) => (
        <div key={i} className="flex animate-pulse items-center gap-3">
          <div className="h-10 w-10 rounded-full bg-slate-200 dark:bg-slate-800" />
          <div className="flex-1 space-y-1.5"><div className="h-3 w-1/2 rounded bg-slate-200 dark:bg-slate-800" /><div className="h-3 w-3/4 rounded bg-slate-200 dark:bg-slate-800" /></div>
        </div>
      ))}
    </div>
  );
}

const ChatRow = memo(function ChatRow({ chat, active }: { chat: Chat; active: boolean }) {
  const me = useAuth((s) => s.user?.id);
  const peerStatus = usePresence((s) => (chat.peer ? shownStatus(s, chat.peer.id, chat.peer.status) : undefined));
  const typingMap = usePresence((s) => s.typing[chat.id]);
  const typing = typingMap ? Object.values(typingMap) : [];
  const last = chat.lastMessage;
  let preview = '';
  if (last) {
    const body = last.call ? callSummary(last, me) : last.contentType === 'system' ? 'Chat updated' : last.isDeleted ? 'Message deleted' : previewText(last.content) || (last.attachments.length || last.contentType === 'image' ? '📷 Photo' : '');
    const who = last.call ? '' : last.senderId === me ? 'You: ' : chat.type === 'group' ? `${last.senderName.split(' ')[0]}: ` : '';
    preview = who + body;
  }
  return (
    <li>
      <Link to={`/chats/${chat.slug ?? chat.id}`} aria-current={active ? 'page' : undefined} data-chat-id={chat.id}
        className={`flex items-center gap-3 rounded-xl px-3 py-2.5 transition ${active ? 'bg-accent-600/10 dark:bg-accent-500/20' : 'hover:bg-slate-200/60 dark:hover:bg-slate-800'}`}>
        <Avatar name={chat.name} seed={chat.peer?.id ?? chat.id} url={chat.avatarUrl} status={chat.type === 'direct' ? peerStatus ?? 'offline' : null} group={chat.type === 'group'} />
        <span className="min-w-0 flex-1">
          <span className="flex items-baseline justify-between gap-2">
            <span className={`flex min-w-0 items-center gap-1 truncate text-sm ${chat.unreadCount ? 'font-bold' : 'font-semibold'}`}>
              <span className="truncate">{chat.name}</span>
              {chat.muted && <span data-testid="muted-icon" title="Muted" aria-label="muted"><Icon name="bellSlash" className="h-3.5 w-3.5 shrink-0 text-slate-400" /></span>}
            </span>
            <span className={`shrink-0 text-[11px] ${chat.unreadCount ? 'font-semibold text-accent-600 dark:text-accent-400' : 'text-slate-400'}`}>{last ? formatListTime(chat.lastActivityAt) : ''}</span>
          </span>
          <span className="flex items-center justify-between gap-2">
            <span className={`truncate text-[13px] ${chat.unreadCount ? 'text-slate-800 dark:text-slate-100' : 'text-slate-500 dark:text-slate-400'}`}>
              {typing.length ? <em className="not-italic text-accent-600 dark:text-accent-400">{typing.length === 1 ? `${typing[0].name} is typing…` : 'Several people are typing…'}</em> : preview || <span className="italic">No messages yet</span>}
            </span>
            {(chat.mentionCount ?? 0) > 0 && (
              <span className="inline-flex min-w-5 shrink-0 items-center justify-center rounded-full bg-amber-500 px-1.5 text-[11px] font-bold leading-5 text-white" data-testid="mention-badge" aria-label={`${chat.mentionCount} mentions`}>
                @{chat.mentionCount! > 99 ? '99+' : chat.mentionCount}
              </span>
            )}
            {chat.unreadCount > 0 && (
              <span className={`inline-flex min-w-5 shrink-0 items-center justify-center rounded-full ${chat.muted ? 'bg-slate-600' : 'bg-accent-600'} px-1.5 text-[11px] font-bold leading-5 text-white`} data-testid="unread-badge" aria-label={`${chat.unreadCount} unread`}>
                {chat.unreadCount > 99 ? '99+' : chat.unreadCount}
              </span>
            )}
          </span>
        </span>
      </Link>
    </li>
  );
});

function ContactRow({ contact, onOpen }: { contact: Contact; onOpen: () => void }) {
  const status = usePresence((s) => shownStatus(s, contact.user.id, contact.user.status));
  const [menu, setMenu] = useState(false);
  return (
    <li className="group relative flex items-center">
      <button type="button" onClick={onOpen} className="flex min-w-0 flex-1 items-center gap-3 rounded-xl px-3 py-2 text-left hover:bg-slate-200/60 dark:hover:bg-slate-800" data-contact={contact.user.username}>
        <Avatar name={contact.user.displayName || contact.user.username} seed={contact.user.id} url={contact.user.avatarUrl} size="sm" status={status} />
        <span className="min-w-0">
          <span className="block truncate text-sm font-medium">{contact.user.displayName || contact.user.username}</span>
          {contact.user.displayName && contact.user.displayName !== contact.user.username && <span className="block truncate text-xs text-slate-500">@{contact.user.username}</span>}
        </span>
      </button>
      <button type="button" onClick={() => setMenu(true)} className="absolute right-2 rounded-lg p-1.5 text-slate-400 opacity-0 hover:bg-slate-300/50 group-hover:opacity-100 focus:opacity-100 dark:hover:bg-slate-700" aria-label={`Options for ${contact.user.username}`}>
        <Icon name="dots" className="h-4 w-4" />
      </button>
      {menu && <ContactMenu contact={contact} onClose={() => setMenu(false)} />}
    </li>
  );
}
