// Which incoming messages raise a desktop notification and count in the tab title.
import type { Chat, Message } from '../lib/types';

/** Muted chats never count; the per-chat level is the server's (shared by every device). */
export function countsInTitle(chat: Chat): boolean {
  return !chat.muted;
}

/** all: every message; mentions: direct messages and messages naming me; nothing: none. */
export function shouldNotify(message: Message, chat: Chat | undefined, me: { id: string; username?: string } | null, desktopOn = true): boolean {
  if (!desktopOn || !chat) return !!chat && desktopOn;
  const level = chat.notificationLevel ?? 'all';
  if (level === 'nothing' || chat.muted) return false;
  if (level === 'all' || chat.type === 'direct') return true;
  const mentions = (message as Message & { mentions?: string[] }).mentions;
  if (me && Array.isArray(mentions) && mentions.includes(me.id)) return true;
  if (!me?.username) return false;
  const name = me.username.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}_.])@${name}(?![\\p{L}\\p{N}_])`, 'iu').test(message.content ?? '');
}
