import type { PresenceStatus } from '../lib/types';
import { AuthImage } from './AuthImage';

const COLORS = ['bg-rose-500', 'bg-orange-500', 'bg-amber-500', 'bg-emerald-500', 'bg-teal-500', 'bg-sky-500', 'bg-indigo-500', 'bg-violet-500', 'bg-fuchsia-500', 'bg-pink-500'];

function colorFor(seed: string): string {
  let h = 0;
  for (let i = 0; i < seed.length; i++) h = (h * 31 + seed.charCodeAt(i)) | 0;
  return COLORS[Math.abs(h) % COLORS.length];
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  if (parts.length === 1) return parts[0].slice(0, 2).toUpperCase();
  return (parts[0][0] + parts[1][0]).toUpperCase();
}

const SIZES = { xs: 'h-6 w-6 text-[10px]', sm: 'h-8 w-8 text-xs', md: 'h-10 w-10 text-sm', lg: 'h-12 w-12 text-base' };
const DOT: Record<PresenceStatus, string> = { online: 'bg-emerald-500', away: 'bg-amber-400', offline: 'bg-slate-400' };

export function Avatar({ name, seed, url, size = 'md', status, group }: {
  name: string; seed?: string; url?: string | null; size?: keyof typeof SIZES; status?: PresenceStatus | null; group?: boolean;
}) {
  return (
    <span className={`relative inline-flex shrink-0 ${SIZES[size]}`}>
      {url ? (
        <AuthImage src={url} alt="" className={`${SIZES[size]} rounded-full object-cover`} />
      ) : (
        <span className={`${SIZES[size]} ${colorFor(seed ?? name)} inline-flex items-center justify-center ${group ? 'rounded-xl' : 'rounded-full'} font-semibold text-white select-none`} aria-hidden="true">
          {initials(name)}
        </span>
      )}
      {status && (
        <span
          className={`absolute -bottom-0.5 -right-0.5 h-3 w-3 rounded-full ring-2 ring-white dark:ring-slate-900 ${DOT[status]}`}
          title={status}
          aria-label={status}
          data-presence={status}
        />
      )}
    </span>
  );
}
