import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Drafts, draftsKey } from '../lib/drafts';
import { useAuth } from '../stores/auth';
import { plainText, previewText, toggleMarker } from '../lib/format';
import type { Attachment, Chat, Message } from '../lib/types';
import { editMessage, sendMessage, stoppedTyping, typing } from '../sync';
import { useUi } from '../stores/ui';
import { Bold, Icon, Italic } from './Icon';
import { EmojiButton, FormattingHelp, insertText, useShortcodeCompletion } from './ComposerExtras';
import { useMentionAutocomplete } from './MentionAutocomplete';

export const MAX_LENGTH = 10_000;
export const MAX_IMAGES = 5;
/** The server's default (MAX_FILE_MB); an administrator may lower it, and the server says so. */
const MAX_FILE_BYTES = 25 * 1024 * 1024;
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

export interface Upload {
  key: string;
  file: File;
  preview: string;
  progress: number;
  state: 'uploading' | 'done' | 'error';
  attachment?: Attachment;
  error?: string;
}


export function Composer({ chat, replyTo, editing, onCancel, uploads, onAddFiles, onRemoveUpload, onSent, lastOwnMessage, onEditLast }: {
  chat: Chat;
  replyTo: Message | null;
  editing: Message | null;
  onCancel: () => void;
  uploads: Upload[];
  onAddFiles: (files: File[]) => void;
  onRemoveUpload: (key: string) => void;
  onSent: () => void;
  lastOwnMessage: Message | null;
  onEditLast: (m: Message) => void;
}) {
  const me = useAuth((s) => s.user?.id ?? '');
  const drafts = useMemo(() => new Drafts(localStorage, draftsKey(me)), [me]);
  const [text, setText] = useState(() => drafts.get(chat.id));
  const area = useRef<HTMLTextAreaElement>(null);
  // Where the caret goes after a toolbar change, applied as soon as React has set the new value
  // (before the next key is handled, so fast typing after Ctrl+B lands inside the markers).
  const pendingSelection = useRef<{ start: number; end: number } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const toast = useUi((s) => s.toast);
  const uploading = uploads.some((u) => u.state === 'uploading');
  const ready = uploads.filter((u) => u.state === 'done' && u.attachment);

  useEffect(() => {
    setText(drafts.get(chat.id));
    area.current?.focus();
  }, [chat.id, drafts]);

  useEffect(() => {
    if (editing) {
      setText(plainText(editing.content));
      requestAnimationFrame(() => {
        const el = area.current;
        if (el) {
          el.focus();
          el.setSelectionRange(el.value.length, el.value.length);
        }
      });
    }
  }, [editing]);

  useEffect(() => {
    if (replyTo) area.current?.focus();
  }, [replyTo]);

  useEffect(() => {
    // Grow with the text up to about eight lines.
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 200)}px`;
  }, [text]);

  const update = (value: string) => {
    setText(value);
    if (!editing) drafts.set(chat.id, value);
    if (value.trim()) typing(chat.id);
  };

  const format = (marker: '**' | '*') => {
    const el = area.current;
    if (!el) return;
    const next = toggleMarker(el.value, el.selectionStart, el.selectionEnd, marker);
    pendingSelection.current = { start: next.start, end: next.end };
    update(next.value);
  };

  // Inserting (an emoji) puts the caret after the insertion, like typing would.
  const apply = (next: string, caret: number) => {
    pendingSelection.current = { start: caret, end: caret };
    update(next);
  };
  const shortcodes = useShortcodeCompletion(area, text, apply);
  const insertAtCaret = (insert: string) => {
    const el = area.current;
    const start = el?.selectionStart ?? text.length;
    insertText(el, text, start, el?.selectionEnd ?? start, insert, apply);
  };

  useLayoutEffect(() => {
    const selection = pendingSelection.current;
    const el = area.current;
    if (!selection || !el) return;
    pendingSelection.current = null;
    el.focus();
    el.setSelectionRange(selection.start, selection.end);
  }, [text]);

  const submit = async () => {
    const content = text.trim();
    if (editing) {
      if (!content) return;
      try {
        await editMessage(editing, content);
        setText('');
        onCancel();
      } catch (e) {
        toast((e as Error).message, 'error');
      }
      return;
    }
    if (uploading) return;
    if (!content && ready.length === 0) return;
    if (content.length > MAX_LENGTH) {
      toast(`Messages can be at most ${MAX_LENGTH.toLocaleString()} characters`, 'error');
      return;
    }
    sendMessage(chat.id, content, { replyToId: replyTo?.id ?? null, attachments: ready.map((u) => u.attachment!) });
    setText('');
    drafts.delete(chat.id);
    stoppedTyping(chat.id);
    onSent();
  };

  const mention = useMentionAutocomplete(chat, me, area, text, update);
  const onKeyDown = (e: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (shortcodes.onKeyDown(e)) return;
    if (mention.onKeyDown(e)) return;
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'b') {
      e.preventDefault();
      format('**');
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'i') {
      e.preventDefault();
      format('*');
    } else if (e.key === 'Escape' && (replyTo || editing)) {
      e.preventDefault();
      if (editing) setText(drafts.get(chat.id));
      onCancel();
    } else if (e.key === 'ArrowUp' && !text && lastOwnMessage && !editing) {
      e.preventDefault();
      onEditLast(lastOwnMessage);
    }
  };

  const onPaste = (e: React.ClipboardEvent) => {
    const files = [...e.clipboardData.files];
    if (files.length) {
      e.preventDefault();
      onAddFiles(files);
    }
  };

  const tooLong = text.length > MAX_LENGTH;
  const canSend = editing ? !!text.trim() && !tooLong : (!!text.trim() || ready.length > 0) && !uploading && !tooLong;

  return (
    <div className="relative border-t border-slate-200 bg-white px-3 pb-3 pt-2 sm:px-6 dark:border-slate-800 dark:bg-slate-950">
      {mention.popup}
      {(replyTo || editing) && (
        <div className="mb-2 flex items-center gap-3 rounded-xl bg-slate-100 px-3 py-2 text-sm dark:bg-slate-900">
          <Icon name={editing ? 'pencil' : 'reply'} className="h-4 w-4 shrink-0 text-accent-600" />
          <div className="min-w-0 flex-1">
            <div className="text-xs font-semibold text-accent-700 dark:text-accent-200">{editing ? 'Editing message' : `Replying to ${replyTo!.senderName}`}</div>
            <div className="truncate text-xs text-slate-600 dark:text-slate-400">{previewText((editing ?? replyTo)!.content, 140) || 'Image'}</div>
          </div>
          <button type="button" onClick={onCancel} className="rounded-lg p-1 text-slate-500 hover:bg-slate-200 dark:hover:bg-slate-800" aria-label={editing ? 'Cancel edit' : 'Cancel reply'}>
            <Icon name="x" className="h-4 w-4" />
          </button>
        </div>
      )}
      {uploads.length > 0 && (
        <ul className="mb-2 flex gap-2 overflow-x-auto pb-1" aria-label="Files to send">
          {uploads.map((u) => (
            <li key={u.key} className="relative h-20 w-20 shrink-0 overflow-hidden rounded-xl bg-slate-100 ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700" data-upload-state={u.state}>
              {IMAGE_TYPES.includes(u.file.type)
                ? <img src={u.preview} alt={u.file.name} className="h-full w-full object-cover" />
                : <span className="flex h-full w-full flex-col items-center justify-center gap-1 p-1 text-center text-[10px] font-medium text-slate-600 dark:text-slate-300"><Icon name="paperclip" className="h-5 w-5" /><span className="line-clamp-2 break-all">{u.file.name}</span></span>}
              {u.state === 'uploading' && (
                <div className="absolute inset-x-1.5 bottom-1.5 h-1.5 overflow-hidden rounded-full bg-black/30" role="progressbar" aria-valuenow={Math.round(u.progress * 100)} aria-valuemin={0} aria-valuemax={100} aria-label={`Uploading ${u.file.name}`}>
                  <div className="h-full rounded-full bg-white transition-[width]" style={{ width: `${Math.max(5, u.progress * 100)}%` }} />
                </div>
              )}
              {u.state === 'error' && <div className="absolute inset-0 flex items-center justify-center bg-rose-600/80 p-1 text-center text-[10px] font-medium text-white" title={u.error}>{u.error ?? 'Failed'}</div>}
              <button type="button" onClick={() => onRemoveUpload(u.key)} className="absolute right-1 top-1 rounded-full bg-black/60 p-0.5 text-white hover:bg-black/80" aria-label={`Remove ${u.file.name}`}>
                <Icon name="x" className="h-3.5 w-3.5" />
              </button>
            </li>
          ))}
        </ul>
      )}
      {shortcodes.popup}
      <div className="flex items-end gap-2 rounded-2xl bg-slate-100 px-2 py-1.5 ring-accent-500 focus-within:ring-2 dark:bg-slate-900">
        <div className="flex items-center pb-0.5">
          <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => format('**')} className="rounded-lg px-2 py-1 text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800" aria-label="Bold (Ctrl+B)" title="Bold (Ctrl+B)"><Bold /></button>
          <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => format('*')} className="rounded-lg px-2 py-1 text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800" aria-label="Italic (Ctrl+I)" title="Italic (Ctrl+I)"><Italic /></button>
          <button type="button" onClick={() => fileInput.current?.click()} disabled={!!editing || uploads.length >= MAX_IMAGES} className="rounded-lg p-1.5 text-slate-600 hover:bg-slate-200 disabled:opacity-40 dark:text-slate-300 dark:hover:bg-slate-800" aria-label="Attach files" title="Attach images or files (or paste, or drop)">
            <Icon name="paperclip" />
          </button>
          <EmojiButton onPick={insertAtCaret} />
          <FormattingHelp />
          <input ref={fileInput} type="file" multiple className="hidden" data-testid="image-input"
            onChange={(e) => {
              onAddFiles([...(e.target.files ?? [])]);
              e.target.value = '';
            }} />
        </div>
        <textarea
          ref={area}
          rows={1}
          value={text}
          onChange={(e) => update(e.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => stoppedTyping(chat.id)}
          placeholder="Type a message"
          aria-label="Message"
          className="max-h-[200px] min-h-[36px] flex-1 resize-none bg-transparent px-1 py-1.5 text-[15px] outline-none focus-visible:outline-none placeholder:text-slate-400"
        />
        <button type="button" onClick={() => void submit()} disabled={!canSend}
          className="mb-0.5 inline-flex items-center gap-1.5 rounded-xl bg-accent-600 px-3.5 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-accent-700 disabled:opacity-40">
          <Icon name="send" className="h-4 w-4" /> {editing ? 'Save' : uploading ? 'Uploading…' : 'Send'}
        </button>
      </div>
      <div className="mt-1 flex justify-between px-2 text-[11px] text-slate-400">
        <span className="hidden sm:inline">**bold** · *italic* · `code` · :emoji: · Enter to send · Shift+Enter for a new line</span>
        {text.length > MAX_LENGTH * 0.9 && <span className={tooLong ? 'font-semibold text-rose-600' : ''}>{text.length.toLocaleString()} / {MAX_LENGTH.toLocaleString()}</span>}
      </div>
    </div>
  );
}

export function validateImage(file: File): string | null {
  if (file.size === 0) return `${file.name} is empty`;
  if (file.size > MAX_FILE_BYTES) return `${file.name} is larger than 25 MB`;
  return null;
}
