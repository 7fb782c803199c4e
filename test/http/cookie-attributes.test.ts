/**
 * Session cookie attributes on the wire (S-18, S-19, S-23, S-24).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { nodeSessions } from '../../src/adapters/node/index.js';
import { InvalidOptionsError } from '../../src/errors.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { startApp } from '../support/app.js';
import { newSecret, send } from '../support/http.js';

function attributes(line: string): { name: string; attrs: string[] } {
  const [pair = '', ...rest] = line.split(';').map((s) => s.trim());
  return { name: pair.split('=')[0]!, attrs: rest };
}

describe('S-18 secure defaults for the session cookie', { timeout: 60_000 }, () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  });

  for (const mode of ['cookie', 'store'] as const) {
    it(`${mode} mode: a Secure cookie is __Host-sid; Secure; HttpOnly; Path=/; SameSite=Lax; no Domain, no Max-Age`, async (t) => {
      const store = mode === 'store' ? new MemoryStore() : undefined;
      t.after(() => store?.close());
      const app = await startApp({
        secrets: [newSecret()],
        ...(store ? { store } : {}),
        cookie: { secure: true },
      });
      t.after(() => app.close());
      const res = await send(`${app.url}/inc`);
      const { name, attrs } = attributes(res.setCookie[0]!);
      assert.equal(name, '__Host-sid');
      assert.deepEqual(attrs.slice().sort(), ['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure']);
      assert.equal(res.headers['cache-control'], 'no-store', 'S-24');
      // The cookie is read back under its prefixed name.
      const read = await send(`${app.url}/read`, { cookie: res.setCookie[0]!.split(';')[0]! });
      assert.equal(JSON.parse(read.body).data.count, 1);
    });
  }

  it("secure: 'auto' on plain HTTP (development) gives a bare `sid` without Secure", async (t) => {
    delete process.env.NODE_ENV;
    const app = await startApp({ secrets: [newSecret()] });
    t.after(() => app.close());
    const { name, attrs } = attributes((await send(`${app.url}/inc`)).setCookie[0]!);
    assert.equal(name, 'sid');
    assert.ok(!attrs.includes('Secure'));
  });

  it('trustProxy: X-Forwarded-Proto https counts as HTTPS only when enabled (S-36)', async (t) => {
    delete process.env.NODE_ENV;
    const headers = { 'x-forwarded-proto': 'https' };
    const trusting = await startApp({ secrets: [newSecret()], trustProxy: true });
    t.after(() => trusting.close());
    assert.equal(
      attributes((await send(`${trusting.url}/inc`, { headers })).setCookie[0]!).name,
      '__Host-sid',
    );
    const plain = await startApp({ secrets: [newSecret()] });
    t.after(() => plain.close());
    assert.equal(
      attributes((await send(`${plain.url}/inc`, { headers })).setCookie[0]!).name,
      'sid',
    );
  });

  it('S-19 in production the cookie is Secure even when the app sees plain HTTP', async (t) => {
    process.env.NODE_ENV = 'production';
    const app = await startApp({ secrets: [newSecret()] });
    t.after(() => app.close());
    const { name, attrs } = attributes((await send(`${app.url}/inc`)).setCookie[0]!);
    assert.equal(name, '__Host-sid');
    assert.ok(attrs.includes('Secure'));
  });

  it('S-19 secure: false with NODE_ENV=production refuses to start', () => {
    process.env.NODE_ENV = 'production';
    assert.throws(
      () => nodeSessions({ secrets: [newSecret()], cookie: { secure: false } }),
      (error: unknown) => error instanceof InvalidOptionsError && /production/.test(error.message),
    );
  });

  it('S-23 persistent cookies carry Max-Age = remaining absolute lifetime, <= 400 days', async (t) => {
    delete process.env.NODE_ENV;
    const app = await startApp({
      secrets: [newSecret()],
      cookie: { secure: false, persistent: true },
      absoluteTimeout: 30 * 24 * 3600_000,
    });
    t.after(() => app.close());
    const { attrs } = attributes((await send(`${app.url}/inc`)).setCookie[0]!);
    const maxAge = Number(attrs.find((a) => a.startsWith('Max-Age='))!.slice(8));
    assert.ok(maxAge > 30 * 24 * 3600 - 5 && maxAge <= 30 * 24 * 3600, `${maxAge}`);
  });

  it('S-28 a missing or weak secret fails at construction', () => {
    assert.throws(() => nodeSessions({ secrets: [] }), { code: 'WEAK_SECRET' });
    assert.throws(() => nodeSessions({ secrets: ['keyboard cat'] }), { code: 'WEAK_SECRET' });
  });
});
