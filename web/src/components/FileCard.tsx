import { useState } from 'react';
import { accessToken } from '../lib/http';
import type { Attachment } from '../lib/types';
import { Icon } from './Icon';

/** "2.4 MB", "830 KB", "12 B". */
export function formatSize(bytes: number | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** A short type label and a colour for the card's icon, from the name and the served type. */
export function fileBadge(name: string | undefined, type: string | undefined): { label: string; tone: string } {
  const ext = (name?.includes('.') ? name.split('.').pop()! : '').toLowerCase();
  const t = (type ?? '').toLowerCase();
  if (t === 'application/pdf' || ext === 'pdf') return { label: 'PDF', tone: 'bg-rose-600' };
  if (/zip|compressed|tar|gzip|rar|7z|bzip|xz/.test(t) || ['zip', 'gz', 'tgz', 'rar', '7z', 'tar', 'xz', 'bz2'].includes(ext)) return { label: ext.toUpperCase() || 'ZIP', tone: 'bg-amber-600' };
  if (/wordprocessing|msword|opendocument\.text/.test(t) || ['doc', 'docx', 'odt', 'rtf'].includes(ext)) return { label: 'DOC', tone: 'bg-blue-600' };
  if (/spreadsheet|ms-excel|csv/.test(t) || ['xls', 'xlsx', 'ods', 'csv'].includes(ext)) return { label: 'XLS', tone: 'bg-emerald-600' };
  if (/presentation|powerpoint/.test(t) || ['ppt', 'pptx', 'odp', 'key'].includes(ext)) return { label: 'PPT', tone: 'bg-orange-600' };
  if (t.startsWith('audio/')) return { label: 'AUDIO', tone: 'bg-purple-600' };
  if (t.startsWith('video/')) return { label: 'VIDEO', tone: 'bg-fuchsia-600' };
  if (t.startsWith('text/') || ['txt', 'md', 'log'].includes(ext)) return { label: 'TXT', tone: 'bg-slate-600' };
  return { label: ext ? ext.slice(0, 4).toUpperCase() : 'FILE', tone: 'bg-slate-500' };
}

/**
 * Downloads with the reader's token (the token route checks their current membership and never
 * expires, unlike the signed link), saving under the file's own name.
 */
async function download(file: Attachment) {
  const token = await accessToken();
  const response = await fetch(`/api/attachments/${file.id}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`Download failed (${response.status})`);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName ?? 'file';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

function FileCard({ file, own }: { file: Attachment; own: boolean }) {
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const badge = fileBadge(file.fileName, file.fileType);
  return (
    <button type="button" data-testid="file-card" data-file-name={file.fileName}
      onClick={() => {
        setState('busy');
        download(file).then(() => setState('idle'), () => setState('failed'));
      }}
      className={`flex w-64 max-w-full items-center gap-3 rounded-xl px-3 py-2 text-left ring-1 ${own ? 'bg-white/15 ring-white/30 hover:bg-white/25' : 'bg-slate-50 ring-slate-200 hover:bg-slate-100 dark:bg-slate-900/60 dark:ring-slate-700'}`}
      aria-label={`Download ${file.fileName ?? 'file'}, ${formatSize(file.sizeBytes)}`} title={`Download ${file.fileName ?? ''}`}>
      <span className={`flex h-10 w-9 shrink-0 items-center justify-center rounded-md text-[10px] font-bold tracking-wide text-white ${badge.tone}`} aria-hidden="true">{badge.label}</span>
      <span className="min-w-0 flex-1">
        <span className="block truncate text-sm font-medium">{file.fileName ?? 'File'}</span>
        <span className={`block text-xs ${own ? 'text-white/75' : 'text-slate-500 dark:text-slate-400'}`}>
          {state === 'failed' ? 'Download failed — try again' : state === 'busy' ? 'Downloading…' : `${formatSize(file.sizeBytes)} · ${badge.label}`}
        </span>
      </span>
      <Icon name="arrowDown" className="h-4 w-4 shrink-0 opacity-70" />
    </button>
  );
}

/** The non-image files of a message, each a card with name, size and type that downloads it. */
export function FileCards({ files, own }: { files: Attachment[]; own: boolean }) {
  return (
    <div className="mt-1 flex flex-col gap-1">
      {files.map((f) => <FileCard key={f.id} file={f} own={own} />)}
    </div>
  );
}
