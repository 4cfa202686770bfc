import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './backoff';

describe('reconnect backoff', () => {
  it('doubles from 1 s up to 30 s', () => {
    const max = (n: number) => reconnectDelay(n, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(max)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('keeps at least half the delay and spreads the rest at random', () => {
    expect(reconnectDelay(3, () => 0)).toBe(4000);
    expect(reconnectDelay(3, () => 0.5)).toBe(6000);
  });

  it('never overflows for huge attempt counts', () => {
    expect(reconnectDelay(10_000, () => 1)).toBe(30000);
  });
});
