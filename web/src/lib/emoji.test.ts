import { describe, expect, it } from 'vitest';
import { byShortcode, loadEmojiData, quickReactions, rememberEmoji, searchShortcodes, shortcodeAt } from './emoji';

describe('emoji shortcodes', () => {
  it('completes shortcodes from the real data set, prefix matches first', async () => {
    const data = await loadEmojiData();
    const found = searchShortcodes(data, 'thumbs');
    expect(found.map((e) => e.native)).toContain('👍');
    expect(searchShortcodes(data, 'tada')[0].native).toBe('🎉');
    expect(searchShortcodes(data, 'zzzzqqq')).toEqual([]);
    expect(byShortcode(data, 'thumbsup')).toBe('👍');
    expect(byShortcode(data, 'no_such_emoji')).toBeNull();
  });

  it('finds the shortcode being typed before the caret', () => {
    expect(shortcodeAt('hello :smi', 10)).toEqual({ start: 6, query: 'smi' });
    expect(shortcodeAt(':ta', 3)).toEqual({ start: 0, query: 'ta' });
    expect(shortcodeAt('time 10:30', 10)).toBeNull();
    expect(shortcodeAt('a :x', 4)).toBeNull();
  });
});

describe('recently used emoji', () => {
  it('puts recent picks first in the quick reactions, without duplicates', () => {
    const storage = window.localStorage;
    storage.clear();
    expect(quickReactions(8, storage)).toEqual(['👍', '❤️', '😂', '😮', '😢', '🎉', '👀', '✅']);
    rememberEmoji('🦄', storage);
    rememberEmoji('👍', storage);
    expect(quickReactions(4, storage)).toEqual(['👍', '🦄', '❤️', '😂']);
  });
});
