// Idle detection: a visible tab untouched for IDLE_AFTER_MS turns "away"; input turns it back.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDLE_AFTER_MS, isIdle, watchIdle } from './idle';

describe('watchIdle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports idle after the quiet period and active again on input', () => {
    const changes: boolean[] = [];
    const stop = watchIdle(() => changes.push(isIdle()));
    vi.advanceTimersByTime(IDLE_AFTER_MS - 1000);
    expect(changes).toEqual([]);
    // Input before the deadline postpones it.
    window.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(2000);
    expect(changes).toEqual([]);
    expect(isIdle()).toBe(false);
    vi.advanceTimersByTime(IDLE_AFTER_MS);
    expect(changes).toEqual([true]);
    window.dispatchEvent(new Event('pointerdown'));
    expect(changes).toEqual([true, false]);
    vi.advanceTimersByTime(IDLE_AFTER_MS);
    expect(changes).toEqual([true, false, true]);
    stop();
    window.dispatchEvent(new Event('pointerdown'));
    expect(changes).toHaveLength(3);
  });
});
