// Every REST call the client makes (seed §6.1 plus PRODUCT.md's additions), in one place.
/* eslint-disable @typescript-eslint/no-explicit-any */

import { api, upload } from './http';
import { isUuid } from './ids';
import { listOf, normalizeAttachment, normalizeChat, normalizeContact, normalizeMessage, normalizeSearchResult, normalizeUser } from './normalize';
import type { Attachment, Chat, Contact, Message, SearchResult, User } from './types';

const enc = encodeURIComponent;
const PAGE = 50;
/**
 * Up to this many unread messages, the newest page holds the first unread with some read ones
 * above it; with more, a chat opens on a page around the last read message instead.
 */
export const UNREAD_FITS_PAGE = PAGE - 10;

export interface MessagePage {
  items: Message[]; // oldest first
  hasOlder: boolean;
  hasNewer: boolean;
  olderCursor: string | null;
  newerCursor: string | null;
}

// ---- auth and users
export async function register(username: string, password: string, passwordConfirm: string, inviteToken?: string) {
  return api('/api/auth/register', { method: 'POST', body: { username, password, passwordConfirm, ...(inviteToken ? { inviteToken } : {}) }, auth: false });
}
export async function login(username: string, password: string) {
  return api('/api/auth/login', { method: 'POST', body: { username, password }, auth: false });
}
export async function logout(refreshToken: string) {
  return api('/api/auth/logout', { method: 'POST', body: { refreshToken }, auth: false });
}
export async function fetchMe(): Promise<User> {
  return normalizeUser((await api('/api/users/me')).user);
}
export async function updateMe(patch: { displayName?: string }): Promise<User> {
  return normalizeUser((await api('/api/users/me', { method: 'PUT', body: patch })).user);
}
/** Uploads a new avatar image; the server keeps a square copy and answers the updated user. */
export async function uploadAvatar(file: File): Promise<User> {
  const form = new FormData();
  form.append('avatar', file, file.name);
  return normalizeUser(await upload('/api/users/me/avatar', form, undefined, 'PUT'));
}
export async function searchUsers(q: string): Promise<User[]> {
  return listOf(await api(`/api/users/search?q=${enc(q)}&limit=20`)).map((u) => normalizeUser(u));
}

// ---- contacts
async function allPages(path: string, maxPages = 20): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const body: any = await api(`${path}${sep}limit=100${cursor ? `&cursor=${enc(cursor)}` : ''}`);
    out.push(...listOf(body));
    if (!body?.hasMore || !body?.nextCursor) break;
    cursor = body.nextCursor;
  }
  return out;
}
export async function fetchContacts(): Promise<Contact[]> {
  return (await allPages('/api/contacts')).map((c) => normalizeContact(c));
}
export async function fetchPending(): Promise<Contact[]> {
  return (await allPages('/api/contacts/pending', 5)).map((c) => ({ ...normalizeContact(c), status: 'pending' as const }));
}
export async function requestContact(target: { username?: string; userId?: string }) {
  return api('/api/contacts', { method: 'POST', body: target });
}
export async function acceptContact(id: string) {
  return api(`/api/contacts/${enc(id)}/accept`, { method: 'PUT' });
}
export async function removeContact(id: string) {
  return api(`/api/contacts/${enc(id)}`, { method: 'DELETE' });
}
export async function blockContact(id: string, userId: string) {
  return api(`/api/contacts/${enc(id)}/block`, { method: 'POST', body: { userId } });
}

// ---- chats
export async function fetchChats(me: string): Promise<Chat[]> {
  return (await allPages('/api/chats')).map((c) => normalizeChat(c, me));
}
export async function fetchChat(ref: string, me: string): Promise<Chat> {
  const body = await api(isUuid(ref) ? `/api/chats/${enc(ref)}` : `/api/chats/slug/${enc(ref)}`);
  return normalizeChat(body.chat, me);
}
export async function openDirectChat(userId: string, me: string): Promise<Chat> {
  return normalizeChat((await api('/api/chats/direct', { method: 'POST', body: { userId } })).chat, me);
}
export async function createGroup(name: string, participantIds: string[], me: string, slug?: string): Promise<Chat> {
  const body: any = { name, participantIds, participants: participantIds };
  if (slug) body.slug = slug;
  return normalizeChat((await api('/api/chats/group', { method: 'POST', body })).chat, me);
}
export async function updateChat(id: string, patch: { name?: string }, me: string): Promise<Chat | null> {
  const body = await api(`/api/chats/${enc(id)}`, { method: 'PUT', body: patch });
  return body?.chat ? normalizeChat(body.chat, me) : null;
}
export async function addParticipants(chatId: string, userIds: string[]) {
  return api(`/api/chats/${enc(chatId)}/participants`, { method: 'POST', body: { userIds } });
}
export async function removeParticipant(chatId: string, userId: string) {
  return api(`/api/chats/${enc(chatId)}/participants/${enc(userId)}`, { method: 'DELETE' });
}
export async function leaveChat(chatId: string) {
  return api(`/api/chats/${enc(chatId)}/leave`, { method: 'POST' });
}
export async function markRead(chatId: string, messageId: string) {
  return api(`/api/chats/${enc(chatId)}/read`, { method: 'POST', body: { messageId } });
}

// ---- messages
// A page is newest first: nextCursor/hasMore continue towards older messages (?cursor=),
// newerCursor/hasNewer towards newer ones (?after=). We keep the window oldest first.
function toPage(body: any): MessagePage {
  const items = listOf(body).map((m) => normalizeMessage(m));
  items.sort((a, b) => (a.position ?? Date.parse(a.createdAt)) - (b.position ?? Date.parse(b.createdAt)));
  return {
    items,
    hasOlder: !!body?.hasMore,
    hasNewer: !!body?.hasNewer,
    olderCursor: body?.nextCursor ?? null,
    newerCursor: body?.newerCursor ?? null,
  };
}
export async function fetchLatest(chatId: string): Promise<MessagePage> {
  return toPage(await api(`/api/chats/${enc(chatId)}/messages?limit=${PAGE}`));
}
export async function fetchOlder(chatId: string, cursor: string): Promise<MessagePage> {
  return toPage(await api(`/api/chats/${enc(chatId)}/messages?limit=${PAGE}&cursor=${enc(cursor)}`));
}
export async function fetchNewer(chatId: string, cursor: string): Promise<MessagePage> {
  return toPage(await api(`/api/chats/${enc(chatId)}/messages?limit=${PAGE}&after=${enc(cursor)}`));
}
export async function fetchAround(chatId: string, messageId: string): Promise<MessagePage> {
  return toPage(await api(`/api/chats/${enc(chatId)}/messages?around=${enc(messageId)}&limit=${PAGE}`));
}
export async function fetchMessage(id: string): Promise<Message> {
  return normalizeMessage((await api(`/api/messages/${enc(id)}`)).message);
}
export async function postMessage(chatId: string, payload: Record<string, unknown>): Promise<Message> {
  return normalizeMessage((await api(`/api/chats/${enc(chatId)}/messages`, { method: 'POST', body: payload })).message);
}
export async function editMessage(id: string, content: string): Promise<Message | null> {
  const body = await api(`/api/messages/${enc(id)}`, { method: 'PUT', body: { content } });
  return body?.message ? normalizeMessage(body.message) : null;
}
export async function deleteMessage(id: string) {
  return api(`/api/messages/${enc(id)}`, { method: 'DELETE' });
}
export async function addReaction(messageId: string, emoji: string): Promise<{ id?: string }> {
  const body: any = await api(`/api/messages/${enc(messageId)}/reactions`, { method: 'POST', body: { emoji } });
  return body?.reaction ?? {};
}
export async function removeReaction(messageId: string, reactionId: string) {
  return api(`/api/messages/${enc(messageId)}/reactions/${enc(reactionId)}`, { method: 'DELETE' });
}

// ---- search
export interface SearchPage {
  results: SearchResult[];
  total: number | null;
  totalCapped: boolean;
  partialMatches: boolean;
  nextCursor: string | null;
  hasMore: boolean;
}
export async function searchMessages(q: string, sort: 'newest' | 'relevance', cursor?: string | null): Promise<SearchPage> {
  const body: any = await api(`/api/messages/search?q=${enc(q)}&limit=30&sort=${sort}${cursor ? `&cursor=${enc(cursor)}` : ''}`);
  return {
    results: listOf(body).map(normalizeSearchResult),
    total: typeof body?.total === 'number' ? body.total : null,
    totalCapped: !!body?.totalCapped,
    partialMatches: !!body?.partialMatches,
    nextCursor: body?.nextCursor ?? null,
    hasMore: !!body?.hasMore,
  };
}

// ---- attachments
/** JPEG/PNG/GIF/WebP go as `images` (must decode); anything else as `files` (kept as uploaded). */
export async function uploadImage(file: File, onProgress: (f: number) => void): Promise<Attachment> {
  const form = new FormData();
  const image = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'].includes(file.type);
  form.append(image ? 'images' : 'files', file, file.name || (image ? 'image.png' : 'file'));
  const body: any = await upload('/api/attachments/upload', form, onProgress);
  return normalizeAttachment(body.attachments[0]);
}

// ---- events (long-poll fallback)
export async function pollEvents(cursor: string | null, timeoutSeconds: number, signal: AbortSignal) {
  const q = new URLSearchParams();
  if (cursor) q.set('cursor', cursor);
  q.set('timeout', String(timeoutSeconds));
  const body: any = await api(`/api/events?${q}`, { signal });
  return { events: Array.isArray(body?.events) ? body.events : [], cursor: body?.cursor ?? cursor };
}

export async function deleteAttachment(id: string) {
  return api(`/api/attachments/${enc(id)}`, { method: 'DELETE' });
}

// ---- threads (docs/subsystems/chats-messages.md, "Threads")
export interface ThreadPage {
  root: Message;
  replies: Message[]; // oldest first
  hasOlder: boolean;
  olderCursor: string | null;
  unreadCount: number;
  lastReadPosition: number;
}
export async function fetchThread(rootId: string, cursor?: string | null): Promise<ThreadPage> {
  const body = await api(`/api/messages/${enc(rootId)}/thread?limit=100${cursor ? `&cursor=${enc(cursor)}` : ''}`);
  return {
    root: normalizeMessage(body.root),
    replies: listOf(body).map(normalizeMessage).reverse(),
    hasOlder: !!body?.hasMore,
    olderCursor: body?.nextCursor ?? null,
    unreadCount: Number(body?.unreadCount ?? 0),
    lastReadPosition: Number(body?.lastReadPosition ?? 0),
  };
}
export async function markThreadRead(rootId: string, messageId: string) {
  return api(`/api/messages/${enc(rootId)}/thread/read`, { method: 'POST', body: { messageId } });
}
export async function sendThreadReply(chatId: string, rootId: string, content: string, clientMessageId: string): Promise<Message> {
  return postMessage(chatId, { content, threadRootId: rootId, clientMessageId });
}
