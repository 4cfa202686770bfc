// Helpers for the browser flows: real HTTP calls to the server (setting up users, contacts and
// chats quickly) and small waiting utilities.
import { randomBytes } from 'node:crypto';

export const PASSWORD = 'Test123!';

export function uniqueName(prefix) {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export async function call(baseUrl, path, { token, method = 'GET', body } = {}) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text}`);
  return json;
}

/** A registered user: { id, username, token, session } (session is what the client stores). */
export async function registerUser(baseUrl, prefix) {
  const username = uniqueName(prefix);
  const body = await call(baseUrl, '/api/auth/register', { method: 'POST', body: { username, password: PASSWORD, passwordConfirm: PASSWORD } });
  return { id: body.user.id, username, token: body.accessToken, session: { accessToken: body.accessToken, refreshToken: body.refreshToken, user: body.user } };
}

export async function makeContacts(baseUrl, a, b) {
  await call(baseUrl, '/api/contacts', { token: a.token, method: 'POST', body: { username: b.username } });
  await call(baseUrl, `/api/contacts/${a.id}/accept`, { token: b.token, method: 'PUT' });
}

export async function directChat(baseUrl, a, b) {
  const body = await call(baseUrl, '/api/chats/direct', { token: a.token, method: 'POST', body: { userId: b.id } });
  return body.chat ?? body;
}

export async function sendRest(baseUrl, user, chatId, content) {
  const body = await call(baseUrl, `/api/chats/${chatId}/messages`, { token: user.token, method: 'POST', body: { content } });
  return body.message ?? body;
}

/** Opens the app signed in as the user (the session goes where the client keeps it). */
export async function signIn(page, baseUrl, user, path = '/chats') {
  await page.goto(`${baseUrl}/login`);
  await page.evaluate((session) => localStorage.setItem('confab.session', JSON.stringify(session)), user.session);
  await page.goto(baseUrl + path);
}

export async function eventually(check, { timeout = 20_000, interval = 250, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let lastError;
  while (Date.now() < end) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`Timed out waiting for ${message}${lastError ? `: ${lastError.message}` : ''}`);
}

export function assert(condition, message) {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}

/** A small PNG made by the browser's canvas (a real image the server must decode). */
export async function makePng(page, width = 640, height = 400) {
  const dataUrl = await page.evaluate(([w, h]) => {
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const g = canvas.getContext('2d');
    const gradient = g.createLinearGradient(0, 0, w, h);
    gradient.addColorStop(0, '#6366f1');
    gradient.addColorStop(1, '#06b6d4');
    g.fillStyle = gradient;
    g.fillRect(0, 0, w, h);
    g.fillStyle = '#ffffff';
    g.font = 'bold 56px sans-serif';
    g.fillText('Confab', 40, h / 2);
    return canvas.toDataURL('image/png');
  }, [width, height]);
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}
