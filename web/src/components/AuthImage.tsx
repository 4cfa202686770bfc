import { useEffect, useState, type ImgHTMLAttributes } from 'react';
import { accessToken } from '../lib/http';

// Attachment URLs under /api need the bearer token, which an <img> cannot send: such images are
// fetched with the token and shown from a blob: URL (cached per URL for the page's life).
// Signed URLs and blob:/data: URLs are used as they are.

const cache = new Map<string, Promise<string>>();

function needsToken(src: string): boolean {
  return src.startsWith('/api/') && !src.includes('/signed/');
}

function load(src: string): Promise<string> {
  let p = cache.get(src);
  // (an expired signed link is served again for a request that carries the token)
  if (!p) {
    p = (async () => {
      const token = await accessToken();
      const response = await fetch(src, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      if (!response.ok) throw new Error(`Image ${response.status}`);
      return URL.createObjectURL(await response.blob());
    })();
    p.catch(() => cache.delete(src));
    cache.set(src, p);
  }
  return p;
}

export function AuthImage({ src, ...rest }: { src: string } & Omit<ImgHTMLAttributes<HTMLImageElement>, 'src'>) {
  const direct = !needsToken(src);
  const [url, setUrl] = useState<string | null>(direct ? src : null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (direct) {
      setUrl(src);
      return;
    }
    let alive = true;
    setFailed(false);
    load(src).then((u) => alive && setUrl(u), () => alive && setFailed(true));
    return () => {
      alive = false;
    };
  }, [src, direct]);
  if (failed) return <span className={`${rest.className ?? ''} inline-flex items-center justify-center bg-slate-200 text-xs text-slate-500 dark:bg-slate-800`}>Image unavailable</span>;
  if (!url) return <span className={`${rest.className ?? ''} inline-block animate-pulse bg-slate-200 dark:bg-slate-800`} style={rest.style} />;
  const retryWithToken = () => {
    if (!direct || url !== src || src.startsWith('blob:') || src.startsWith('data:')) {
      setFailed(true);
      return;
    }
    load(src).then(setUrl, () => setFailed(true));
  };
  return <img src={url} {...rest} onError={retryWithToken} />;
}
