import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, refreshSession } from './http';
import { loadSession, saveSession } from './session';

const user = { id: 'u1', username: 'ann', displayName: 'Ann' };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(() => {
  localStorage.clear();
  saveSession({ accessToken: 'old-access', refreshToken: 'refresh-1', user });
});
afterEach(() => vi.unstubAllGlobals());

describe('REST client', () => {
  it('refreshes once for many requests that got 401, then retries each with the new token', async () => {
    let refreshes = 0;
    vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
      if (url === '/api/auth/refresh') {
        refreshes++;
        expect(JSON.parse(init.body as string)).toEqual({ refreshToken: 'refresh-1' });
        await new Promise((r) => setTimeout(r, 10));
        return json(200, { accessToken: 'new-access', refreshToken: 'refresh-2', user });
      }
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === 'Bearer new-access' ? json(200, { ok: url }) : json(401, { error: { code: 'UNAUTHORIZED', message: 'expired' } });
    }));
    const results = await Promise.all([api('/api/a'), api('/api/b'), api('/api/c')]);
    expect(results).toEqual([{ ok: '/api/a' }, { ok: '/api/b' }, { ok: '/api/c' }]);
    expect(refreshes).toBe(1);
    expect(loadSession()).toMatchObject({ accessToken: 'new-access', refreshToken: 'refresh-2' });
  });

  it('does not spend a refresh token another tab already rotated', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    saveSession({ accessToken: 'tab2-access', refreshToken: 'refresh-9', user });
    const session = await refreshSession('refresh-1');
    expect(session?.accessToken).toBe('tab2-access');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('signs out when the refresh token is refused', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(401, { error: { code: 'UNAUTHORIZED', message: 'revoked' } })));
    expect(await refreshSession('refresh-1')).toBeNull();
    expect(loadSession()).toBeNull();
  });

  it('turns the error format into ApiError with details and Retry-After', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Slow down', details: [{ field: 'x', message: 'y' }] } }), { status: 429, headers: { 'Retry-After': '7' } })));
    const error = await api('/api/x').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMIT_EXCEEDED', message: 'Slow down', retryAfter: 7, retryable: true });
    expect(error.details).toEqual([{ field: 'x', message: 'y' }]);
  });

  it('reports an unreachable server as a retryable network error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    }));
    await expect(api('/api/x')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR', retryable: true });
  });
});
