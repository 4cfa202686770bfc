// Installing Confab as an app: the browser's beforeinstallprompt is kept until the user asks
// (the sidebar's install button), and service-worker messages (a notification was clicked) are
// routed into the app.
type InstallPrompt = Event & { prompt(): Promise<void>; userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }> };

let deferred: InstallPrompt | null = null;
const listeners = new Set<() => void>();

export function canInstall(): boolean {
  return deferred !== null;
}

export function onInstallAvailability(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function promptInstall(): Promise<boolean> {
  if (!deferred) return false;
  const prompt = deferred;
  deferred = null;
  listeners.forEach((fn) => fn());
  await prompt.prompt();
  return (await prompt.userChoice).outcome === 'accepted';
}

export function setUpPwa(): void {
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault(); // show our own button instead of the mini-infobar
    deferred = e as InstallPrompt;
    listeners.forEach((fn) => fn());
  });
  window.addEventListener('appinstalled', () => {
    deferred = null;
    listeners.forEach((fn) => fn());
  });
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (event) => {
    const data = event.data as { type?: string; url?: string } | null;
    if (data?.type === 'confab:navigate' && typeof data.url === 'string' && data.url.startsWith('/')) {
      window.dispatchEvent(new CustomEvent('confab:navigate', { detail: data.url }));
    }
    if (data?.type === 'confab:resubscribe') {
      void import('./api').then((m) => m.enablePush()).catch(() => undefined);
    }
  });
}
