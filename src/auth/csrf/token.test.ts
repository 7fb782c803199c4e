import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { isCsrfError } from '../../errors.js';
import { createKernel } from '../../kernel/context.js';
import { SessionEngine } from '../../session/engine.js';
import type { Session } from '../../session/session.js';
import { writeSystemEntry } from '../../session/system.js';
import { MemoryStore } from '../../stores/memory/index.js';
import { CSRF_TOKEN_LENGTH, createCsrf } from './token.js';

const secret = (): string => randomBytes(32).toString('base64url');
type Data = Record<string, unknown>;

function engineFor(mode: 'cookie' | 'store', secrets: string[]): SessionEngine<Data> {
  return new SessionEngine<Data>({
    secrets,
    ...(mode === 'store' ? { store: new MemoryStore() } : {}),
  });
}

/** Commits `session` and returns the cookie the next request sends (or the one it had). */
async function commit(
  engine: SessionEngine<Data>,
  session: Session<Data>,
  cookie?: string,
): Promise<string | undefined> {
  const plan = engine.commit(session);
  await plan.pending;
  return plan.setCookie[0]?.split(';')[0] ?? cookie;
}

async function load(engine: SessionEngine<Data>, cookie: string | undefined) {
  return engine.load({ cookieHeader: cookie, secure: false });
}

for (const mode of ['cookie', 'store'] as const) {
  describe(`S-38 CSRF tokens (${mode} mode)`, { timeout: 60_000 }, () => {
    it('a guest gets a token (and its session cookie); every render differs and all verify', async () => {
      const engine = engineFor(mode, [secret()]);
      const csrf = createCsrf({ engine });
      const guest = await load(engine, undefined);
      const tokens = [csrf.token(guest), csrf.token(guest), csrf.token(guest)];
      assert.equal(new Set(tokens).size, 3);
      // The masks differ, so no byte position repeats across renders (BREACH).
      const masks = tokens.map((t) => Buffer.from(t, 'base64url').subarray(0, 32).toString('hex'));
      assert.equal(new Set(masks).size, 3);
      for (const token of tokens) {
        assert.equal(token.length, CSRF_TOKEN_LENGTH);
        assert.match(token, /^[A-Za-z0-9_-]+$/);
        assert.equal(csrf.verify(guest, token), true);
      }
      const cookie = await commit(engine, guest);
      assert.ok(cookie, 'the guest got a session cookie');
      const next = await load(engine, cookie);
      for (const token of tokens) assert.equal(csrf.verify(next, token), true);
      assert.equal(csrf.verify(next, csrf.token(next)), true);
    });

    it('a token of session A does not verify for session B or a fresh guest', async () => {
      const engine = engineFor(mode, [secret()]);
      const csrf = createCsrf({ engine });
      const a = await load(engine, undefined);
      const b = await load(engine, undefined);
      const tokenA = csrf.token(a);
      csrf.token(b);
      assert.equal(csrf.verify(b, tokenA), false);
      assert.equal(csrf.verify(await load(engine, undefined), tokenA), false);
    });

    it('S-41 regenerate() and a new user void the tokens issued before; new ones work', async () => {
      const engine = engineFor(mode, [secret()]);
      const csrf = createCsrf({ engine });
      const guest = await load(engine, undefined);
      const before = csrf.token(guest);
      let cookie = await commit(engine, guest);

      const signingIn = await load(engine, cookie);
      assert.equal(csrf.verify(signingIn, before), true);
      signingIn.setUser('alice');
      assert.equal(csrf.verify(signingIn, before), false);
      const after = csrf.token(signingIn);
      cookie = await commit(engine, signingIn, cookie);

      const signedIn = await load(engine, cookie);
      assert.equal(csrf.verify(signedIn, before), false);
      assert.equal(csrf.verify(signedIn, after), true);
      signedIn.setUser('alice');
      assert.equal(csrf.verify(signedIn, after), true, 'the same user keeps the tokens');
      signedIn.regenerate();
      assert.equal(csrf.verify(signedIn, after), false);
      const third = csrf.token(signedIn);
      cookie = await commit(engine, signedIn, cookie);
      const later = await load(engine, cookie);
      assert.equal(csrf.verify(later, after), false);
      assert.equal(csrf.verify(later, third), true);
    });

    it('destroy() voids the tokens', async () => {
      const engine = engineFor(mode, [secret()]);
      const csrf = createCsrf({ engine });
      const session = await load(engine, undefined);
      const token = csrf.token(session);
      session.destroy();
      assert.equal(csrf.verify(session, token), false);
    });
  });
}

describe('S-29 CSRF tokens follow secret rotation', { timeout: 60_000 }, () => {
  it('verify under every listed secret, issue under the current one', async () => {
    const [k1, k2] = [secret(), secret()];
    const old = new SessionEngine<Data>({ secrets: [k1] });
    const oldCsrf = createCsrf({ engine: old });
    const session = await load(old, undefined);
    const token = oldCsrf.token(session);
    const cookie = await commit(old, session);

    const rotated = new SessionEngine<Data>({ secrets: [k2, k1] });
    const rotatedCsrf = createCsrf({ engine: rotated });
    const loaded = await load(rotated, cookie);
    assert.equal(rotatedCsrf.verify(loaded, token), true);
    const fresh = rotatedCsrf.token(loaded);
    assert.equal(rotatedCsrf.verify(loaded, fresh), true);
    assert.equal(oldCsrf.verify(loaded, fresh), false, 'issued under k2');

    // The binding lives in the session data; a kernel without k1 rejects the old token.
    const onlyNew = createCsrf({ kernel: createKernel({ secrets: [k2] }) });
    assert.equal(onlyNew.verify(loaded, token), false);
    assert.equal(onlyNew.verify(loaded, fresh), true);
  });
});

describe('S-30 CSRF verify never throws on hostile input', { timeout: 60_000 }, () => {
  it('refuses wrong types, lengths, alphabets and non-canonical spellings', async () => {
    const engine = engineFor('cookie', [secret()]);
    const csrf = createCsrf({ engine });
    const session = await load(engine, undefined);
    const token = csrf.token(session);
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const hostile: unknown[] = [
      undefined,
      null,
      '',
      0,
      1n,
      true,
      {},
      [token],
      [token, token],
      { toString: () => token },
      Buffer.from(token),
      token.slice(1),
      `${token}A`,
      `${token.slice(0, -2)}==`,
      `${token.slice(0, -1)}+`,
      `${token.slice(0, -1)}.`,
      ` ${token.slice(1)}`,
      token.replace(/./, '\u0000'),
      flipped,
      'A'.repeat(CSRF_TOKEN_LENGTH),
      'x'.repeat(1_000_000),
      '\uD800'.repeat(CSRF_TOKEN_LENGTH),
    ];
    for (const value of hostile) {
      assert.equal(csrf.verify(session, value), false, String(value).slice(0, 40));
      assert.throws(() => csrf.assert(session, value), isCsrfError);
    }
    assert.equal(csrf.verify(session, token), true);
    assert.doesNotThrow(() => csrf.assert(session, token));
  });

  it('a session without a binding, or with a damaged one, verifies nothing', async () => {
    const engine = engineFor('cookie', [secret()]);
    const csrf = createCsrf({ engine });
    const session = await load(engine, undefined);
    const token = csrf.token(session);
    for (const damaged of [undefined, 42, 'short', ['x'], 'A'.repeat(43)]) {
      writeSystemEntry(
        session,
        'tessera:csrf',
        damaged === undefined ? undefined : JSON.stringify(damaged),
      );
      assert.equal(csrf.verify(session, token), false);
    }
    const empty = await load(engine, undefined);
    assert.equal(csrf.verify(empty, token), false);
  });

  it('assert names the reason: missing-token or invalid-token', async () => {
    const engine = engineFor('cookie', [secret()]);
    const csrf = createCsrf({ engine });
    const session = await load(engine, undefined);
    csrf.token(session);
    assert.throws(() => csrf.assert(session, undefined), { code: 'CSRF', reason: 'missing-token' });
    assert.throws(() => csrf.assert(session, ''), { code: 'CSRF', reason: 'missing-token' });
    assert.throws(() => csrf.assert(session, 'nope'), { code: 'CSRF', reason: 'invalid-token' });
  });
});

describe('createCsrf', { timeout: 60_000 }, () => {
  it('token() on a committed session without a binding is a SessionStateError', async () => {
    const engine = engineFor('cookie', [secret()]);
    const csrf = createCsrf({ engine });
    const session = await load(engine, undefined);
    await commit(engine, session);
    assert.throws(() => csrf.token(session), { code: 'SESSION_STATE' });
  });

  it('refuses options without a kernel or engine', () => {
    for (const bad of [undefined, {}, { engine: {} }, { kernel: null }]) {
      assert.throws(() => createCsrf(bad as never), { code: 'INVALID_OPTIONS' });
    }
  });
});
