import { useState } from 'react';
import type { Chat } from '../lib/types';
import { useChats } from '../stores/chats';
import { useUi } from '../stores/ui';
import { setChatLevel, type Level } from './api';

/** The per-chat level menu (mute = nothing), stored on the server so every device agrees. */
export function ChatNotificationLevel({ chat }: { chat: Chat }) {
  const toast = useUi((s) => s.toast);
  const [busy, setBusy] = useState(false);
  const level = chat.notificationLevel ?? 'all';
  const change = async (next: Level) => {
    setBusy(true);
    try {
      const result = await setChatLevel(chat.id, next);
      useChats.getState().patch(chat.id, (c) => ({ ...c, notificationLevel: result.level, muted: result.muted }));
      toast(result.muted ? `${chat.name} is muted` : 'Notification setting saved');
    } catch (e) {
      toast((e as Error).message, 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <label htmlFor={`level-${chat.id}`} className="mb-2 block text-xs font-semibold uppercase tracking-wide text-slate-500">Notifications</label>
      <select id={`level-${chat.id}`} data-testid="chat-notification-level" value={level} disabled={busy}
        onChange={(e) => change(e.target.value as Level)}
        className="w-full rounded-xl border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900">
        <option value="all">All messages</option>
        <option value="mentions">Mentions and direct messages only</option>
        <option value="nothing">Nothing (muted)</option>
      </select>
      <button type="button" className="mt-2 text-xs font-semibold text-accent-600" data-testid="mute-toggle" disabled={busy}
        onClick={() => change(chat.muted ? 'all' : 'nothing')}>{chat.muted ? 'Unmute' : 'Mute'} this chat</button>
    </section>
  );
}
