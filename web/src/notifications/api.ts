// Notification preferences and Web Push subscriptions (docs/subsystems/notifications.md).
import { api } from '../lib/http';

export type Level = 'all' | 'mentions' | 'nothing';

export interface NotificationPreferences {
  defaultLevel: Level;
  channels: { desktop: boolean; push: boolean; email: boolean };
  emailAddress: string | null;
  emailDelayMinutes: number;
  emailForGroups: boolean;
  pushPreview: boolean;
  quietHours: { start: string; end: string; timeZone: string } | null;
  chats: Record<string, Level>;
}

export type PreferencesUpdate = Partial<Omit<NotificationPreferences, 'channels' | 'chats' | 'quietHours'>> & {
  channels?: Partial<NotificationPreferences['channels']>;
  quietHours?: NotificationPreferences['quietHours'];
  quietHoursOff?: boolean;
  chats?: Record<string, Level | 'default'>;
};

export async function loadPreferences(): Promise<NotificationPreferences> {
  return (await api<{ notifications: NotificationPreferences }>('/api/users/me/notifications')).notifications;
}

export async function savePreferences(update: PreferencesUpdate): Promise<NotificationPreferences> {
  return (await api<{ notifications: NotificationPreferences }>('/api/users/me/notifications', { method: 'PUT', body: update })).notifications;
}

export async function setChatLevel(chatId: string, level: Level | 'default'): Promise<{ level: Level; muted: boolean }> {
  return api(`/api/chats/${chatId}/notifications`, { method: 'PUT', body: { level } });
}

function urlBase64ToBytes(value: string): Uint8Array<ArrayBuffer> {
  const padded = (value + '='.repeat((4 - (value.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(padded);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

export function pushSupported(): boolean {
  return typeof navigator !== 'undefined' && 'serviceWorker' in navigator && typeof window !== 'undefined' && 'PushManager' in window;
}

/** Subscribes this browser through the service worker and registers the subscription with the server. */
export async function enablePush(): Promise<void> {
  if (!pushSupported()) throw new Error('This browser cannot receive push notifications');
  if (Notification.permission !== 'granted' && (await Notification.requestPermission()) !== 'granted') {
    throw new Error('Notifications were not allowed');
  }
  const registration = await navigator.serviceWorker.ready;
  const { publicKey } = await api<{ publicKey: string }>('/api/push/vapid-public-key');
  let subscription = await registration.pushManager.getSubscription();
  if (!subscription) {
    subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBase64ToBytes(publicKey) });
  }
  const json = subscription.toJSON();
  await api('/api/push/subscriptions', { method: 'POST', body: { endpoint: json.endpoint, keys: json.keys } });
}

export async function disablePush(): Promise<void> {
  if (!pushSupported()) return;
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return;
  await api('/api/push/subscriptions', { method: 'DELETE', body: { endpoint: subscription.endpoint } });
  await subscription.unsubscribe();
}

export async function pushEnabledHere(): Promise<boolean> {
  if (!pushSupported()) return false;
  const registration = await navigator.serviceWorker.getRegistration();
  return !!(await registration?.pushManager.getSubscription());
}
