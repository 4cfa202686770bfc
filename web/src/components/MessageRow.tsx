import { CallLogRow } from '../calls/CallLogRow';
import { memo, useState } from 'react';
import { Avatar } from './Avatar';
import { EmojiPicker } from './EmojiPicker';
import { FileCards } from './FileCard';
import { DEFAULT_REACTIONS, quickReactions, rememberEmoji } from '../lib/emoji';
import { AuthImage } from './AuthImage';
import { FormattedText } from './Formatted';
import { Icon } from './Icon';
import { LinkPreviewCard } from './LinkPreviewCard';
import { SystemMessage } from './SystemMessage';
import { ThreadSummaryButton } from './ThreadSummary';
import { previewText } from '../lib/format';
import { formatDay, formatFull, formatTime } from '../lib/time';
import type { Attachment, Message } from '../lib/types';

export const QUICK_REACTIONS = DEFAULT_REACTIONS;

export interface MessageActions {
  reply(m: Message): void;
  edit(m: Message): void;
  remove(m: Message): void;
  react(m: Message, emoji: string): void;
  copyLink(m: Message): void;
  openImage(images: Attachment[], index: number): void;
  jumpTo(messageId: string): void;
  retry(m: Message): void;
  discard(m: Message): void;
  nameOf(userId: string): string;
  /** Opens the thread of a main-timeline message in the side panel. */
  openThread?(m: Message): void;
}

export interface RowProps {
  message: Message;
  previous?: Message;
  own: boolean;
  groupStart: boolean;
  dayStart: boolean;
  showSender: boolean;
  canDelete: boolean;
  receipt: 'sent' | 'delivered' | 'read' | null;
  readBy: string[] | null;
  highlighted: boolean;
  me: string;
  actions: MessageActions;
}

function Images({ images, onOpen }: { images: Attachment[]; onOpen: (i: number) => void }) {
  const single = images.length === 1;
  return (
    <div className={`mt-1 grid gap-1 ${single ? 'grid-cols-1' : 'grid-cols-2'}`}>
      {images.map((a, i) => {
        const w = a.width ?? 320;
        const h = a.height ?? 240;
        const ratio = Math.min(Math.max(w / h, 0.5), 2.5);
        return (
          <button key={a.id} type="button" onClick={() => onOpen(i)} className="overflow-hidden rounded-xl bg-slate-200/60 focus-visible:ring-2 dark:bg-slate-800" aria-label={`Open image ${a.fileName ?? i + 1}`}>
            <AuthImage
              src={(single ? a.mediumUrl : a.thumbnailUrl) ?? a.url}
              alt={a.fileName ?? 'Image'}
              loading="lazy"
              className="block h-auto w-full object-cover"
              style={{ aspectRatio: String(ratio), maxHeight: single ? 320 : 160, width: single ? Math.min(320, Math.round(320 * Math.min(ratio, 1.6))) : '100%' }}
            />
          </button>
        );
      })}
    </div>
  );
}

function ReceiptMark({ receipt, readBy }: { receipt: RowProps['receipt']; readBy: string[] | null }) {
  if (!receipt) return null;
  const label = receipt === 'read' ? (readBy?.length ? `Read by ${readBy.join(', ')}` : 'Read') : receipt === 'delivered' ? 'Delivered' : 'Sent';
  return (
    <span className={`inline-flex ${receipt === 'read' ? 'text-sky-400' : ''}`} title={label} aria-label={label} data-receipt={receipt}>
      <Icon name="check" className="h-3.5 w-3.5" strokeWidth={2.5} />
      {receipt !== 'sent' && <Icon name="check" className="-ml-2 h-3.5 w-3.5" strokeWidth={2.5} />}
    </span>
  );
}

export const MessageRow = memo(function MessageRow(props: RowProps) {
  const { message: m, own, groupStart, dayStart, showSender, canDelete, receipt, readBy, highlighted, actions } = props;
  const [picker, setPicker] = useState<false | 'quick' | 'full'>(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // The call log is a system line of its own kind (call_ended): drawn with its icon and outcome.
  if (m.contentType === 'system' && m.call) return <CallLogRow message={m} me={own ? m.senderId ?? undefined : undefined} />;
  if (m.contentType === 'system' && m.system) return <SystemMessage message={m} nameOf={actions.nameOf} />;
  const mentioned = !own && !m.isDeleted && (!!m.mentionsEveryone || !!m.mentions?.includes(props.me));
  const status = m.failed ? 'failed' : m.pending ? 'pending' : 'sent';
  const bubble = own
    ? 'bg-accent-600 text-white rounded-2xl rounded-br-md'
    : mentioned
      ? 'bg-amber-50 text-slate-900 ring-2 ring-amber-400 rounded-2xl rounded-bl-md dark:bg-amber-900/30 dark:text-slate-100 dark:ring-amber-500'
      : 'bg-white text-slate-900 ring-1 ring-slate-200 rounded-2xl rounded-bl-md dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-700';
  return (
    <div className="px-3 sm:px-6" data-message-id={m.id} data-status={status} data-mentioned={mentioned ? 'true' : undefined}>
      {dayStart && (
        <div className="sticky top-0 z-10 flex justify-center py-3" role="separator">
          <span className="rounded-full bg-slate-100/90 px-3 py-0.5 text-xs font-medium text-slate-600 shadow-sm backdrop-blur dark:bg-slate-800/90 dark:text-slate-300">{formatDay(m.createdAt)}</span>
        </div>
      )}
      <div className={`group relative flex items-end gap-2 ${groupStart ? 'mt-3' : 'mt-0.5'} ${own ? 'flex-row-reverse' : ''} ${highlighted ? 'highlight-target' : ''}`}
        tabIndex={0} aria-label={`${m.senderName} at ${formatTime(m.createdAt)}: ${m.isDeleted ? 'deleted message' : previewText(m.content, 200)}`}>
        {!own && (
          <div className="w-8 shrink-0">
            {groupStart && <Avatar name={m.senderName} seed={m.senderId ?? m.senderName} url={m.senderAvatarUrl} size="sm" />}
          </div>
        )}
        <div className={`flex min-w-0 max-w-[85%] flex-col sm:max-w-[70%] ${own ? 'items-end' : 'items-start'}`}>
          {groupStart && showSender && !own && <span className="mb-0.5 ml-1 text-xs font-semibold text-slate-600 dark:text-slate-300">{m.senderName}</span>}
          <div className={`relative min-w-0 max-w-full px-3.5 py-2 shadow-sm ${bubble} ${m.pending ? 'opacity-80' : ''} ${m.failed ? 'ring-2 ring-rose-400' : ''}`}>
            {m.replyTo && !m.isDeleted && (
              <button type="button" onClick={() => actions.jumpTo(m.replyTo!.id)}
                className={`mb-1.5 block w-full rounded-lg border-l-4 px-2 py-1 text-left text-xs ${own ? 'border-white/70 bg-white/15' : 'border-accent-500 bg-slate-100 dark:bg-slate-900/60'}`}
                aria-label={`Reply to ${m.replyTo.senderName}`}>
                <span className="block font-semibold">{m.replyTo.senderName || actions.nameOf(m.replyTo.senderId ?? '')}</span>
                <span className="line-clamp-2 opacity-80">{m.replyTo.isDeleted ? 'Message deleted' : previewText(m.replyTo.content, 160)}</span>
              </button>
            )}
            {m.isDeleted ? (
              <p className="text-sm italic opacity-70">This message was deleted</p>
            ) : (
              <>
                {m.content && <div className="text-[15px] leading-relaxed break-words whitespace-pre-wrap" data-testid="message-content"><FormattedText content={m.content} formatting={m.formatting} /></div>}
                {m.attachments.some((a) => a.kind !== 'file') && <Images images={m.attachments.filter((a) => a.kind !== 'file')} onOpen={(i) => actions.openImage(m.attachments.filter((a) => a.kind !== 'file'), i)} />}
                {m.attachments.some((a) => a.kind === 'file') && <FileCards files={m.attachments.filter((a) => a.kind === 'file')} own={own} />}
                {m.linkPreview && <LinkPreviewCard preview={m.linkPreview} own={own} />}
              </>
            )}
            <span className={`mt-0.5 flex items-center justify-end gap-1 text-[11px] ${own ? 'text-white/75' : 'text-slate-400'}`}>
              {m.isEdited && !m.isDeleted && <span>edited</span>}
              <time dateTime={m.createdAt} title={formatFull(m.createdAt)}>{formatTime(m.createdAt)}</time>
              {own && status === 'pending' && <span title="Sending…" aria-label="Sending" data-pending="true"><Icon name="clock" className="h-3.5 w-3.5" /></span>}
              {own && status === 'sent' && <ReceiptMark receipt={receipt} readBy={readBy} />}
            </span>
          </div>
          {m.failed && (
            <div className="mt-1 flex items-center gap-2 text-xs text-rose-600" role="alert">
              <Icon name="warning" className="h-4 w-4" /> Not sent{m.failed !== 'Not sent' ? `: ${m.failed}` : ''}
              <button type="button" className="font-semibold underline" onClick={() => actions.retry(m)}>Retry</button>
              <button type="button" className="underline" onClick={() => actions.discard(m)}>Discard</button>
            </div>
          )}
          {m.reactions.length > 0 && !m.isDeleted && (
            <div className={`mt-1 flex flex-wrap gap-1 ${own ? 'justify-end' : ''}`}>
              {m.reactions.map((r) => {
                const who = r.users.map((u) => actions.nameOf(u)).join(', ');
                return (
                  <button key={r.emoji} type="button" onClick={() => actions.react(m, r.emoji)} title={who} aria-label={`${r.emoji} ${r.count}: ${who}`}
                    className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs ring-1 ${r.users.includes(props.me) ? 'bg-accent-50 ring-accent-300 dark:bg-accent-600/25 dark:ring-accent-500' : 'bg-white ring-slate-200 hover:bg-slate-50 dark:bg-slate-900 dark:ring-slate-700'}`}
                    data-reaction={r.emoji}>
                    <span>{r.emoji}</span><span className="font-medium text-slate-600 dark:text-slate-300">{r.count}</span>
                  </button>
                );
              })}
            </div>
          )}
          {m.thread && m.thread.replyCount > 0 && !m.threadRootId && actions.openThread && (
            <ThreadSummaryButton message={m} nameOf={actions.nameOf} onOpen={() => actions.openThread!(m)} />
          )}
          {own && readBy && readBy.length > 0 && receipt && <span className="mt-0.5 text-[11px] text-slate-400" data-testid="read-by">Read by {readBy.join(', ')}</span>}
        </div>
        {!m.isDeleted && !m.pending && !m.failed && (
          <div className={`absolute -top-4 ${own ? 'right-2' : 'left-12'} z-20 hidden items-center gap-0.5 rounded-xl bg-white p-0.5 shadow-lg ring-1 ring-slate-200 group-hover:flex group-focus-within:flex dark:bg-slate-800 dark:ring-slate-700`}>
            <ActionButton icon="smile" label="React" onClick={() => setPicker((p) => (p ? false : 'quick'))} />
            <ActionButton icon="reply" label="Reply" onClick={() => actions.reply(m)} />
            {actions.openThread && !m.threadRootId && <ActionButton icon="chat" label="Reply in thread" onClick={() => actions.openThread!(m)} />}
            <ActionButton icon="link" label="Copy link" onClick={() => actions.copyLink(m)} />
            {own && <ActionButton icon="pencil" label="Edit" onClick={() => actions.edit(m)} />}
            {canDelete && <ActionButton icon="trash" label="Delete" onClick={() => setConfirmDelete(true)} />}
          </div>
        )}
        {picker === 'full' && (
          <EmojiPicker className={`absolute bottom-full mb-2 ${own ? 'right-2' : 'left-12'}`} label="Pick any reaction"
            onClose={() => setPicker(false)}
            onPick={(emoji) => {
              setPicker(false);
              actions.react(m, emoji);
            }} />
        )}
        {picker === 'quick' && (
          <div className={`absolute -top-12 z-30 flex gap-0.5 rounded-2xl bg-white p-1 shadow-xl ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700 ${own ? 'right-2' : 'left-12'}`} role="menu" aria-label="Pick a reaction"
            onKeyDown={(e) => e.key === 'Escape' && setPicker(false)}>
            {quickReactions().map((emoji) => (
              <button key={emoji} type="button" role="menuitem" className="rounded-lg px-1.5 py-1 text-lg hover:bg-slate-100 dark:hover:bg-slate-700" aria-label={`React ${emoji}`}
                onClick={() => {
                  setPicker(false);
                  rememberEmoji(emoji);
                  actions.react(m, emoji);
                }}>{emoji}</button>
            ))}
            <button type="button" role="menuitem" className="rounded-lg px-2 py-1 text-lg text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-700" aria-label="More reactions" title="Any emoji"
              onClick={() => setPicker('full')}>＋</button>
          </div>
        )}
        {confirmDelete && (
          <div className={`absolute -top-2 z-30 flex items-center gap-2 rounded-xl bg-white px-3 py-2 text-sm shadow-xl ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700 ${own ? 'right-2' : 'left-12'}`} role="alertdialog" aria-label="Delete this message?">
            <span>Delete this message?</span>
            <button type="button" className="rounded-lg bg-rose-600 px-2.5 py-1 text-xs font-semibold text-white" autoFocus onClick={() => { setConfirmDelete(false); actions.remove(m); }}>Delete</button>
            <button type="button" className="rounded-lg px-2 py-1 text-xs ring-1 ring-slate-200 dark:ring-slate-600" onClick={() => setConfirmDelete(false)}>Cancel</button>
          </div>
        )}
      </div>
    </div>
  );
});

function ActionButton({ icon, label, onClick }: { icon: string; label: string; onClick: () => void }) {
  return (
    <button type="button" onClick={onClick} className="rounded-lg p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-700 dark:hover:text-white" aria-label={label} title={label}>
      <Icon name={icon} className="h-4 w-4" />
    </button>
  );
}
