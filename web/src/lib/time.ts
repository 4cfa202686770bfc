const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const longDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

export function formatFull(iso: string): string {
  return fullFormat.format(new Date(iso));
}

/** For the chat list: time today, weekday this week, else the date. */
export function formatListTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()) || d.getTime() <= 0) return '';
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  if (d.getTime() >= startOfToday) return timeFormat.format(d);
  if (d.getTime() >= startOfToday - 6 * 86_400_000) return weekdayFormat.format(d);
  return shortDate.format(d);
}

/** Day separator label: Today, Yesterday, or the full date. */
export function formatDay(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  if (d.getTime() >= startOfToday) return 'Today';
  if (d.getTime() >= startOfToday - 86_400_000) return 'Yesterday';
  return longDate.format(d);
}

export function formatLastSeen(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'offline';
  const diff = now - Date.parse(iso);
  if (diff < 60_000) return 'last seen just now';
  if (diff < 3_600_000) return `last seen ${Math.floor(diff / 60_000)} min ago`;
  if (diff < 86_400_000) return `last seen ${Math.floor(diff / 3_600_000)} h ago`;
  return `last seen ${shortDate.format(new Date(iso))}`;
}
