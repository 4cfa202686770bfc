// The position in the user's durable event stream up to which this client has applied events.
// Persisted per user, so a reload, a reconnect or a laptop waking up resumes exactly where it
// stopped: the server replays everything after it (PRODUCT.md "Resume from a durable stream position").

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const DIGITS = /^\d+$/;

/** Orders two cursors: numerically when both are digit strings (positions), else as text. */
export function compareCursors(a: string, b: string): number {
  if (DIGITS.test(a) && DIGITS.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export class CursorKeeper {
  private value: string | null;

  constructor(private readonly storage: KeyValueStorage, private readonly key: string) {
    this.value = storage.getItem(key);
  }

  get current(): string | null {
    return this.value;
  }

  /** True when an event at this cursor has not been applied yet. */
  isNew(cursor: string): boolean {
    return this.value === null || compareCursors(cursor, this.value) > 0;
  }

  /** Moves forward (never back) and persists. Returns whether it moved. */
  advance(cursor: string | null | undefined): boolean {
    if (cursor === null || cursor === undefined || cursor === '') return false;
    const c = String(cursor);
    if (!this.isNew(c)) return false;
    this.value = c;
    try {
      this.storage.setItem(this.key, c);
    } catch {
      // storage full or unavailable: the in-memory cursor still works for this page's life
    }
    return true;
  }

  reset() {
    this.value = null;
    this.storage.removeItem(this.key);
  }
}

export function cursorKey(userId: string): string {
  return `confab.cursor.${userId}`;
}
