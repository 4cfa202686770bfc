import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import * as chatApi from '../lib/chatApi';
import { ApiError } from '../lib/http';
import { formatLastSeen } from '../lib/time';
import type { Chat } from '../lib/types';
import { useAuth } from '../stores/auth';
import { useChats } from '../stores/chats';
import { shownStatus, usePresence } from '../stores/presence';
import { useUi } from '../stores/ui';
import { refreshChat } from '../sync';
import { Avatar } from './Avatar';
import { inputClass, MemberPicker, primaryButton, secondaryButton } from './Dialogs';
import { ChatNotificationLevel } from '../notifications/ChatNotificationLevel';
import { Icon } from './Icon';

function errorMessage(e: unknown) {
  return e instanceof ApiError ? e.details[0]?.message ?? e.message : (e as Error).message;
}

/** The side panel of a chat: members with roles and presence; for groups rename, add, remove, leave. */
export function ChatDetails({ chat, onClose }: { chat: Chat; onClose: () => void }) {
  const me = useAuth((s) => s.user!.id);
  const toast = useUi((s) => s.toast);
  const navigate = useNavigate();
  const presence = usePresence((s) => s.users);
  const connected = usePresence((s) => s.connected);
  const [name, setName] = useState(chat.name);
  const [adding, setAdding] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [busy, setBusy] = useState(false);
  const isGroup = chat.type === 'group';
  const canManage = isGroup && (chat.myRole === 'owner' || chat.myRole === 'admin');

  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    try {
      await fn();
      if (done) toast(done);
      await refreshChat(chat.id);
    } catch (e) {
      toast(errorMessage(e), 'error');
    } finally {
      setBusy(false);
    }
  };

  const rename = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || name.trim() === chat.name) return;
    void run(async () => {
      await chatApi.updateChat(chat.id, { name: name.trim() }, me);
      useChats.getState().patch(chat.id, (c) => ({ ...c, name: name.trim() }));
    }, 'Group renamed');
  };

  const leave = async () => {
    setBusy(true);
    try {
      await chatApi.leaveChat(chat.id);
      useChats.getState().remove(chat.id);
      toast(`You left ${chat.name}`);
      navigate('/chats');
    } catch (e) {
      toast(errorMessage(e), 'error');
      setBusy(false);
    }
  };

  const roleOrder = { owner: 0, admin: 1, member: 2 } as const;
  const members = [...chat.participants].sort((a, b) => roleOrder[a.role] - roleOrder[b.role] || (a.displayName || a.username).localeCompare(b.displayName || b.username));

  return (
    <aside className="absolute inset-0 z-30 flex w-full flex-col border-l border-slate-200 bg-white sm:static sm:w-80 dark:border-slate-800 dark:bg-slate-950" aria-label="Chat details">
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <h2 className="text-sm font-semibold">{isGroup ? 'Group details' : 'Details'}</h2>
        <button type="button" onClick={onClose} className="rounded-lg p-1.5 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Close details"><Icon name="x" /></button>
      </div>
      <div className="scroll-thin flex-1 space-y-5 overflow-y-auto p-4">
        <div className="flex flex-col items-center gap-2 text-center">
          <Avatar name={chat.name} seed={chat.peer?.id ?? chat.id} url={chat.avatarUrl} size="lg" group={isGroup} />
          <div className="text-base font-semibold">{chat.name}</div>
          {chat.peer && <div className="text-xs text-slate-500">@{chat.peer.username}</div>}
          {chat.slug && <div className="text-xs text-slate-500">/{chat.slug}</div>}
        </div>
        <ChatNotificationLevel chat={chat} />
        {canManage && (
          <form onSubmit={rename} className="space-y-2">
            <label className="block text-xs font-semibold uppercase tracking-wide text-slate-500" htmlFor="rename-group">Group name</label>
            <div className="flex gap-2">
              <input id="rename-group" className={inputClass} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
              <button type="submit" className={primaryButton} disabled={busy || !name.trim() || name.trim() === chat.name}>Rename</button>
            </div>
          </form>
        )}
        <section>
          <div className="mb-2 flex items-center justify-between">
            <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Members ({Math.max(chat.participantCount, chat.participants.length)})</h3>
            {canManage && !adding && <button type="button" className="text-xs font-semibold text-accent-600" onClick={() => setAdding(true)}>Add members</button>}
          </div>
          {adding && (
            <div className="mb-3 rounded-xl bg-slate-50 p-3 dark:bg-slate-900">
              <MemberPicker selected={selected} onChange={setSelected} exclude={chat.participants.map((p) => p.id)} />
              <div className="mt-2 flex justify-end gap-2">
                <button type="button" className={secondaryButton} onClick={() => { setAdding(false); setSelected([]); }}>Cancel</button>
                <button type="button" className={primaryButton} disabled={busy || selected.length === 0}
                  onClick={() => run(async () => {
                    await chatApi.addParticipants(chat.id, selected);
                    setAdding(false);
                    setSelected([]);
                  }, 'Members added')}>Add</button>
              </div>
            </div>
          )}
          <ul className="space-y-1" data-testid="member-list">
            {members.map((p) => {
              const status = shownStatus({ users: presence, connected }, p.id, p.status);
              return (
                <li key={p.id} className="flex items-center gap-3 rounded-lg px-1 py-1.5" data-member={p.username}>
                  <Avatar name={p.displayName || p.username} seed={p.id} url={p.avatarUrl} size="sm" status={status} />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate text-sm font-medium">{p.displayName || p.username}{p.id === me ? ' (you)' : ''}</span>
                    <span className="block truncate text-xs text-slate-500">{status === 'online' ? 'online' : status === 'away' ? 'away' : formatLastSeen(presence[p.id]?.lastSeen ?? p.lastSeen)}</span>
                  </span>
                  {isGroup && p.role !== 'member' && <span className="rounded-full bg-slate-100 px-2 py-0.5 text-[10px] font-semibold uppercase text-slate-600 dark:bg-slate-800 dark:text-slate-300">{p.role}</span>}
                  {canManage && p.id !== me && p.role !== 'owner' && (
                    <button type="button" className="rounded-lg p-1 text-slate-400 hover:bg-rose-50 hover:text-rose-600 dark:hover:bg-rose-950" aria-label={`Remove ${p.username}`} title="Remove from group"
                      disabled={busy} onClick={() => run(() => chatApi.removeParticipant(chat.id, p.id), `${p.displayName || p.username} removed`)}>
                      <Icon name="x" className="h-4 w-4" />
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
        {isGroup && (
          <section className="border-t border-slate-200 pt-4 dark:border-slate-800">
            {!confirmLeave
              ? <button type="button" className={`${secondaryButton} w-full text-rose-600`} onClick={() => setConfirmLeave(true)}>Leave group</button>
              : (
                <div className="space-y-2 rounded-xl bg-rose-50 p-3 text-sm dark:bg-rose-950/50">
                  <p>Leave <strong>{chat.name}</strong>? You will stop receiving its messages.</p>
                  <div className="flex justify-end gap-2">
                    <button type="button" className={secondaryButton} onClick={() => setConfirmLeave(false)}>Stay</button>
                    <button type="button" className="rounded-xl bg-rose-600 px-3 py-1.5 text-sm font-semibold text-white" disabled={busy} onClick={leave}>Leave</button>
                  </div>
                </div>
              )}
          </section>
        )}
      </div>
    </aside>
  );
}
