import { describe, expect, it } from 'vitest';
import { CursorKeeper, compareCursors } from './cursor';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

describe('cursors', () => {
  it('compares positions numerically, beyond the safe integer range too', () => {
    expect(compareCursors('9', '10')).toBeLessThan(0);
    expect(compareCursors('10', '9')).toBeGreaterThan(0);
    expect(compareCursors('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
    expect(compareCursors('42', '42')).toBe(0);
  });

  it('only moves forward and persists every move', () => {
    const storage = memoryStorage();
    const keeper = new CursorKeeper(storage, 'c');
    expect(keeper.current).toBeNull();
    expect(keeper.advance('5')).toBe(true);
    expect(keeper.advance('3')).toBe(false);
    expect(keeper.advance('5')).toBe(false);
    expect(keeper.current).toBe('5');
    expect(storage.map.get('c')).toBe('5');
    expect(keeper.isNew('5')).toBe(false);
    expect(keeper.isNew('6')).toBe(true);
  });

  it('resumes from the stored cursor after a reload', () => {
    const storage = memoryStorage();
    new CursorKeeper(storage, 'c').advance('77');
    expect(new CursorKeeper(storage, 'c').current).toBe('77');
  });

  it('ignores empty cursors and can be reset', () => {
    const storage = memoryStorage();
    const keeper = new CursorKeeper(storage, 'c');
    expect(keeper.advance(undefined)).toBe(false);
    expect(keeper.advance('')).toBe(false);
    keeper.advance('1');
    keeper.reset();
    expect(keeper.current).toBeNull();
    expect(storage.map.has('c')).toBe(false);
  });
});
