// Maps the server's JSON onto the client's types. Field names follow seed §6.2; a few
// alternatives are accepted so the UI does not break on a harmless naming difference.
/* eslint-disable @typescript-eslint/no-explicit-any */

import type { Attachment, Chat, Contact, Message, Participant, ReactionGroup, ReplyQuote, SearchResult, User } from './types';

const str = (v: any): string | null => (v === undefined || v === null ? null : String(v));

export function normalizeUser(raw: any): User {
  const u = raw?.user && typeof raw.user === 'object' && !raw.username ? raw.user : raw ?? {};
  return {
    id: String(u.id ?? u.userId ?? ''),
    username: String(u.username ?? ''),
    displayName: String(u.displayName ?? u.display_name ?? u.username ?? ''),
    avatarUrl: u.avatarUrl ?? null,
    status: u.status ?? undefined,
    lastSeen: u.lastSeen ?? null,
    ...(u.role === 'admin' || u.role === 'member' ? { serverRole: u.role } : {}),
  };
}

export function toPosition(v: any): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function normalizeAttachment(raw: any): Attachment {
  const id = String(raw.id ?? raw.attachmentId);
  return {
    id,
    fileName: raw.fileName ?? raw.filename ?? raw.name,
    fileType: raw.fileType ?? raw.mimeType ?? raw.contentType,
    width: raw.width ?? null,
    height: raw.height ?? null,
    url: raw.url ?? raw.originalUrl ?? `/api/attachments/${id}`,
    thumbnailUrl: raw.thumbnailUrl ?? raw.thumbnail?.url ?? `/api/attachments/${id}/thumbnail`,
    mediumUrl: raw.mediumUrl ?? raw.medium?.url ?? `/api/attachments/${id}/medium`,
  };
}

export function normalizeReactions(raw: any, myId?: string): ReactionGroup[] {
  if (!Array.isArray(raw)) return [];
  // Either grouped ({emoji,count,users}) or one row per reaction ({id,emoji,userId}).
  const groups = new Map<string, ReactionGroup>();
  for (const r of raw) {
    if (!r || !r.emoji) continue;
    if (Array.isArray(r.users) || typeof r.count === 'number') {
      const users = (r.users ?? []).map((u: any) => (typeof u === 'object' ? String(u.id ?? u.userId) : String(u)));
      groups.set(r.emoji, {
        emoji: r.emoji,
        count: r.count ?? users.length,
        users,
        myReactionId: r.myReactionId ?? r.reactionId ?? null,
      });
    } else {
      const g: ReactionGroup = groups.get(r.emoji) ?? { emoji: r.emoji, count: 0, users: [], myReactionId: null };
      const userId = String(r.userId ?? r.user?.id ?? '');
      if (!g.users.includes(userId)) {
        g.users.push(userId);
        g.count = g.users.length;
      }
      if (myId && userId === myId && r.id) g.myReactionId = String(r.id);
      groups.set(r.emoji, g);
    }
  }
  return [...groups.values()];
}

function normalizeReply(raw: any): ReplyQuote | null {
  if (!raw || typeof raw !== 'object') return null;
  return {
    id: String(raw.id),
    senderId: str(raw.senderId ?? raw.sender?.id),
    senderName: raw.senderDisplayName ?? raw.sender?.displayName ?? raw.senderUsername ?? raw.sender?.username ?? '',
    content: raw.content ?? '',
    isDeleted: !!(raw.isDeleted ?? raw.deleted),
  };
}

export function normalizeMessage(raw: any, myId?: string): Message {
  const m = raw?.message && typeof raw.message === 'object' ? { ...raw.message, sender: raw.message.sender ?? raw.sender } : raw;
  const sender = m.sender && typeof m.sender === 'object' ? m.sender : null;
  const attachments = Array.isArray(m.attachments) ? m.attachments.map(normalizeAttachment) : [];
  return {
    id: String(m.id),
    chatId: String(m.chatId ?? m.chat_id ?? ''),
    senderId: str(m.senderId ?? sender?.id),
    senderName: m.senderDisplayName ?? sender?.displayName ?? m.senderUsername ?? sender?.username ?? 'Unknown',
    senderUsername: m.senderUsername ?? sender?.username,
    senderAvatarUrl: m.senderAvatarUrl ?? sender?.avatarUrl ?? null,
    content: m.isDeleted || m.deleted ? '' : m.content ?? '',
    contentType: m.contentType ?? (attachments.length ? 'image' : 'text'),
    createdAt: m.createdAt ?? new Date().toISOString(),
    editedAt: m.editedAt ?? null,
    isEdited: !!(m.isEdited ?? m.edited),
    isDeleted: !!(m.isDeleted ?? m.deleted),
    position: toPosition(m.position ?? m.seq ?? m.cursor),
    clientMessageId: m.clientMessageId ?? null,
    replyToId: str(m.replyToId ?? m.replyTo?.id),
    replyTo: normalizeReply(m.replyTo ?? m.reply),
    attachments,
    reactions: normalizeReactions(m.reactions, myId),
    formatting: m.metadata?.formatting ?? null,
  };
}

export function normalizeParticipant(raw: any): Participant {
  const user = normalizeUser(raw.user && typeof raw.user === 'object' ? { ...raw.user, status: raw.user.status ?? raw.status } : raw);
  if (!raw.user && raw.userId) user.id = String(raw.userId);
  return {
    ...user,
    role: raw.role ?? 'member',
    lastReadMessageId: raw.lastReadMessageId ?? null,
    lastDeliveredMessageId: raw.lastDeliveredMessageId ?? null,
    lastReadPosition: toPosition(raw.lastReadPosition),
    lastDeliveredPosition: toPosition(raw.lastDeliveredPosition),
  };
}

export function normalizeChat(raw: any, myId?: string): Chat {
  const c = raw?.chat && typeof raw.chat === 'object' ? { ...raw.chat, ...raw, chat: undefined } : raw;
  const participants: Participant[] = Array.isArray(c.participants ?? c.members)
    ? (c.participants ?? c.members).map(normalizeParticipant)
    : [];
  const type = c.type === 'group' ? 'group' : 'direct';
  let peer: User | null = null;
  if (type === 'direct') {
    const other = c.otherUser ?? c.peer ?? c.otherParticipant;
    peer = other ? normalizeUser(other) : participants.find((p) => p.id !== myId) ?? null;
  }
  const lastMessage = c.lastMessage ? normalizeMessage({ chatId: c.id, ...c.lastMessage }, myId) : null;
  const me = participants.find((p) => p.id === myId);
  return {
    id: String(c.id),
    type,
    name: (type === 'direct' ? peer?.displayName || peer?.username || c.name : c.name) || 'Chat',
    slug: c.slug ?? null,
    avatarUrl: type === 'direct' ? peer?.avatarUrl ?? null : c.avatarUrl ?? null,
    participants,
    participantCount: Number(c.participantCount ?? participants.length) || participants.length,
    peer,
    lastMessage,
    lastActivityAt: c.lastMessageAt ?? lastMessage?.createdAt ?? c.updatedAt ?? c.createdAt ?? new Date(0).toISOString(),
    unreadCount: Number(c.unreadCount ?? c.unread ?? 0) || 0,
    myRole: c.role ?? c.myRole ?? me?.role,
  };
}

export function normalizeContact(raw: any, myId?: string): Contact {
  // The other person may be under user/contact, or the row may be a user with relationship fields.
  const other = raw.user ?? raw.contact ?? raw.otherUser ?? (raw.username ? raw : null);
  const user = other ? normalizeUser(other) : normalizeUser({ id: raw.contactId ?? raw.userId });
  const requestedBy = raw.requestedBy ?? raw.requested_by ?? null;
  let outgoing = false;
  if (raw.direction) outgoing = raw.direction === 'outgoing' || raw.direction === 'sent';
  else if (typeof raw.outgoing === 'boolean') outgoing = raw.outgoing;
  else if (requestedBy) outgoing = String(requestedBy) === myId;
  return {
    id: String(raw.id ?? user.id),
    user,
    status: raw.status ?? 'accepted',
    outgoing,
    createdAt: raw.createdAt,
  };
}

export function normalizeSearchResult(raw: any): SearchResult {
  return {
    id: String(raw.id ?? raw.messageId),
    chatId: String(raw.chatId),
    chatName: raw.chatName ?? raw.chat?.name ?? 'Chat',
    chatSlug: raw.chatSlug ?? raw.chat?.slug ?? null,
    snippet: raw.snippet ?? raw.highlight ?? raw.content ?? '',
    senderId: str(raw.senderId),
    senderName: raw.senderDisplayName ?? raw.senderUsername ?? raw.sender?.displayName ?? '',
    createdAt: raw.createdAt,
  };
}

/** Any list response: {data:[...]} (seed lists), {results:[...]} (search) or a bare array. */
export function listOf(body: any): any[] {
  if (Array.isArray(body)) return body;
  for (const key of ['data', 'results', 'items', 'contacts', 'chats', 'messages', 'users', 'requests', 'attachments', 'participants', 'members']) {
    if (Array.isArray(body?.[key])) return body[key];
  }
  return [];
}
