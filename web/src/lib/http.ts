// REST client: JSON in and out, bearer token, quiet token refresh, the error format of seed §6.3.

import { expiresSoon, loadSession, saveSession, withRefreshLock, type Session } from './session';
import { normalizeUser } from './normalize';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field?: string; message: string }[] = [],
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }

  /** Worth trying again later: the network, a timeout, rate limiting or a server fault. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

let refreshing: Promise<Session | null> | null = null;

/** Swaps the refresh token for new tokens once, across tabs. Returns null when signed out. */
export function refreshSession(staleRefreshToken: string): Promise<Session | null> {
  if (!refreshing) {
    refreshing = withRefreshLock(async () => {
      const current = loadSession();
      if (!current) return null;
      if (current.refreshToken !== staleRefreshToken) return current; // another tab refreshed
      let response: Response;
      try {
        response = await fetch('/api/auth/refresh', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ refreshToken: current.refreshToken }),
        });
      } catch {
        throw new ApiError(0, 'NETWORK_ERROR', 'Cannot reach the server');
      }
      if (response.status === 401 || response.status === 403) {
        saveSession(null);
        return null;
      }
      if (!response.ok) throw await toError(response);
      const body = await response.json();
      const next: Session = {
        accessToken: body.accessToken,
        refreshToken: body.refreshToken ?? current.refreshToken,
        user: body.user ? normalizeUser(body.user) : current.user,
      };
      saveSession(next);
      return next;
    }).finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/** A valid access token, refreshed first when it is about to expire; null when signed out. */
export async function accessToken(): Promise<string | null> {
  const session = loadSession();
  if (!session) return null;
  if (expiresSoon(session.accessToken)) {
    try {
      const next = await refreshSession(session.refreshToken);
      return next?.accessToken ?? null;
    } catch {
      return session.accessToken;
    }
  }
  return session.accessToken;
}

export async function toError(response: Response): Promise<ApiError> {
  let body: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    body = await response.json();
  } catch {
    // not JSON
  }
  const error = body?.error ?? {};
  const retryAfterHeader = response.headers.get('Retry-After');
  return new ApiError(
    response.status,
    error.code ?? `HTTP_${response.status}`,
    error.message ?? response.statusText ?? 'Request failed',
    Array.isArray(error.details) ? error.details : [],
    retryAfterHeader ? Number(retryAfterHeader) : null,
  );
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  auth?: boolean;
}

export async function api<T = any>(path: string, options: RequestOptions = {}): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { method = 'GET', body, signal, auth = true } = options;
  const send = async (token: string | null) => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth && token) headers.Authorization = `Bearer ${token}`;
    try {
      return await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, 'NETWORK_ERROR', 'Cannot reach the server');
    }
  };
  let token = auth ? await accessToken() : null;
  let response = await send(token);
  if (response.status === 401 && auth && token) {
    const session = loadSession();
    if (session) {
      const next = await refreshSession(session.refreshToken);
      token = next?.accessToken ?? null;
      if (token) response = await send(token);
    }
  }
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Multipart upload with progress (fetch has no upload progress), retried once after a refresh. */
export async function upload<T = any>(path: string, form: FormData, onProgress?: (fraction: number) => void, method: 'POST' | 'PUT' = 'POST'): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const attempt = (token: string | null) => new Promise<{ status: number; text: string; retryAfter: string | null }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText, retryAfter: xhr.getResponseHeader('Retry-After') });
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', 'Upload failed: cannot reach the server'));
    xhr.send(form);
  });
  let token = await accessToken();
  let result = await attempt(token);
  if (result.status === 401 && token) {
    const session = loadSession();
    const next = session ? await refreshSession(session.refreshToken) : null;
    token = next?.accessToken ?? null;
    if (token) result = await attempt(token);
  }
  if (result.status < 200 || result.status >= 300) {
    const response = new Response(result.text || null, { status: result.status, headers: result.retryAfter ? { 'Retry-After': result.retryAfter } : {} });
    throw await toError(response);
  }
  return (result.text ? JSON.parse(result.text) : undefined) as T;
}
