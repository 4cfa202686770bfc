// What the user has typed but not sent, per chat, kept in local storage (per user) so a reload,
// a crash or a closed tab loses nothing. Writes are cheap (one small JSON object).
import type { KeyValueStorage } from './cursor';

export function draftsKey(userId: string): string {
  return `confab.drafts.${userId}`;
}

export class Drafts {
  constructor(private readonly storage: KeyValueStorage, private readonly key: string) {}

  private all(): Record<string, string> {
    try {
      const parsed = JSON.parse(this.storage.getItem(this.key) ?? '{}');
      return parsed && typeof parsed === 'object' ? parsed : {};
    } catch {
      return {};
    }
  }

  get(chatId: string): string {
    const v = this.all()[chatId];
    return typeof v === 'string' ? v : '';
  }

  set(chatId: string, text: string) {
    const all = this.all();
    if (text) all[chatId] = text;
    else delete all[chatId];
    try {
      if (Object.keys(all).length) this.storage.setItem(this.key, JSON.stringify(all));
      else this.storage.removeItem(this.key);
    } catch {
      // storage full or unavailable: the draft lives as long as the page
    }
  }

  delete(chatId: string) {
    this.set(chatId, '');
  }
}
