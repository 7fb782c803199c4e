/**
 * The reference app in a real browser: Debian's Chromium driven by playwright-core, the
 * app in its own process on a free port with a fresh data folder, in store mode (SQLite)
 * and in cookie mode. Every flow runs against each build of the app in {@link APPS}:
 * examples/app (Express, `npm start`) and examples/nest (NestJS, `npm run example:nest`),
 * which serve the same pages under the same rules, so none of the flows is specific to
 * one of them. The reference app's pages are screenshotted into `screenshots/` (ignored
 * by git; docs/img holds the published ones); the Nest app's would be the same pictures.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { type AppProcess, REFERENCE_APP, startAppProcess } from '../support/app-process.js';
import { launchChromium, probeChromium } from '../support/chromium.js';

const SCREENSHOTS = fileURLToPath(new URL('../../screenshots/', import.meta.url));
const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const PASSWORD = 'correct horse battery staple';
const DAY = 24 * 60 * 60 * 1000;

const skip = probeChromium();

/** How to start each build of the app: its entry point, and whether to screenshot it. */
const APPS = [
  { label: 'reference app', script: REFERENCE_APP, screenshots: true },
  { label: 'NestJS app', script: 'examples/nest/server.ts', screenshots: false },
] as const;

for (const { label, script, screenshots } of APPS) {
  for (const mode of ['sqlite', 'cookie'] as const) {
    describe(`${label} in Chromium (${mode} mode)`, { timeout: 180_000, skip }, () => {
      let app: AppProcess;
      let browser: Browser;
      let attacker: Server;
      let attackerUrl: string;
      let dataDir: string;
      let people = 0;
      const contexts: BrowserContext[] = [];

      const newEmail = () => `person-${++people}.${mode}@example.com`;
      const at = (path: string) => `${app.url}${path}`;

      async function newPage(options: { userAgent?: string } = {}): Promise<Page> {
        const context = await browser.newContext({
          viewport: { width: 960, height: 760 },
          ...options,
        });
        contexts.push(context);
        return context.newPage();
      }
      async function shot(page: Page, name: string): Promise<void> {
        if (!screenshots) return;
        await page.screenshot({ path: join(SCREENSHOTS, `${mode}-${name}.png`), fullPage: true });
      }
      /** Clicks `button` and returns the response of the form post it sends. */
      async function submit(page: Page, button: string): Promise<Response> {
        const [response] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST'),
          page.getByRole('button', { name: button, exact: true }).click(),
        ]);
        await page.waitForLoadState();
        return response;
      }
      async function signUp(page: Page, email: string, password = PASSWORD): Promise<Response> {
        await page.goto(at('/sign-up'));
        await page.getByLabel('Email address').fill(email);
        await page.getByLabel('Password').fill(password);
        return submit(page, 'Create account');
      }
      async function signIn(page: Page, email: string, password: string): Promise<Response> {
        if (!new URL(page.url()).pathname.startsWith('/sign-in')) await page.goto(at('/sign-in'));
        await page.getByLabel('Email address').fill(email);
        await page.getByLabel('Password').fill(password);
        return submit(page, 'Sign in');
      }
      const path = (page: Page) => {
        const url = new URL(page.url());
        return `${url.pathname}${url.search}`;
      };
      const alert = (page: Page) => page.getByRole('alert').first().innerText();
      const me = (page: Page) =>
        page.evaluate(
          async () => (await (await fetch('/api/me')).json()) as { user: { email: string } | null },
        );

      before(async () => {
        mkdirSync(SCREENSHOTS, { recursive: true });
        dataDir = mkdtempSync(join(tmpdir(), `tessera-app-${mode}-`));
        app = await startAppProcess({ TESSERA_DATA_DIR: dataDir, SESSION_MODE: mode }, script);
        browser = await launchChromium();
        // Another site: 127.0.0.1 is not the same site as localhost.
        attacker = createServer((req, res) => {
          const target = new URL(req.url ?? '/', 'http://x').searchParams.get('target') ?? '/';
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(`<!doctype html><title>Another site</title>
<form id="f" method="post" action="${app.url}${target}">
<input name="email" value="mallory@example.com"><input name="password" value="${PASSWORD}">
</form><script>document.getElementById('f').submit()</script>`);
        });
        attacker.listen(0, '127.0.0.1');
        await once(attacker, 'listening');
        attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
      });
      after(async () => {
        for (const context of contexts) await context.close().catch(() => {});
        await browser?.close();
        if (attacker !== undefined) {
          attacker.closeAllConnections();
          attacker.close();
        }
        const code = await app?.stop();
        assert.equal(code, 0, `the app shut down cleanly:\n${app?.output()}`);
        rmSync(dataDir, { recursive: true, force: true });
      });

      it('signs up to the account page, with cookies HttpOnly, SameSite=Lax, Path=/ for the session lifetime', async () => {
        const page = await newPage();
        await page.goto(at('/'));
        await shot(page, 'home');
        await page.getByRole('link', { name: 'Create an account' }).click();
        assert.equal(path(page), '/sign-up');
        await shot(page, 'sign-up');
        const email = newEmail();
        const response = await signUp(page, email);
        assert.equal(response.status(), 303);
        assert.equal(path(page), '/account');
        assert.equal(await page.locator('#account-email').innerText(), email);
        assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Your account');

        const cookies = await page.context().cookies(app.url);
        assert.ok(cookies.length > 0, 'the browser holds a session cookie');
        const created = Date.parse(
          (await page.locator('#session-created time').getAttribute('datetime'))!,
        );
        const ends = Date.parse(
          (await page.locator('#session-absolute time').getAttribute('datetime'))!,
        );
        assert.equal(ends - created, 30 * DAY, 'the page shows the 30-day absolute lifetime');
        for (const cookie of cookies) {
          assert.equal(cookie.httpOnly, true, `${cookie.name} is HttpOnly`);
          assert.equal(cookie.sameSite, 'Lax', `${cookie.name} is SameSite=Lax`);
          assert.equal(cookie.path, '/', `${cookie.name} has Path=/`);
          // Max-Age is the remaining absolute lifetime, in whole seconds.
          assert.ok(
            Math.abs(cookie.expires * 1000 - ends) < 5000,
            `${cookie.name} expires with the session (${cookie.expires * 1000} vs ${ends})`,
          );
        }
      });

      it('signs out to the home page', async () => {
        const page = await newPage();
        await signUp(page, newEmail());
        assert.equal(path(page), '/account');
        await submit(page, 'Sign out');
        assert.equal(path(page), '/');
        await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
        assert.equal((await me(page)).user, null);
        await page.goto(at('/account'));
        assert.equal(path(page), '/sign-in?returnTo=%2Faccount');
      });

      it('says why a sign-up is refused: email taken, too short, common', async () => {
        const page = await newPage();
        const email = newEmail();
        await signUp(page, email);
        await submit(page, 'Sign out');

        let response = await signUp(page, email);
        assert.equal(response.status(), 409);
        assert.match(await alert(page), /already exists/);
        assert.equal(await page.getByLabel('Email address').getAttribute('aria-invalid'), 'true');
        assert.equal(
          await page.getByLabel('Email address').inputValue(),
          email,
          'the email is kept',
        );
        await shot(page, 'sign-up-error');

        response = await signUp(page, newEmail(), 'short');
        assert.equal(response.status(), 400);
        assert.match(await alert(page), /at least 10 characters/);
        assert.equal(await page.getByLabel('Password').getAttribute('aria-invalid'), 'true');
        assert.equal(
          await page.getByLabel('Password').inputValue(),
          '',
          'the password is not echoed',
        );

        response = await signUp(page, newEmail(), 'qwertyuiop');
        assert.equal(response.status(), 400);
        assert.match(await alert(page), /most common/);
        assert.equal((await me(page)).user, null);
      });

      it('refuses a wrong password with a message, then signs in with the right one', async () => {
        const page = await newPage();
        const email = newEmail();
        await signUp(page, email);
        await submit(page, 'Sign out');
        await page.goto(at('/sign-in'));
        await shot(page, 'sign-in');
        const wrong = await signIn(page, email, 'not the password at all');
        assert.equal(wrong.status(), 401);
        assert.equal(await alert(page), 'The email address or the password is not correct.');
        await shot(page, 'sign-in-error');
        const right = await signIn(page, email, PASSWORD);
        assert.equal(right.status(), 303);
        assert.equal(path(page), '/account');
      });

      it('throttles repeated failures and says how long to wait', async () => {
        const page = await newPage();
        const email = newEmail();
        await signUp(page, email);
        await submit(page, 'Sign out');
        let throttled: Response | undefined;
        // Five failures are free, then the wait doubles from one second: within a few
        // attempts one arrives inside its wait, however slow the machine.
        for (let attempt = 0; attempt < 12 && throttled === undefined; attempt++) {
          const response = await signIn(page, email, 'wrong password, again');
          if (response.status() === 429) throttled = response;
          else assert.equal(response.status(), 401);
        }
        assert.ok(throttled, 'a sign-in was throttled');
        assert.match((await throttled.allHeaders())['retry-after'] ?? '', /^\d+$/);
        assert.match(
          await alert(page),
          /^Too many attempts\. Try again in \d+ (second|minute)s?\.$/,
        );
      });

      it('sends a stranger from a protected page to sign in and back to it', async () => {
        const page = await newPage();
        const email = newEmail();
        await signUp(page, email);
        await submit(page, 'Sign out');
        await page.goto(at('/members'));
        assert.equal(path(page), '/sign-in?returnTo=%2Fmembers');
        await signIn(page, email, PASSWORD);
        assert.equal(path(page), '/members');
        assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Members only');
        await shot(page, 'members');
      });

      it('lists both devices; one revokes the other, which is signed out on its next request', async () => {
        const laptop = await newPage();
        const phone = await newPage({ userAgent: FIREFOX_UA });
        const email = newEmail();
        await signUp(laptop, email);
        await signIn(phone, email, PASSWORD);
        assert.equal(path(phone), '/account');

        await laptop.reload();
        const rows = laptop.locator('ul.sessions li');
        assert.equal(await rows.count(), 2);
        const other = laptop.locator('ul.sessions li[data-current="false"]');
        assert.match(await other.innerText(), /Firefox on Linux/);
        assert.match(await other.innerText(), /\d+\.\d+\.\d+\.\d+|::1/, 'the address is shown');
        assert.match(
          await laptop.locator('ul.sessions li[data-current="true"]').innerText(),
          /Chrome \(headless\) on Linux[\s\S]*this session/,
        );
        await shot(laptop, 'account');

        await Promise.all([
          laptop.waitForResponse((r) => r.request().method() === 'POST'),
          other.getByRole('button', { name: /Revoke/ }).click(),
        ]);
        await laptop.waitForLoadState();
        assert.equal(path(laptop), '/account?notice=revoked');
        assert.equal(await rows.count(), 1);

        await phone.reload();
        assert.equal(
          path(phone),
          '/sign-in?returnTo=%2Faccount',
          'the revoked device is signed out',
        );
        assert.equal((await me(phone)).user, null);
        await laptop.reload();
        assert.equal(path(laptop), '/account?notice=revoked', 'the revoking device stays');
      });

      it('signs the other device out everywhere else', async () => {
        const laptop = await newPage();
        const phone = await newPage({ userAgent: FIREFOX_UA });
        const email = newEmail();
        await signUp(laptop, email);
        await signIn(phone, email, PASSWORD);
        await laptop.reload();
        await submit(laptop, 'Sign out everywhere else');
        assert.equal(path(laptop), '/account?notice=others');
        await phone.goto(at('/members'));
        assert.equal(path(phone), '/sign-in?returnTo=%2Fmembers');
        assert.equal((await me(laptop)).user?.email, email);
      });

      it('changing the password signs the other device out; the old password stops working', async () => {
        const laptop = await newPage();
        const phone = await newPage({ userAgent: FIREFOX_UA });
        const email = newEmail();
        const newPassword = 'tangerine orbit quietly';
        await signUp(laptop, email);
        await signIn(phone, email, PASSWORD);

        await laptop.reload();
        await laptop.getByLabel('Current password').fill('a wrong current password');
        await laptop.getByLabel('New password').fill(newPassword);
        const refused = await submit(laptop, 'Change password');
        assert.equal(refused.status(), 401);
        assert.equal(await alert(laptop), 'Your current password is not correct.');

        await laptop.getByLabel('Current password').fill(PASSWORD);
        await laptop.getByLabel('New password').fill(newPassword);
        const changed = await submit(laptop, 'Change password');
        assert.equal(changed.status(), 303);
        assert.equal(path(laptop), '/account?notice=password');
        assert.match(await laptop.getByRole('status').innerText(), /password was changed/);

        await phone.goto(at('/account'));
        assert.equal(path(phone), '/sign-in?returnTo=%2Faccount');
        assert.equal((await signIn(phone, email, PASSWORD)).status(), 401);
        assert.equal((await signIn(phone, email, newPassword)).status(), 303);
        assert.equal(path(phone), '/account');
        assert.equal((await me(laptop)).user?.email, email, 'the device that changed it stays');
      });

      it('refuses cross-site form posts: a forged sign-in and a forged sign-out', async () => {
        const page = await newPage();
        const [forged] = await Promise.all([
          page.waitForResponse(
            (r) => r.url() === at('/sign-in') && r.request().method() === 'POST',
          ),
          page.goto(`${attackerUrl}/?target=/sign-in`),
        ]);
        assert.equal(forged.status(), 403);
        await page.waitForURL(at('/sign-in'));
        assert.match(await alert(page), /sent from another site/);
        await shot(page, 'csrf-refused');
        assert.equal((await me(page)).user, null, 'the forged sign-in did nothing');

        const email = newEmail();
        await signUp(page, email);
        const [signOut] = await Promise.all([
          page.waitForResponse(
            (r) => r.url() === at('/sign-out') && r.request().method() === 'POST',
          ),
          page.goto(`${attackerUrl}/?target=/sign-out`),
        ]);
        assert.equal(signOut.status(), 403);
        assert.equal((await me(page)).user?.email, email, 'still signed in');
      });

      it('runs the JSON API with the same rules', async () => {
        const page = await newPage();
        await page.goto(at('/'));
        const email = newEmail();
        const call = (route: string, body?: object) =>
          page.evaluate(
            async ([route, body]) => {
              const response = await fetch(route as string, {
                method: body === undefined ? 'GET' : 'POST',
                headers: { 'content-type': 'application/json' },
                ...(body === undefined ? {} : { body: JSON.stringify(body) }),
              });
              const text = await response.text();
              return { status: response.status, body: text === '' ? null : JSON.parse(text) };
            },
            [route, body] as const,
          );
        const weak = await call('/api/sign-up', { email, password: 'short' });
        assert.deepEqual([weak.status, weak.body.error], [400, 'PASSWORD_POLICY']);
        const created = await call('/api/sign-up', { email, password: PASSWORD });
        assert.equal(created.status, 201);
        assert.equal(created.body.user.email, email);
        assert.equal('passwordHash' in created.body.user, false);
        const taken = await call('/api/sign-up', { email, password: PASSWORD });
        assert.deepEqual([taken.status, taken.body.error], [409, 'EMAIL_TAKEN']);
        assert.equal((await call('/api/me')).body.user.email, email);
        assert.equal((await call('/api/sign-out', {})).status, 204);
        assert.equal((await call('/api/me')).body.user, null);
        const wrong = await call('/api/sign-in', { email, password: 'not it, really not' });
        assert.deepEqual([wrong.status, wrong.body.error], [401, 'INVALID_CREDENTIALS']);
        const right = await call('/api/sign-in', { email, password: PASSWORD });
        assert.equal(right.status, 200);
        assert.equal((await call('/api/me')).body.user.email, email);
      });
    });
  }
}
