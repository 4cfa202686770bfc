/**
 * Delay before reconnect attempt n (0-based): 1 s, 2 s, 4 s … capped at 30 s, with "equal
 * jitter" (half fixed, half random) so that after a server restart thousands of clients do not
 * all come back in the same instant.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random, baseMs = 1000, capMs = 30_000): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(exp / 2 + random() * (exp / 2));
}
