import { useEffect, useRef, useState } from 'react';
import { AuthImage } from '../../components/AuthImage';
import { Icon } from '../../components/Icon';
import type { Attachment } from '../../lib/types';

/** Full-size images of one message: arrows move between them, Escape or the backdrop closes. */
export function ImageViewer({ images, index, onClose }: { images: Attachment[]; index: number; onClose: () => void }) {
  const [i, setI] = useState(index);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
      if (e.key === 'ArrowRight') setI((x) => Math.min(images.length - 1, x + 1));
      if (e.key === 'ArrowLeft') setI((x) => Math.max(0, x - 1));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [images.length, onClose]);
  const image = images[i];
  return (
    <div className="fixed inset-0 z-50 flex flex-col bg-black/90" role="dialog" aria-modal="true" aria-label="Image viewer" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div className="flex items-center justify-between p-3 text-sm text-white/80">
        <span>{image.fileName ?? 'Image'} {images.length > 1 ? `(${i + 1} of ${images.length})` : ''}</span>
        <button ref={close} type="button" onClick={onClose} className="rounded-lg p-2 hover:bg-white/10" aria-label="Close viewer"><Icon name="x" /></button>
      </div>
      <div className="flex min-h-0 flex-1 items-center justify-center p-4" onClick={(e) => e.target === e.currentTarget && onClose()}>
        <AuthImage key={image.id} src={image.url} alt={image.fileName ?? 'Image'} className="max-h-full max-w-full rounded-lg object-contain shadow-2xl" data-testid="full-image" />
      </div>
      {images.length > 1 && (
        <div className="flex justify-center gap-2 p-3">
          {images.map((a, k) => (
            <button key={a.id} type="button" onClick={() => setI(k)} className={`h-12 w-12 overflow-hidden rounded-lg ring-2 ${k === i ? 'ring-white' : 'ring-transparent opacity-60'}`} aria-label={`Image ${k + 1}`}>
              <AuthImage src={a.thumbnailUrl ?? a.url} alt="" className="h-full w-full object-cover" />
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

