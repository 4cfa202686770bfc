import { useNavigate } from 'react-router';
import { CallButtons } from '../../calls/CallButtons';
import { Avatar } from '../../components/Avatar';
import { Icon } from '../../components/Icon';
import { copyText } from '../../lib/clipboard';
import { formatLastSeen } from '../../lib/time';
import type { Chat } from '../../lib/types';
import { shownStatus, usePresence } from '../../stores/presence';
import { useUi } from '../../stores/ui';

export function ChatHeader({ chat, onDetails }: { chat: Chat; onDetails: () => void }) {
  const navigate = useNavigate();
  const presence = usePresence((s) => (chat.peer ? s.users[chat.peer.id] : undefined));
  const status = usePresence((s) => shownStatus(s, chat.peer?.id, chat.peer?.status));
  const toast = useUi((s) => s.toast);
  let subtitle: string;
  const count = Math.max(chat.participantCount, chat.participants.length);
  if (chat.type === 'group') subtitle = `${count} member${count === 1 ? '' : 's'}`;
  else subtitle = status === 'online' ? 'online' : status === 'away' ? 'away' : formatLastSeen(presence?.lastSeen ?? chat.peer?.lastSeen);
  return (
    <header className="flex items-center gap-3 border-b border-slate-200 bg-white/90 px-3 py-2.5 backdrop-blur sm:px-5 dark:border-slate-800 dark:bg-slate-950/90">
      <button type="button" onClick={() => navigate('/chats')} className="rounded-lg p-1.5 text-slate-500 hover:bg-slate-100 md:hidden dark:hover:bg-slate-800" aria-label="Back to chats">
        <Icon name="back" />
      </button>
      <button type="button" onClick={onDetails} className="flex min-w-0 flex-1 items-center gap-3 rounded-xl p-1 text-left hover:bg-slate-100 dark:hover:bg-slate-900" aria-label={`Details of ${chat.name}`}>
        <Avatar name={chat.name} seed={chat.peer?.id ?? chat.id} url={chat.avatarUrl} status={chat.type === 'direct' ? status : null} group={chat.type === 'group'} />
        <span className="min-w-0">
          <h1 className="truncate text-base font-semibold" data-testid="chat-title">{chat.name}</h1>
          <span className={`block truncate text-xs ${status === 'online' && chat.type === 'direct' ? 'text-emerald-600 dark:text-emerald-400' : 'text-slate-500 dark:text-slate-400'}`}>{subtitle}</span>
        </span>
      </button>
      <CallButtons chat={chat} />
      <button type="button" className="rounded-lg p-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Copy link to this chat" title="Copy link to this chat"
        onClick={() => copyText(`${location.origin}/chats/${chat.slug ?? chat.id}`).then(() => toast('Link copied'))}>
        <Icon name="link" />
      </button>
      <button type="button" className="rounded-lg p-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label={chat.type === 'group' ? 'Members' : 'Details'} title={chat.type === 'group' ? 'Members' : 'Details'} onClick={onDetails}>
        <Icon name={chat.type === 'group' ? 'users' : 'info'} />
      </button>
    </header>
  );
}


export function TypingIndicator({ chatId }: { chatId: string }) {
  const typists = usePresence((s) => s.typing[chatId]);
  const names = Object.values(typists ?? {}).map((t) => t.name);
  if (names.length === 0) return <div className="h-5" aria-hidden="true" />;
  const text = names.length === 1 ? `${names[0]} is typing` : names.length === 2 ? `${names[0]} and ${names[1]} are typing` : 'Several people are typing';
  return (
    <div className="flex h-5 items-center gap-1.5 px-6 text-xs text-slate-500" aria-live="polite" data-testid="typing-indicator">
      <span className="inline-flex gap-0.5"><span className="typing-dot h-1 w-1 rounded-full bg-current" /><span className="typing-dot h-1 w-1 rounded-full bg-current" /><span className="typing-dot h-1 w-1 rounded-full bg-current" /></span>
      {text}…
    </div>
  );
}

