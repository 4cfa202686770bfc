import { describe, expect, it } from 'vitest';
import { Drafts, draftsKey } from './drafts';

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
}

// issue 15 #7: drafts were lost on reload.
describe('drafts', () => {
  it('survive a reload (a new instance over the same storage), per chat and per user', () => {
    const storage = memoryStorage();
    new Drafts(storage, draftsKey('u1')).set('c1', 'half a thought');
    new Drafts(storage, draftsKey('u1')).set('c2', 'another');
    const reloaded = new Drafts(storage, draftsKey('u1'));
    expect(reloaded.get('c1')).toBe('half a thought');
    expect(reloaded.get('c2')).toBe('another');
    expect(new Drafts(storage, draftsKey('u2')).get('c1')).toBe('');
  });

  it('are removed when sent or cleared, and tolerate damaged storage', () => {
    const storage = memoryStorage();
    const d = new Drafts(storage, draftsKey('u1'));
    d.set('c1', 'x');
    d.delete('c1');
    expect(storage.getItem(draftsKey('u1'))).toBeNull();
    storage.setItem(draftsKey('u1'), '{not json');
    expect(d.get('c1')).toBe('');
  });
});
