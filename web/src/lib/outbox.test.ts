import { describe, expect, it } from 'vitest';
import { createOutbox, flushOutbox, type OutboxEntry } from './outbox';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

const entry = (id: string, chatId = 'c1') => ({ clientMessageId: id, chatId, content: `text ${id}`, attachmentIds: [] });

describe('outbox', () => {
  it('keeps messages typed offline across a reload', () => {
    const storage = memoryStorage();
    const box = createOutbox(storage, 'o');
    box.getState().add(entry('a'));
    box.getState().add(entry('b'));
    const reloaded = createOutbox(storage, 'o');
    expect(reloaded.getState().entries.map((e) => e.clientMessageId)).toEqual(['a', 'b']);
    expect(reloaded.getState().entries.every((e) => e.state === 'pending')).toBe(true);
  });

  it('treats an entry that was being sent when the page closed as pending again', () => {
    const storage = memoryStorage();
    const box = createOutbox(storage, 'o');
    box.getState().add(entry('a'));
    box.getState().update('a', { state: 'sending' });
    expect(createOutbox(storage, 'o').getState().entries[0].state).toBe('pending');
  });

  it('sends in order with the same clientMessageId, and empties itself', async () => {
    const storage = memoryStorage();
    const box = createOutbox(storage, 'o');
    box.getState().add(entry('a'));
    box.getState().add(entry('b', 'c2'));
    box.getState().add(entry('c'));
    const sent: string[] = [];
    const count = await flushOutbox(box, async (e: OutboxEntry) => {
      sent.push(e.clientMessageId);
      return { ok: true };
    });
    expect(count).toBe(3);
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(box.getState().entries).toEqual([]);
    expect(storage.map.has('o')).toBe(false);
  });

  it('stops at a retryable failure and keeps the rest, in order, for the next connection', async () => {
    const box = createOutbox(memoryStorage(), 'o');
    box.getState().add(entry('a'));
    box.getState().add(entry('b'));
    const attempts: string[] = [];
    await flushOutbox(box, async (e) => {
      attempts.push(e.clientMessageId);
      return { ok: false, retryable: true, error: 'Offline' };
    });
    expect(attempts).toEqual(['a']);
    expect(box.getState().entries.map((e) => [e.clientMessageId, e.state])).toEqual([['a', 'pending'], ['b', 'pending']]);
    // The retry uses the very same id, so the server can de-duplicate it.
    const second: string[] = [];
    await flushOutbox(box, async (e) => {
      second.push(e.clientMessageId);
      return { ok: true };
    });
    expect(second).toEqual(['a', 'b']);
    expect(box.getState().entries).toEqual([]);
  });

  it('marks a refused message failed, goes on, and retries it on request', async () => {
    const box = createOutbox(memoryStorage(), 'o');
    box.getState().add(entry('bad'));
    box.getState().add(entry('good'));
    await flushOutbox(box, async (e) => (e.clientMessageId === 'bad' ? { ok: false, retryable: false, error: 'Too long' } : { ok: true }));
    expect(box.getState().entries).toHaveLength(1);
    expect(box.getState().entries[0]).toMatchObject({ clientMessageId: 'bad', state: 'failed', error: 'Too long', attempts: 1 });
    box.getState().retry('bad');
    await flushOutbox(box, async () => ({ ok: true }));
    expect(box.getState().entries).toEqual([]);
  });

  it('counts a thrown error as retryable', async () => {
    const box = createOutbox(memoryStorage(), 'o');
    box.getState().add(entry('a'));
    await flushOutbox(box, async () => {
      throw new Error('socket closed');
    });
    expect(box.getState().entries[0]).toMatchObject({ state: 'pending', error: 'socket closed' });
  });

  it('survives unreadable storage', () => {
    const storage = memoryStorage();
    storage.map.set('o', '{not json');
    expect(createOutbox(storage, 'o').getState().entries).toEqual([]);
  });
});
