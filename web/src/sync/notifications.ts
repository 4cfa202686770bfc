// Desktop notifications for messages that arrive while the tab is hidden.

import { previewText } from '../lib/format';
import type { Chat, Message } from '../lib/types';
import { shouldNotify } from '../notifications/notifyRules';
import { useNotificationPrefs } from '../notifications/store';
import { useAuth } from '../stores/auth';

export function notifyMessage(message: Message, chat: Chat | undefined) {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  if (document.visibilityState === 'visible') return; // the list shows it; notify only when hidden
  const desktop = useNotificationPrefs.getState().prefs?.channels.desktop ?? true;
  if (!shouldNotify(message, chat, useAuth.getState().user ?? null, desktop)) return;
  const title = chat?.type === 'group' ? `${message.senderName} in ${chat.name}` : message.senderName;
  const body = message.isDeleted ? '' : previewText(message.content) || (message.attachments.length ? '📷 Image' : '');
  try {
    const n = new Notification(title, { body, tag: message.chatId });
    n.onclick = () => {
      window.focus();
      const ref = chat?.slug ?? message.chatId;
      window.dispatchEvent(new CustomEvent('confab:navigate', { detail: `/chats/${ref}` }));
      n.close();
    };
  } catch {
    // some platforms only allow notifications from a service worker
  }
}
