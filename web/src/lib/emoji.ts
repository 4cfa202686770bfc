// Emoji data and the pieces of emoji input that are not UI: `:shortcode:` search over the
// emoji-mart data set (@emoji-mart/data, the shortcodes Slack and GitHub users know), and the
// recently used emoji kept per browser. The data (~430 kB) is loaded lazily, with the picker.
import type { EmojiMartData } from '@emoji-mart/data';

export interface EmojiMatch {
  id: string;
  native: string;
  name: string;
}

let data: Promise<EmojiMartData> | null = null;

/** The emoji data set, fetched on first use (a separate chunk, never part of the first load). */
export function loadEmojiData(): Promise<EmojiMartData> {
  if (!data) {
    data = import('@emoji-mart/data').then((m) => (m.default ?? m) as EmojiMartData).catch((e) => {
      data = null;
      throw e;
    });
  }
  return data;
}

/**
 * Emoji whose shortcode matches what was typed after ':' — shortcodes that start with it first,
 * then those containing it, then keyword matches; at most `limit`.
 */
export function searchShortcodes(set: EmojiMartData, query: string, limit = 6): EmojiMatch[] {
  const q = query.toLowerCase();
  if (!q) return [];
  const starts: EmojiMatch[] = [];
  const contains: EmojiMatch[] = [];
  const keyword: EmojiMatch[] = [];
  for (const emoji of Object.values(set.emojis)) {
    const native = emoji.skins[0]?.native;
    if (!native) continue;
    const match = { id: emoji.id, native, name: emoji.name };
    if (emoji.id.startsWith(q)) starts.push(match);
    else if (emoji.id.includes(q)) contains.push(match);
    else if (keyword.length < limit && emoji.keywords.some((k) => k.startsWith(q))) keyword.push(match);
  }
  starts.sort((a, b) => a.id.length - b.id.length || a.id.localeCompare(b.id));
  return [...starts, ...contains, ...keyword].slice(0, limit);
}

/** The emoji for an exact shortcode (or one of its aliases), e.g. "thumbsup" → 👍. */
export function byShortcode(set: EmojiMartData, id: string): string | null {
  const key = set.emojis[id] ? id : set.aliases[id];
  return (key && set.emojis[key]?.skins[0]?.native) || null;
}

/** The shortcode being typed just before the caret (":smi" → "smi"), or null. */
export function shortcodeAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|[\s(])(:([a-z0-9_+-]{2,40}))$/i.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2].length, query: match[3] };
}

const RECENT_KEY = 'confab.recentEmoji';
const RECENT_MAX = 16;
/** What a new user sees before having picked anything. */
export const DEFAULT_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🎉', '👀', '✅'];

export function recentEmoji(storage: Storage = localStorage): string[] {
  try {
    const list = JSON.parse(storage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string').slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

export function rememberEmoji(emoji: string, storage: Storage = localStorage) {
  const list = [emoji, ...recentEmoji(storage).filter((e) => e !== emoji)].slice(0, RECENT_MAX);
  try {
    storage.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // storage full or disabled: recent emoji are a convenience
  }
}

/** The quick reaction bar: recently used first, filled up with the defaults, `count` in all. */
export function quickReactions(count = 8, storage: Storage = localStorage): string[] {
  const out: string[] = [];
  for (const e of [...recentEmoji(storage), ...DEFAULT_REACTIONS]) {
    if (!out.includes(e)) out.push(e);
    if (out.length === count) break;
  }
  return out;
}
