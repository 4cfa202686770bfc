// Browser flow of single sign-on (SsoBrowserIT): the sign-in page's "Sign in with …" button goes
// through the test OpenID Connect provider and back, signed in. Env: CONFAB_SSO_USERNAME is the
// username the provider will report.
const visible = (locator, timeout = 20_000) => locator.first().waitFor({ state: 'visible', timeout });

async function ssoFlow({ baseUrl, newPage, log }) {
  const page = await newPage();
  await page.goto(`${baseUrl}/login`);
  await visible(page.locator('text=Sign in with Corp ID'));
  await page.click('text=Sign in with Corp ID');
  await page.waitForURL(/\/chats/, { timeout: 20_000 });
  await visible(page.locator(`text=@${process.env.CONFAB_SSO_USERNAME}`));
  log('signed in through the provider');
}

export const flows = [['sso: sign in with the identity provider', ssoFlow]];
