import { useEffect, useState, type FormEvent } from 'react';
import * as chatApi from '../lib/chatApi';
import { ApiError } from '../lib/http';
import type { Contact, User } from '../lib/types';
import { useDebounced } from '../hooks';
import { useAuth } from '../stores/auth';
import { useContacts } from '../stores/contacts';
import { useUi } from '../stores/ui';
import { createGroup, openDirectWith, reloadContacts } from '../sync';
import { Avatar } from './Avatar';
import { Dialog } from './Dialog';

export const inputClass = 'block w-full rounded-xl border border-slate-300 bg-white px-3.5 py-2.5 text-sm outline-none focus-visible:outline-none focus:border-accent-500 focus:ring-4 focus:ring-accent-500/15 dark:border-slate-700 dark:bg-slate-950';
export const primaryButton = 'inline-flex items-center justify-center rounded-xl bg-accent-600 px-4 py-2 text-sm font-semibold text-white hover:bg-accent-700 disabled:opacity-50';
export const secondaryButton = 'inline-flex items-center justify-center rounded-xl px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50 disabled:opacity-50 dark:text-slate-200 dark:ring-slate-700 dark:hover:bg-slate-800';

function message(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 409) return e.message || 'Already requested or already a contact';
    if (e.status === 404) return 'No user with that name';
    return e.details[0]?.message ?? e.message;
  }
  return (e as Error).message;
}

export function AddContactDialog({ onClose }: { onClose: () => void }) {
  const me = useAuth((s) => s.user?.id);
  const toast = useUi((s) => s.toast);
  const contacts = useContacts((s) => s.contacts);
  const pending = useContacts((s) => s.pending);
  const [username, setUsername] = useState('');
  const [results, setResults] = useState<User[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const query = useDebounced(username.trim(), 250);
  useEffect(() => {
    let alive = true;
    if (query.length < 2) {
      setResults([]);
      return;
    }
    chatApi.searchUsers(query).then((users) => alive && setResults(users.filter((u) => u.id !== me)), () => alive && setResults([]));
    return () => {
      alive = false;
    };
  }, [query, me]);
  const known = new Set([...contacts, ...pending].map((c) => c.user.id));
  const send = async (target: { username?: string; userId?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await chatApi.requestContact(target);
      toast('Contact request sent');
      void reloadContacts();
      onClose();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const exact = results.find((u) => u.username.toLowerCase() === username.trim().toLowerCase());
    void send(exact ? { userId: exact.id } : { username: username.trim() });
  };
  return (
    <Dialog title="Add a contact" onClose={onClose}>
      <form onSubmit={submit} className="space-y-3">
        <label className="block text-sm font-medium" htmlFor="add-contact-username">Find people by username or name</label>
        <div className="flex gap-2">
          <input id="add-contact-username" className={inputClass} placeholder="Username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
          <button type="submit" className={`${primaryButton} shrink-0`} disabled={busy || username.trim().length < 3}>Send Request</button>
        </div>
        {error && <p role="alert" className="text-sm text-rose-600">{error}</p>}
      </form>
      {results.length > 0 && (
        <ul className="mt-4 divide-y divide-slate-100 dark:divide-slate-800" aria-label="People found">
          {results.map((u) => (
            <li key={u.id} className="flex items-center gap-3 py-2">
              <Avatar name={u.displayName || u.username} seed={u.id} url={u.avatarUrl} size="sm" />
              <span className="min-w-0 flex-1">
                <span className="block truncate text-sm font-medium">{u.displayName}</span>
                <span className="block truncate text-xs text-slate-500">@{u.username}</span>
              </span>
              {known.has(u.id)
                ? <span className="text-xs text-slate-500">Already added</span>
                : <button type="button" className={secondaryButton} disabled={busy} onClick={() => send({ userId: u.id })}>Add</button>}
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}

export function PendingRequestsDialog({ onClose, onOpenChat }: { onClose: () => void; onOpenChat: (chatId: string) => void }) {
  const pending = useContacts((s) => s.pending);
  const toast = useUi((s) => s.toast);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    void reloadContacts();
  }, []);
  const incoming = pending.filter((p) => !p.outgoing);
  const outgoing = pending.filter((p) => p.outgoing);
  const act = async (c: Contact, action: 'accept' | 'decline' | 'block') => {
    setBusy(c.id);
    try {
      if (action === 'accept') {
        await chatApi.acceptContact(c.id);
        await reloadContacts();
        toast('Contact added');
        try {
          const chat = await openDirectWith(c.user.id);
          onOpenChat(chat.id);
          return;
        } catch {
          // the contact is accepted; the chat opens when they write
        }
      } else if (action === 'decline') {
        await chatApi.removeContact(c.id);
        await reloadContacts();
      } else {
        await chatApi.blockContact(c.id, c.user.id);
        await reloadContacts();
      }
    } catch (e) {
      toast(message(e), 'error');
    } finally {
      setBusy(null);
    }
  };
  return (
    <Dialog title="Pending requests" onClose={onClose}>
      <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Received</h3>
      {incoming.length === 0 && <p className="mb-4 text-sm text-slate-500">No requests waiting for you.</p>}
      <ul className="mb-5 space-y-2">
        {incoming.map((c) => (
          <li key={c.id} className="flex items-center gap-3" data-pending={c.user.username}>
            <Avatar name={c.user.displayName || c.user.username} seed={c.user.id} size="sm" />
            <span className="min-w-0 flex-1">
              <span className="block truncate text-sm font-medium">{c.user.displayName || c.user.username}</span>
              <span className="block truncate text-xs text-slate-500">@{c.user.username}</span>
            </span>
            <button type="button" className={primaryButton} disabled={busy === c.id} onClick={() => act(c, 'accept')}>Accept</button>
            <button type="button" className={secondaryButton} disabled={busy === c.id} onClick={() => act(c, 'decline')}>Decline</button>
            <button type="button" className={`${secondaryButton} text-rose-600`} disabled={busy === c.id} onClick={() => act(c, 'block')} title="Block: they cannot request again or message you">Block</button>
          </li>
        ))}
      </ul>
      <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Sent</h3>
      {outgoing.length === 0 && <p className="text-sm text-slate-500">No requests sent.</p>}
      <ul className="space-y-2">
        {outgoing.map((c) => (
          <li key={c.id} className="flex items-center gap-3">
            <Avatar name={c.user.displayName || c.user.username} seed={c.user.id} size="sm" />
            <span className="min-w-0 flex-1 truncate text-sm">{c.user.displayName || c.user.username} <span className="text-xs text-slate-500">· waiting</span></span>
            <button type="button" className={secondaryButton} disabled={busy === c.id} onClick={() => act(c, 'decline')}>Cancel</button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

export function ContactMenu({ contact, onClose }: { contact: Contact; onClose: () => void }) {
  const toast = useUi((s) => s.toast);
  const run = async (action: 'remove' | 'block') => {
    try {
      if (action === 'remove') await chatApi.removeContact(contact.id);
      else await chatApi.blockContact(contact.id, contact.user.id);
      toast(action === 'remove' ? 'Contact removed' : `${contact.user.username} is blocked`);
      await reloadContacts();
      onClose();
    } catch (e) {
      toast(message(e), 'error');
    }
  };
  return (
    <Dialog title={contact.user.displayName || contact.user.username} onClose={onClose}>
      <div className="flex flex-col gap-2">
        <button type="button" className={secondaryButton} onClick={() => run('remove')}>Remove contact</button>
        <button type="button" className={`${secondaryButton} text-rose-600`} onClick={() => run('block')}>Block</button>
      </div>
    </Dialog>
  );
}

/** Pick members among accepted contacts. */
export function MemberPicker({ selected, onChange, exclude = [] }: { selected: string[]; onChange: (ids: string[]) => void; exclude?: string[] }) {
  const contacts = useContacts((s) => s.contacts).filter((c) => c.status === 'accepted' && !exclude.includes(c.user.id));
  const [filter, setFilter] = useState('');
  const shown = contacts.filter((c) => `${c.user.username} ${c.user.displayName}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <div>
      <input className={inputClass} placeholder="Filter contacts" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter contacts" />
      {contacts.length === 0 && <p className="mt-3 text-sm text-slate-500">Add contacts first: groups are made from your contacts.</p>}
      <ul className="mt-2 max-h-60 overflow-y-auto">
        {shown.map((c) => {
          const on = selected.includes(c.user.id);
          return (
            <li key={c.user.id}>
              <label className="flex cursor-pointer items-center gap-3 rounded-lg px-2 py-1.5 hover:bg-slate-50 dark:hover:bg-slate-800">
                <input type="checkbox" checked={on} onChange={() => onChange(on ? selected.filter((x) => x !== c.user.id) : [...selected, c.user.id])} className="h-4 w-4 accent-accent-600" />
                <Avatar name={c.user.displayName || c.user.username} seed={c.user.id} size="xs" />
                <span className="text-sm">{c.user.displayName || c.user.username}</span>
                <span className="text-xs text-slate-500">@{c.user.username}</span>
              </label>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function NewGroupDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (chatId: string) => void }) {
  const [name, setName] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const chat = await createGroup(name.trim(), members);
      onCreated(chat.slug ?? chat.id);
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="New group" onClose={onClose} wide>
      <form onSubmit={submit} className="space-y-4">
        <label className="block text-sm font-medium">
          Group name
          <input name="groupName" className={`${inputClass} mt-1`} placeholder="Group name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        </label>
        <fieldset>
          <legend className="mb-1 text-sm font-medium">Members ({members.length} selected)</legend>
          <MemberPicker selected={members} onChange={setMembers} />
        </fieldset>
        {error && <p role="alert" className="text-sm text-rose-600">{error}</p>}
        <div className="flex justify-end gap-2">
          <button type="button" className={secondaryButton} onClick={onClose}>Cancel</button>
          <button type="submit" className={primaryButton} disabled={busy || !name.trim()}>Create Group</button>
        </div>
      </form>
    </Dialog>
  );
}

export function ProfileDialog({ onClose }: { onClose: () => void }) {
  const user = useAuth((s) => s.user)!;
  const setUser = useAuth((s) => s.setUser);
  const toast = useUi((s) => s.toast);
  const theme = useUi((s) => s.theme);
  const setTheme = useUi((s) => s.setTheme);
  const [displayName, setDisplayName] = useState(user.displayName);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const updated = await chatApi.updateMe({ displayName: displayName.trim() });
      setUser({ ...user, ...updated, id: user.id });
      toast('Profile saved');
      onClose();
    } catch (err) {
      toast(message(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  const changeAvatar = async (file: File) => {
    setBusy(true);
    try {
      const updated = await chatApi.uploadAvatar(file);
      setUser({ ...user, ...updated, id: user.id });
      toast('Picture updated');
    } catch (err) {
      toast(message(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Your profile" onClose={onClose}>
      <form onSubmit={submit} className="space-y-4">
        <div className="flex items-center gap-3">
          <Avatar name={displayName || user.username} seed={user.id} url={user.avatarUrl} size="lg" />
          <div className="text-sm text-slate-500">@{user.username}</div>
          <label className={`${secondaryButton} ml-auto cursor-pointer`}>
            {busy ? 'Uploading…' : 'Change picture'}
            <input type="file" accept="image/jpeg,image/png,image/gif,image/webp" className="sr-only" data-testid="avatar-input"
              disabled={busy} onChange={(e) => { const file = e.target.files?.[0]; e.target.value = ''; if (file) void changeAvatar(file); }} />
          </label>
        </div>
        <label className="block text-sm font-medium">
          Display name
          <input className={`${inputClass} mt-1`} value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={100} />
        </label>
        <fieldset>
          <legend className="mb-1 text-sm font-medium">Theme</legend>
          <div className="flex gap-2">
            {(['light', 'dark', 'system'] as const).map((t) => (
              <label key={t} className={`cursor-pointer rounded-lg px-3 py-1.5 text-sm ring-1 ${theme === t ? 'bg-accent-600 text-white ring-accent-600' : 'ring-slate-200 dark:ring-slate-700'}`}>
                <input type="radio" name="theme" value={t} checked={theme === t} onChange={() => setTheme(t)} className="sr-only" />
                {t[0].toUpperCase() + t.slice(1)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="flex justify-end gap-2">
          <button type="button" className={secondaryButton} onClick={onClose}>Close</button>
          <button type="submit" className={primaryButton} disabled={busy || !displayName.trim()}>Save</button>
        </div>
      </form>
    </Dialog>
  );
}
