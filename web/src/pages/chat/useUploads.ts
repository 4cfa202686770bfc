// The images attached to the message being written: validated, uploaded at once with progress,
// removable (the server copy is deleted too) until the message is sent.
import { useState } from 'react';
import { MAX_IMAGES, validateImage, type Upload } from '../../components/Composer';
import * as chatApi from '../../lib/chatApi';
import { ApiError } from '../../lib/http';
import { newId } from '../../lib/ids';

export function useUploads(toast: (t: string, k?: 'info' | 'error') => void) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const patch = (key: string, p: Partial<Upload>) => setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...p } : u)));
  const add = (files: File[]) => {
    setUploads((current) => {
      const room = MAX_IMAGES - current.length;
      const accepted: Upload[] = [];
      for (const file of files) {
        const problem = validateImage(file);
        if (problem) {
          toast(problem, 'error');
          continue;
        }
        if (accepted.length >= room) {
          toast(`At most ${MAX_IMAGES} files per message`, 'error');
          break;
        }
        accepted.push({ key: newId(), file, preview: URL.createObjectURL(file), progress: 0, state: 'uploading' });
      }
      for (const u of accepted) {
        chatApi.uploadImage(u.file, (progress) => patch(u.key, { progress }))
          .then((attachment) => patch(u.key, { state: 'done', attachment, progress: 1 }))
          .catch((e) => patch(u.key, { state: 'error', error: e instanceof ApiError ? (e.details[0]?.message ?? e.message) : (e as Error).message }));
      }
      return [...current, ...accepted];
    });
  };
  const remove = (key: string) => setUploads((list) => {
    const u = list.find((x) => x.key === key);
    if (u) {
      URL.revokeObjectURL(u.preview);
      if (u.attachment) chatApi.deleteAttachment(u.attachment.id).catch(() => undefined);
    }
    return list.filter((x) => x.key !== key);
  });
  const clear = () => setUploads((list) => {
    list.forEach((u) => setTimeout(() => URL.revokeObjectURL(u.preview), 60_000));
    return [];
  });
  return { uploads, add, remove, clear };
}

