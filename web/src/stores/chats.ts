import { create } from 'zustand';
import type { Chat, Message, Participant } from '../lib/types';

interface ChatsState {
  byId: Record<string, Chat>;
  loaded: boolean;
  error: string | null;
  setAll(chats: Chat[]): void;
  upsert(chat: Chat): void;
  patch(id: string, fn: (c: Chat) => Chat): void;
  remove(id: string): void;
  reset(): void;
}

export const useChats = create<ChatsState>()((set, get) => ({
  byId: {},
  loaded: false,
  error: null,
  setAll(chats) {
    const byId: Record<string, Chat> = {};
    for (const c of chats) byId[c.id] = c;
    set({ byId, loaded: true, error: null });
  },
  upsert(chat) {
    const existing = get().byId[chat.id];
    // Keep a newer last message we already know (events can be ahead of a REST answer).
    let merged = existing && existing.lastMessage && chat.lastMessage
      && Date.parse(existing.lastMessage.createdAt) > Date.parse(chat.lastMessage.createdAt)
      ? { ...chat, lastMessage: existing.lastMessage, lastActivityAt: existing.lastActivityAt }
      : chat;
    // Group chats in the list come without members: keep the members we already know.
    if (existing && merged.participants.length === 0 && existing.participants.length > 0) merged = { ...merged, participants: existing.participants };
    set({ byId: { ...get().byId, [chat.id]: merged } });
  },
  patch(id, fn) {
    const c = get().byId[id];
    if (c) set({ byId: { ...get().byId, [id]: fn(c) } });
  },
  remove(id) {
    const byId = { ...get().byId };
    delete byId[id];
    set({ byId });
  },
  reset() {
    set({ byId: {}, loaded: false, error: null });
  },
}));

export function sortChats(byId: Record<string, Chat>): Chat[] {
  return Object.values(byId).sort((a, b) => Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt) || a.name.localeCompare(b.name));
}

export function totalUnread(byId: Record<string, Chat>): number {
  // Muted chats keep their own badge but do not raise the tab title's count.
  return Object.values(byId).reduce((n, c) => n + (c.muted ? 0 : c.unreadCount || 0), 0);
}

export function findChat(byId: Record<string, Chat>, ref: string): Chat | undefined {
  return byId[ref] ?? Object.values(byId).find((c) => c.slug && c.slug.toLowerCase() === ref.toLowerCase());
}

/** The chat with a new message: preview, activity time and (for others' messages) unread. */
export function withNewMessage(chat: Chat, message: Message, countUnread: boolean): Chat {
  const newer = !chat.lastMessage || Date.parse(message.createdAt) >= Date.parse(chat.lastMessage.createdAt) || chat.lastMessage.id === message.id;
  return {
    ...chat,
    lastMessage: newer ? message : chat.lastMessage,
    lastActivityAt: newer ? message.createdAt : chat.lastActivityAt,
    unreadCount: countUnread ? chat.unreadCount + 1 : chat.unreadCount,
  };
}

export function withParticipant(chat: Chat, participant: Participant): Chat {
  if (chat.participants.some((p) => p.id === participant.id)) return chat;
  return { ...chat, participants: [...chat.participants, participant] };
}
