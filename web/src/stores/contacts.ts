import { create } from 'zustand';
import type { Contact } from '../lib/types';

interface ContactsState {
  contacts: Contact[];
  pending: Contact[];
  loaded: boolean;
  set(contacts: Contact[], pending: Contact[]): void;
  reset(): void;
}

export const useContacts = create<ContactsState>()((set) => ({
  contacts: [],
  pending: [],
  loaded: false,
  set(contacts, pending) {
    // One list of accepted contacts; pending ones from either list, without duplicates.
    const accepted = contacts.filter((c) => c.status === 'accepted');
    const blocked = contacts.filter((c) => c.status === 'blocked');
    const seen = new Set<string>();
    const allPending = [...pending, ...contacts.filter((c) => c.status === 'pending')].filter((c) => {
      if (seen.has(c.user.id)) return false;
      seen.add(c.user.id);
      return true;
    });
    set({ contacts: [...accepted, ...blocked], pending: allPending, loaded: true });
  },
  reset() {
    set({ contacts: [], pending: [], loaded: false });
  },
}));
