// The client's view of the server's objects. normalize.ts maps the server's views (the generated
// protocol types) onto these, so the UI reads one stable shape.

import type { AckFrame, ErrorFrame, PongFrame, ReadyFrame, ResyncFrame, ServerFrame } from './protocol.gen';

export type PresenceStatus = 'online' | 'away' | 'offline';

export interface User {
  id: string;
  username: string;
  displayName: string;
  avatarUrl?: string | null;
  status?: PresenceStatus;
  lastSeen?: string | null;
  /** Deployment role (the server's "role" of a user: admin or member); not a chat role. */
  serverRole?: 'admin' | 'member';
}

export interface Participant extends User {
  role: 'owner' | 'admin' | 'member';
  /** Sequence key (position) of the last message this member has read / had delivered. */
  lastReadMessageId?: string | null;
  lastDeliveredMessageId?: string | null;
  lastReadPosition?: number | null;
  lastDeliveredPosition?: number | null;
}

export interface Attachment {
  id: string;
  /** "image": shown inline with thumbnails; "file": any other type, shown as a download card. */
  kind?: 'image' | 'file';
  fileName?: string;
  fileType?: string;
  sizeBytes?: number;
  width?: number | null;
  height?: number | null;
  url: string;
  thumbnailUrl?: string | null;
  mediumUrl?: string | null;
}

export interface ReactionGroup {
  emoji: string;
  count: number;
  users: string[];
  /** Ids of reactions by the current user, when the server told us (needed to remove). */
  myReactionId?: string | null;
}

export interface ReplyQuote {
  id: string;
  senderId?: string | null;
  senderName?: string;
  content: string;
  isDeleted?: boolean;
}

export interface CallLog {
  callId: string;
  outcome: 'missed' | 'unavailable' | 'declined' | 'ended' | string;
  durationSec: number;
  video: boolean;
}

export interface Message {
  id: string;
  chatId: string;
  senderId: string | null;
  senderName: string;
  senderUsername?: string;
  senderAvatarUrl?: string | null;
  content: string;
  contentType: string;
  createdAt: string;
  editedAt?: string | null;
  isEdited: boolean;
  isDeleted: boolean;
  position: number | null;
  clientMessageId?: string | null;
  replyToId?: string | null;
  replyTo?: ReplyQuote | null;
  attachments: Attachment[];
  reactions: ReactionGroup[];
  /** Formatting as ranges (seed §6.2), when the sender used them instead of markers. */
  formatting?: { bold?: [number, number][]; italic?: [number, number][] } | null;
  /** Ids of the members the text mentions (parsed by the server); mentionsEveryone: @here/@all. */
  mentions?: string[];
  mentionsEveryone?: boolean;
  /** Set on a thread reply: the root message (replies are not in the main timeline). */
  threadRootId?: string | null;
  /** On a root with replies. */
  thread?: ThreadSummary | null;
  /** contentType "system": what happened (member added, chat renamed…). */
  system?: SystemEvent | null;
  linkPreview?: LinkPreview | null;
  /** A call log entry (system action call_ended): how the call went (docs/subsystems/calls.md). */
  call?: CallLog | null;
  /** Client-only: not yet acknowledged by the server. */
  pending?: boolean;
  failed?: string | null;
}

export interface ThreadSummary {
  replyCount: number;
  lastReplyAt: string | null;
  participants: string[];
}

export interface SystemEvent {
  action: 'member_added' | 'member_removed' | 'member_left' | 'chat_renamed' | 'description_changed' | 'call_ended' | string;
  actorId: string | null;
  targetIds: string[];
  name?: string | null;
  description?: string | null;
}

export interface LinkPreview {
  url: string;
  title?: string | null;
  description?: string | null;
  imageUrl?: string | null;
  siteName?: string | null;
}

export interface Chat {
  id: string;
  type: 'direct' | 'group';
  name: string;
  slug?: string | null;
  avatarUrl?: string | null;
  participants: Participant[];
  participantCount: number;
  /** The other member of a direct chat. */
  peer?: User | null;
  lastMessage?: Message | null;
  lastActivityAt: string;
  unreadCount: number;
  /** Unread messages that mention the current user (or everyone). */
  mentionCount?: number;
  /** Who may use @here/@all in a group. */
  everyoneMentions?: 'all' | 'admins';
  myRole?: 'owner' | 'admin' | 'member';
  /** My notification level here (server-side, the same on every device); muted = 'nothing'. */
  notificationLevel?: 'all' | 'mentions' | 'nothing';
  muted?: boolean;
}

export type ContactStatus = 'pending' | 'accepted' | 'blocked';

export interface Contact {
  /** The id used in /api/contacts/:id (the relationship's id, or the user's id). */
  id: string;
  user: User;
  status: ContactStatus;
  /** For pending ones: true when the current user asked. */
  outgoing: boolean;
  createdAt?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
  hasMore: boolean;
}

export interface SearchResult {
  id: string;
  chatId: string;
  chatName: string;
  chatSlug?: string | null;
  snippet: string;
  senderId?: string | null;
  senderName: string;
  createdAt: string;
}

/**
 * A server event (the frames of the stream and the ephemeral pushes, as WebSocket and long-poll
 * deliver them): the generated union, discriminated on `type`, without the connection's own frames.
 */
/** Every frame the client may receive: the generated union (resync included). */
export type IncomingFrame = ServerFrame;

export type ServerEvent = Exclude<ServerFrame, ReadyFrame | AckFrame | ErrorFrame | PongFrame | ResyncFrame>;
export type ServerEventType = ServerEvent['type'];
export type EventData<T extends ServerEventType> = Extract<ServerEvent, { type: T }>['data'];
