// Maps the server's views (the generated protocol types, docs/protocol/events.schema.json) onto
// the client's UI types. One field name per value: the server's; no guessing. Names are shown
// unescaped (the server stores display names and chat names HTML-escaped, like message text,
// and React escapes on output anyway).

import { decodeEntities } from './format';
import type { AttachmentView, ChatView, ContactView, MessageView, ParticipantView, ReactionGroup as ReactionGroupView, ChatUser, ReplySummary, UserView } from './protocol.gen';
import type { Attachment, Chat, Contact, Message, Participant, PresenceStatus, ReactionGroup, ReplyQuote, SearchResult, User } from './types';

const name = (v: string | null | undefined): string => decodeEntities(v ?? '');

const PRESENCE: readonly string[] = ['online', 'away', 'offline'] satisfies PresenceStatus[];
export const presence = (v: string | null | undefined): PresenceStatus | undefined =>
  v && PRESENCE.includes(v) ? (v as PresenceStatus) : undefined;

export function normalizeUser(u: UserView | ChatUser): User {
  return {
    id: u.id,
    username: u.username,
    displayName: name(u.displayName) || u.username,
    avatarUrl: u.avatarUrl ?? null,
    status: presence(u.status),
    lastSeen: u.lastSeen ?? null,
    ...('role' in u && (u.role === 'admin' || u.role === 'member') ? { serverRole: u.role } : {}),
  };
}

export function toPosition(v: number | string | null | undefined): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function normalizeAttachment(a: AttachmentView): Attachment {
  return {
    id: a.id,
    // A server without files (no kind) only ever sent images.
    kind: a.kind === 'file' ? 'file' : 'image',
    fileName: a.fileName,
    fileType: a.contentType ?? a.fileType,
    sizeBytes: a.sizeBytes,
    width: a.width ?? null,
    height: a.height ?? null,
    url: a.url,
    thumbnailUrl: a.thumbnailUrl ?? null,
    mediumUrl: a.mediumUrl ?? null,
  };
}

export function normalizeReactions(groups: ReactionGroupView[] | null | undefined): ReactionGroup[] {
  return (groups ?? []).map((g) => ({ emoji: g.emoji, count: g.count, users: g.users, myReactionId: null }));
}

function normalizeReply(r: ReplySummary | null | undefined): ReplyQuote | null {
  if (!r) return null;
  return { id: r.id, senderId: r.senderId, senderName: name(r.senderDisplayName ?? r.senderUsername), content: r.content ?? '', isDeleted: r.isDeleted };
}

export function normalizeMessage(m: MessageView): Message {
  const metadata = m.metadata as { formatting?: Message['formatting'] } | null;
  const call = m.system?.action === 'call_ended' ? m.system.call : null;
  return {
    id: m.id,
    chatId: m.chatId,
    senderId: m.senderId,
    senderName: name(m.senderDisplayName ?? m.senderUsername) || 'Unknown',
    senderUsername: m.senderUsername ?? undefined,
    senderAvatarUrl: m.senderAvatarUrl,
    content: m.content ?? '',
    contentType: m.contentType,
    createdAt: m.createdAt,
    editedAt: m.editedAt,
    isEdited: m.isEdited,
    isDeleted: false,
    position: toPosition(m.position),
    clientMessageId: m.clientMessageId,
    replyToId: m.replyToId,
    replyTo: normalizeReply(m.replyTo),
    attachments: m.attachments.map(normalizeAttachment),
    reactions: normalizeReactions(m.reactions),
    formatting: metadata?.formatting ?? null,
    mentions: m.mentions ?? [],
    mentionsEveryone: !!m.mentionsEveryone,
    threadRootId: m.threadRootId ?? null,
    thread: m.thread ? { replyCount: m.thread.replyCount, lastReplyAt: m.thread.lastReplyAt ?? null, participants: m.thread.participants ?? [] } : null,
    system: m.system ? { action: m.system.action ?? '', actorId: m.system.actorId ?? null, targetIds: m.system.targetIds ?? [], name: m.system.name, description: m.system.description } : null,
    linkPreview: m.linkPreview ? { url: m.linkPreview.url ?? '', title: m.linkPreview.title, description: m.linkPreview.description, imageUrl: m.linkPreview.imageUrl, siteName: m.linkPreview.siteName } : null,
    call: call ? { callId: call.callId, outcome: call.outcome ?? 'ended', durationSec: call.durationSec, video: call.video } : null,
  };
}

export function normalizeParticipant(p: ParticipantView): Participant {
  return {
    ...normalizeUser(p.user),
    role: p.role,
    lastReadMessageId: p.lastReadMessageId,
    lastDeliveredMessageId: p.lastDeliveredMessageId,
    lastReadPosition: toPosition(p.lastReadPosition),
    lastDeliveredPosition: toPosition(p.lastDeliveredPosition),
  };
}

export function normalizeChat(c: ChatView, myId?: string): Chat {
  const participants = (c.participants ?? []).map(normalizeParticipant);
  const peer = c.type === 'direct' ? participants.find((p) => p.id !== myId) ?? null : null;
  const lastMessage = c.lastMessage ? normalizeMessage(c.lastMessage) : null;
  const me = participants.find((p) => p.id === myId);
  return {
    id: c.id,
    type: c.type,
    name: (c.type === 'direct' ? peer?.displayName || peer?.username : name(c.name)) || 'Chat',
    slug: c.slug,
    avatarUrl: c.type === 'direct' ? peer?.avatarUrl ?? null : c.avatarUrl,
    participants,
    participantCount: c.participantCount || participants.length,
    peer,
    lastMessage,
    lastActivityAt: c.lastMessageAt ?? c.updatedAt ?? c.createdAt,
    unreadCount: c.unreadCount,
    mentionCount: c.mentionCount ?? 0,
    everyoneMentions: c.everyoneMentions === 'admins' ? 'admins' : 'all',
    myRole: c.myRole ?? me?.role,
    // Null inside events (they carry no per-user fields); the REST views carry mine.
    ...(c.notificationLevel ? { notificationLevel: c.notificationLevel as Chat['notificationLevel'], muted: !!c.muted } : {}),
  };
}

export function normalizeContact(c: ContactView): Contact {
  return { id: c.id, user: normalizeUser(c.user), status: c.status, outgoing: c.direction === 'outgoing', createdAt: c.createdAt };
}

/** One hit of GET /api/messages/search (a REST shape, not an event). */
export interface SearchHitView {
  id: string;
  chatId: string;
  chatName: string | null;
  chatSlug: string | null;
  /** An HTML snippet: escaped plain text with the matches in <mark>. */
  content: string;
  senderId: string | null;
  senderDisplayName: string | null;
  senderUsername: string | null;
  createdAt: string;
}

export function normalizeSearchResult(r: SearchHitView): SearchResult {
  return {
    id: r.id,
    chatId: r.chatId,
    chatName: name(r.chatName) || 'Chat',
    chatSlug: r.chatSlug,
    snippet: r.content,
    senderId: r.senderId,
    senderName: name(r.senderDisplayName ?? r.senderUsername),
    createdAt: r.createdAt,
  };
}

/** A REST list: {data:[...]} (seed lists) or {results:[...]} (search). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function listOf(body: any): any[] {
  if (Array.isArray(body?.data)) return body.data;
  if (Array.isArray(body?.results)) return body.results;
  return [];
}
