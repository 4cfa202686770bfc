import { useEffect, useState } from 'react';
import { useUi } from '../stores/ui';
import { Icon } from './Icon';

/** Shown while the live connection is down: the user knows messages will wait in the outbox. */
export function ConnectionBanner({ pendingCount, onReconnect }: { pendingCount: number; onReconnect: () => void }) {
  const connection = useUi((s) => s.connection);
  const transport = useUi((s) => s.transport);
  const everOnline = useUi((s) => s.everOnline);
  const [visible, setVisible] = useState(false);
  const down = connection !== 'online';
  useEffect(() => {
    // Do not flash the banner during the first connect or a quick reconnect.
    if (!down) {
      setVisible(false);
      return;
    }
    const t = setTimeout(() => setVisible(true), everOnline ? 800 : 3000);
    return () => clearTimeout(t);
  }, [down, everOnline]);
  if (!visible || !down) {
    return transport === 'longpoll' && connection === 'online'
      ? <div className="bg-sky-50 px-4 py-1 text-center text-xs text-sky-800 dark:bg-sky-950 dark:text-sky-200">Connected through the fallback transport (WebSocket blocked)</div>
      : null;
  }
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  return (
    <div role="status" data-testid="connection-banner" className="flex items-center justify-center gap-3 bg-amber-100 px-4 py-2 text-sm text-amber-900 dark:bg-amber-900/60 dark:text-amber-100">
      <Icon name="wifiOff" className="h-4 w-4 shrink-0" />
      <span>
        {offline ? 'You are offline.' : connection === 'connecting' ? 'Reconnecting…' : 'Connection lost. Reconnecting…'}
        {pendingCount > 0 ? ` ${pendingCount} message${pendingCount === 1 ? '' : 's'} will be sent when the connection is back.` : ' New messages will appear when the connection is back.'}
      </span>
      <button type="button" onClick={onReconnect} className="rounded-md px-2 py-0.5 font-medium underline decoration-amber-700/40 underline-offset-2 hover:bg-amber-200/60 dark:hover:bg-amber-800">
        Retry now
      </button>
    </div>
  );
}
