import { useEffect, useState, type FormEvent } from 'react';
import { Dialog } from '../components/Dialog';
import { useUi } from '../stores/ui';
import { disablePush, enablePush, pushEnabledHere, pushSupported, savePreferences, type Level, type NotificationPreferences } from './api';
import { useNotificationPrefs } from './store';

const field = 'w-full rounded-xl border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900';

/** The settings section for notifications: default level, channels, email, push on this device, quiet hours. */
export function NotificationSettingsDialog({ onClose }: { onClose: () => void }) {
  const prefs = useNotificationPrefs((s) => s.prefs);
  const toast = useUi((s) => s.toast);
  const [draft, setDraft] = useState<NotificationPreferences | null>(prefs);
  const [pushHere, setPushHere] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (!prefs) void useNotificationPrefs.getState().reload(); }, [prefs]);
  useEffect(() => { if (prefs && !draft) setDraft(prefs); }, [prefs, draft]);
  useEffect(() => { void pushEnabledHere().then(setPushHere); }, []);
  if (!draft) return <Dialog title="Notifications" onClose={onClose}><p className="text-sm">Loading…</p></Dialog>;

  const quiet = draft.quietHours;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const saved = await savePreferences({
        defaultLevel: draft.defaultLevel, channels: draft.channels, emailAddress: draft.emailAddress ?? '',
        emailDelayMinutes: draft.emailDelayMinutes, emailForGroups: draft.emailForGroups, pushPreview: draft.pushPreview,
        ...(quiet ? { quietHours: quiet } : { quietHoursOff: true }),
      });
      useNotificationPrefs.getState().set(saved);
      toast('Notification settings saved');
      onClose();
    } catch (err) {
      toast((err as Error).message, 'error');
    } finally {
      setBusy(false);
    }
  };
  const togglePush = async () => {
    setBusy(true);
    try {
      if (pushHere) await disablePush(); else await enablePush();
      setPushHere(!pushHere);
      toast(pushHere ? 'Push notifications are off on this device' : 'Push notifications are on for this device');
    } catch (err) {
      toast((err as Error).message, 'error');
    } finally {
      setBusy(false);
    }
  };
  const set = (patch: Partial<NotificationPreferences>) => setDraft({ ...draft, ...patch });
  return (
    <Dialog title="Notifications" onClose={onClose}>
      <form onSubmit={submit} className="space-y-4 text-sm" data-testid="notification-settings">
        <div>
          <label htmlFor="default-level" className="mb-1 block font-semibold">Notify me about</label>
          <select id="default-level" className={field} value={draft.defaultLevel} onChange={(e) => set({ defaultLevel: e.target.value as Level })}>
            <option value="all">All messages</option>
            <option value="mentions">Mentions and direct messages</option>
            <option value="nothing">Nothing</option>
          </select>
        </div>
        <fieldset className="space-y-1">
          <legend className="mb-1 font-semibold">Channels</legend>
          {(['desktop', 'push', 'email'] as const).map((c) => (
            <label key={c} className="flex items-center gap-2">
              <input type="checkbox" checked={draft.channels[c]} onChange={(e) => set({ channels: { ...draft.channels, [c]: e.target.checked } })} />
              {c === 'desktop' ? 'Desktop notifications while Confab is open' : c === 'push' ? 'Push notifications when I am away' : 'Email for messages I missed'}
            </label>
          ))}
        </fieldset>
        <div className="rounded-xl bg-slate-50 p-3 dark:bg-slate-900">
          <p className="mb-2">Push on this device: <strong>{pushHere ? 'on' : 'off'}</strong></p>
          <button type="button" className="rounded-lg bg-accent-600 px-3 py-1.5 font-semibold text-white disabled:opacity-50" disabled={busy || !pushSupported()} onClick={togglePush} data-testid="push-toggle">
            {pushHere ? 'Turn off on this device' : 'Turn on for this device'}
          </button>
          <label className="mt-2 flex items-center gap-2">
            <input type="checkbox" checked={draft.pushPreview} onChange={(e) => set({ pushPreview: e.target.checked })} />
            Show message text in push notifications
          </label>
        </div>
        <div className="grid grid-cols-2 gap-2">
          <div className="col-span-2">
            <label htmlFor="email-address" className="mb-1 block font-semibold">Email address for missed messages</label>
            <input id="email-address" type="email" className={field} value={draft.emailAddress ?? ''} onChange={(e) => set({ emailAddress: e.target.value })} />
          </div>
          <div>
            <label htmlFor="email-delay" className="mb-1 block">After (minutes)</label>
            <input id="email-delay" type="number" min={1} max={1440} className={field} value={draft.emailDelayMinutes} onChange={(e) => set({ emailDelayMinutes: Number(e.target.value) })} />
          </div>
          <label className="flex items-end gap-2 pb-2">
            <input type="checkbox" checked={draft.emailForGroups} onChange={(e) => set({ emailForGroups: e.target.checked })} />
            Also for group mentions
          </label>
        </div>
        <fieldset>
          <legend className="mb-1 font-semibold">Quiet hours</legend>
          <label className="mb-2 flex items-center gap-2">
            <input type="checkbox" checked={!!quiet} onChange={(e) => set({ quietHours: e.target.checked ? { start: '22:00', end: '07:00', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' } : null })} />
            No push or email during quiet hours
          </label>
          {quiet && (
            <div className="grid grid-cols-2 gap-2">
              <label>From <input type="time" className={field} value={quiet.start} onChange={(e) => set({ quietHours: { ...quiet, start: e.target.value } })} /></label>
              <label>To <input type="time" className={field} value={quiet.end} onChange={(e) => set({ quietHours: { ...quiet, end: e.target.value } })} /></label>
            </div>
          )}
        </fieldset>
        <div className="flex justify-end gap-2">
          <button type="button" className="rounded-lg px-3 py-1.5" onClick={onClose}>Cancel</button>
          <button type="submit" className="rounded-lg bg-accent-600 px-3 py-1.5 font-semibold text-white" disabled={busy}>Save</button>
        </div>
      </form>
    </Dialog>
  );
}
