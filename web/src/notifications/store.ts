import { create } from 'zustand';
import { loadPreferences, type NotificationPreferences } from './api';

interface PrefsState {
  prefs: NotificationPreferences | null;
  set(prefs: NotificationPreferences): void;
  reload(): Promise<void>;
}

/** The signed-in user's notification settings, as the server keeps them (refetched on notifications:updated). */
export const useNotificationPrefs = create<PrefsState>((set) => ({
  prefs: null,
  set: (prefs) => set({ prefs }),
  reload: async () => {
    try {
      set({ prefs: await loadPreferences() });
    } catch {
      // Offline or signed out: keep what we had; desktop notifications default to on.
    }
  },
}));
