// Browser flows of the admin console (AdminConsoleIT): an administrator closes registration, invites
// a colleague who registers through the link, and deactivates another user.
// Env: CONFAB_ADMIN_USERNAME / CONFAB_ADMIN_PASSWORD name an administrator the test made.
import { join } from 'node:path';
import { PASSWORD, assert, call, eventually, registerUser, signIn, uniqueName } from './support.mjs';

const visible = (locator, timeout = 20_000) => locator.first().waitFor({ state: 'visible', timeout });

async function adminSession(baseUrl) {
  const body = await call(baseUrl, '/api/auth/login', { method: 'POST', body: { username: process.env.CONFAB_ADMIN_USERNAME, password: process.env.CONFAB_ADMIN_PASSWORD } });
  return { id: body.user.id, username: body.user.username, token: body.accessToken, session: { accessToken: body.accessToken, refreshToken: body.refreshToken, user: body.user } };
}

async function registrationFlow({ baseUrl, shots, newPage, log }) {
  const admin = await adminSession(baseUrl);
  const leaver = await registerUser(baseUrl, 'leaver');
  try {
    const page = await newPage();
    await signIn(page, baseUrl, admin, '/chats');
    await visible(page.locator('[aria-label="Administration"]'));
    await page.click('[aria-label="Administration"]');
    await page.waitForURL(/\/admin/);
    await page.click('role=tab[name="Registration"]');
    await visible(page.locator('input[name=registration]:checked')); // the current policy has loaded
    await page.click('input[name=registration][value=closed]');
    await eventually(async () => (await call(baseUrl, '/api/admin/settings', { token: admin.token })).registration === 'closed', { message: 'registration closed' });
    log('registration closed');

    const stranger = await newPage();
    await stranger.goto(`${baseUrl}/register`);
    await visible(stranger.locator('text=Registration is closed on this server'));
    await stranger.fill('[name=username]', uniqueName('stranger'));
    await stranger.fill('[name=password]', PASSWORD);
    await stranger.fill('[name=passwordConfirm]', PASSWORD);
    await stranger.click('button:has-text("Register")');
    await visible(stranger.locator('[role=alert]:has-text("Registration is closed")'));
    log('a stranger cannot register');

    await page.click('input[name=registration][value=invite]');
    await eventually(async () => (await call(baseUrl, '/api/admin/settings', { token: admin.token })).registration === 'invite', { message: 'invite only' });
    await page.click('button:has-text("Create invite")');
    const link = page.locator('[data-testid=copy-link]');
    await visible(link);
    const url = await link.inputValue();
    assert(url.includes('/register?invite='), `invite link ${url}`);
    await page.screenshot({ path: join(shots, 'admin-invites.png') });
    log('invite created');

    const colleague = await newPage();
    const colleagueName = uniqueName('colleague');
    await colleague.goto(url.replace(/^https?:\/\/[^/]+/, baseUrl));
    await visible(colleague.locator('text=You were invited'));
    await colleague.fill('[name=username]', colleagueName);
    await colleague.fill('[name=password]', PASSWORD);
    await colleague.fill('[name=passwordConfirm]', PASSWORD);
    await colleague.click('button:has-text("Register")');
    await colleague.waitForURL(/\/chats/);
    log('colleague registered through the invite');

    const victim = await newPage();
    await signIn(victim, baseUrl, leaver, '/chats');
    await visible(victim.locator(`text=@${leaver.username}`));

    await page.click('role=tab[name="Users"]');
    await page.fill('[aria-label="Search users"]', leaver.username);
    const row = page.locator(`tr[data-username="${leaver.username}"]`);
    await visible(row);
    await row.locator('button:has-text("Deactivate")').click();
    await visible(row.locator('[data-testid=user-status]:has-text("deactivated")'));
    await page.screenshot({ path: join(shots, 'admin-users.png') });
    log('leaver deactivated');

    // The leaver's open window is signed out at once, without a reload: the server closes its socket
    // with 4401 and the client's refresh is refused for a deactivated account.
    await victim.waitForURL(/\/login/, { timeout: 10_000 });
    log('leaver signed out');

    const audit = await call(baseUrl, `/api/admin/audit?action=user_deactivated&actor=${admin.id}`, { token: admin.token });
    assert(audit.data.some((e) => e.targetId === leaver.id), 'deactivation audited');
  } finally {
    await call(baseUrl, '/api/admin/settings', { token: admin.token, method: 'PUT', body: { registration: 'open' } }).catch(() => {});
  }
}

async function memberSeesNoConsole({ baseUrl, newPage }) {
  const member = await registerUser(baseUrl, 'member');
  const page = await newPage();
  await signIn(page, baseUrl, member, '/chats');
  await visible(page.locator(`text=@${member.username}`));
  assert(await page.locator('[aria-label="Administration"]').count() === 0, 'no admin link for members');
  await page.goto(`${baseUrl}/admin`);
  await page.waitForURL(/\/chats/);
}

export const flows = [
  ['admin: close registration, invite, deactivate', registrationFlow],
  ['admin: members see no console', memberSeesNoConsole],
];
