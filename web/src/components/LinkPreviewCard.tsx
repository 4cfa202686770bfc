import type { LinkPreview } from '../lib/types';

/**
 * The Open Graph preview the server fetched for a message's first link. Every field is plain text
 * rendered as text (React escapes it); the link opens with noopener noreferrer. The image is not
 * loaded from the third-party site (that would tell it who reads the chat): title and text only.
 */
export function LinkPreviewCard({ preview, own }: { preview: LinkPreview; own: boolean }) {
  let host = '';
  try {
    host = new URL(preview.url).host;
  } catch {
    return null;
  }
  if (!/^https?:$/.test(new URL(preview.url).protocol)) return null;
  return (
    <a href={preview.url} target="_blank" rel="noopener noreferrer" data-testid="link-preview"
      className={`mt-1.5 block max-w-sm rounded-lg border-l-4 px-2.5 py-1.5 text-left text-xs no-underline ${own ? 'border-white/70 bg-white/15 text-white' : 'border-accent-500 bg-slate-100 text-slate-800 dark:bg-slate-900/60 dark:text-slate-100'}`}>
      <span className="block opacity-75">{preview.siteName || host}</span>
      {preview.title && <span className="block font-semibold">{preview.title}</span>}
      {preview.description && <span className="line-clamp-2 block opacity-80">{preview.description}</span>}
    </a>
  );
}
