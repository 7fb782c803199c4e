/**
 * Session options as an application meets them: the defaults a new session shows, the
 * bounds each number must keep (with the message that names it), and the spellings of
 * other session libraries that would otherwise be ignored without a word.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { hashSessionId } from '../crypto/sign.js';
import { MemoryStore } from '../stores/memory/index.js';
import { SessionEngine } from './engine.js';
import { type SessionOptions, strictTimeouts } from './options.js';
import type { Session } from './session.js';

type Data = Record<string, unknown>;
const secret = (): string => randomBytes(32).toString('base64url');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function engine(extra: object): SessionEngine<Data> {
  return new SessionEngine<Data>({ secrets: [secret()], ...extra } as SessionOptions<Data>);
}

function cookieOf(lines: readonly string[]): string {
  return lines[0]!.split(';')[0]!;
}

describe('session option defaults', { timeout: 60_000 }, () => {
  it('a new session lives 7 days idle and 30 days at most', () => {
    const now = Date.UTC(2026, 3, 1);
    const session = engine({ clock: () => now }).load({
      cookieHeader: undefined,
      secure: false,
    }) as Session<Data>;
    assert.equal(session.createdAt, now);
    assert.equal(session.expiresAt, now + 7 * DAY);
    assert.equal(session.absoluteExpiresAt, now + 30 * DAY);
  });

  it('strictTimeouts: 30 minutes idle, 12 hours at most, frozen', () => {
    assert.deepEqual(
      { ...strictTimeouts },
      { idleTimeout: 30 * MINUTE, absoluteTimeout: 12 * 60 * MINUTE },
    );
    assert.equal(Object.isFrozen(strictTimeouts), true);
    const now = Date.UTC(2026, 3, 1);
    const session = engine({ ...strictTimeouts, clock: () => now }).load({
      cookieHeader: undefined,
      secure: false,
    }) as Session<Data>;
    assert.equal(session.expiresAt, now + 30 * MINUTE);
    assert.equal(session.absoluteExpiresAt, now + 12 * 60 * MINUTE);
  });

  it('touchAfter defaults to a tenth of idleTimeout, rounded down', async () => {
    let now = Date.UTC(2026, 3, 1);
    const store = new MemoryStore({ clock: () => now });
    // A tenth of 600_009 ms is 60_000.9 ms: rounded down, a touch is due after 60_000 ms.
    const sessions = engine({ store, clock: () => now, idleTimeout: 600_009 });
    const first = await sessions.load({ cookieHeader: undefined, secure: false });
    first.data.a = 1;
    const plan = sessions.commit(first);
    await plan.pending;
    const cookie = cookieOf(plan.setCookie);
    const key = hashSessionId(decodeURIComponent(cookie.slice(4)).split('.')[0]!);
    const created = now;

    now = created + 59_999;
    const early = sessions.commit(await sessions.load({ cookieHeader: cookie, secure: false }));
    assert.equal(early.pending, null, 'not due yet: nothing written');
    assert.equal((await store.get(key))?.expiresAt, created + 600_009);

    now = created + 60_000;
    const due = sessions.commit(await sessions.load({ cookieHeader: cookie, secure: false }));
    assert.notEqual(due.pending, null);
    await due.pending;
    assert.equal((await store.get(key))?.expiresAt, now + 600_009);
  });

  it('store mode: data up to 1 MiB is kept by default, more is refused', async () => {
    const sessions = engine({ store: new MemoryStore() });
    const fits = await sessions.load({ cookieHeader: undefined, secure: false });
    // One key "a" (1 byte) and its JSON text (the quotes count): 1 MiB in all.
    fits.data.a = 'x'.repeat(1024 * 1024 - 3);
    await sessions.commit(fits).pending;
    const over = await sessions.load({ cookieHeader: undefined, secure: false });
    over.data.a = 'x'.repeat(1024 * 1024 - 2);
    assert.throws(() => sessions.commit(over), {
      code: 'INVALID_SESSION_DATA',
      message: `session data is ${1024 * 1024 + 1} bytes, above maxDataBytes (${1024 * 1024})`,
    });
  });

  it('cookie mode: a session spans at most 4 cookies and 8192 bytes by default', () => {
    const sessions = engine({});
    const random = (bytes: number) => randomBytes(bytes).toString('base64url');
    const fits = sessions.load({ cookieHeader: undefined, secure: false }) as Session<Data>;
    fits.data.a = random(3000);
    assert.equal(sessions.commit(fits).setCookie.length, 2);
    const large = sessions.load({ cookieHeader: undefined, secure: false }) as Session<Data>;
    large.data.a = random(4700);
    assert.throws(() => sessions.commit(large), {
      code: 'SESSION_TOO_LARGE',
      message: /at most 8192 fit/,
    });
    const wider = engine({ maxCookieBytes: 40_000 });
    const five = wider.load({ cookieHeader: undefined, secure: false }) as Session<Data>;
    five.data.a = random(10_000);
    assert.throws(() => wider.commit(five), { code: 'SESSION_TOO_LARGE' }, 'more than 4 chunks');
    const more = engine({ maxCookieBytes: 40_000, maxChunks: 5 });
    const allowed = more.load({ cookieHeader: undefined, secure: false }) as Session<Data>;
    allowed.data.a = random(10_000);
    assert.equal(more.commit(allowed).setCookie.length, 5);
  });
});

describe('session option bounds', { timeout: 60_000 }, () => {
  const refused = (extra: object, message: string) =>
    assert.throws(() => engine(extra), { code: 'INVALID_OPTIONS', message }, JSON.stringify(extra));
  const accepted = (extra: object) =>
    assert.doesNotThrow(() => engine(extra), JSON.stringify(extra));

  it('timeouts and maxDataBytes must be positive finite numbers', () => {
    for (const name of ['idleTimeout', 'absoluteTimeout', 'maxDataBytes']) {
      for (const value of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        const extra = name === 'idleTimeout' ? {} : { idleTimeout: 1 };
        refused({ ...extra, [name]: value }, `${name} must be a positive number of milliseconds`);
      }
    }
    accepted({ idleTimeout: 2, absoluteTimeout: 2, maxDataBytes: 1 });
  });

  it('idleTimeout must not exceed absoluteTimeout', () => {
    refused(
      { idleTimeout: 10 * MINUTE + 1, absoluteTimeout: 10 * MINUTE },
      'idleTimeout must not exceed absoluteTimeout',
    );
    refused({ idleTimeout: 31 * DAY }, 'idleTimeout must not exceed absoluteTimeout');
    accepted({ idleTimeout: 10 * MINUTE, absoluteTimeout: 10 * MINUTE });
    accepted({ absoluteTimeout: 7 * DAY });
  });

  it('touchAfter must be >= 0 and below idleTimeout', () => {
    const message = 'touchAfter must be >= 0 and below idleTimeout';
    for (const touchAfter of [-1, Number.NaN, Number.POSITIVE_INFINITY, MINUTE, MINUTE + 1]) {
      refused({ idleTimeout: MINUTE, touchAfter }, message);
    }
    accepted({ idleTimeout: MINUTE, touchAfter: 0 });
    accepted({ idleTimeout: MINUTE, touchAfter: MINUTE - 1 });
    accepted({ idleTimeout: 9 }); // a tenth of 9 ms rounds down to 0
  });

  it('maxChunks is an integer from 1 to 20, maxCookieBytes a positive integer', () => {
    for (const maxChunks of [0, 21, 1.5, Number.NaN]) {
      refused({ maxChunks }, 'maxChunks must be an integer from 1 to 20');
    }
    accepted({ maxChunks: 1 });
    accepted({ maxChunks: 20 });
    for (const maxCookieBytes of [0, -1, 1.5, Number.NaN]) {
      refused({ maxCookieBytes }, 'maxCookieBytes must be a positive integer');
    }
    accepted({ maxCookieBytes: 1 });
  });
});

describe('option names of other session libraries', { timeout: 60_000 }, () => {
  it('each top-level one gets its own "did you mean"', () => {
    const cases: [string, string][] = [
      ['secret', 'secrets: [secret] (a list, newest first)'],
      ['keys', 'secrets: keys (a list, newest first)'],
      ['name', 'cookie: { name }'],
      ['resave', 'nothing: Tessera saves only what changed'],
      ['saveUninitialized', 'nothing: Tessera never saves an empty session'],
      ['rolling', 'idleTimeout and touchAfter'],
      ['unset', 'nothing: session.destroy() ends a session'],
      ['genid', 'nothing: ids are always 256 random bits'],
      ['proxy', 'trustProxy (on the adapter)'],
      ['maxAge', 'absoluteTimeout (milliseconds) and cookie: { persistent: true }'],
    ];
    for (const [name, instead] of cases) {
      assert.throws(() => engine({ [name]: undefined }), {
        code: 'INVALID_OPTIONS',
        message: `unknown option "${name}": did you mean ${instead}?`,
      });
    }
  });

  it('each cookie one too; a null cookie is no cookie options', () => {
    const cases: [string, string][] = [
      ['maxAge', 'absoluteTimeout (milliseconds) with cookie.persistent: true'],
      ['expires', 'absoluteTimeout (milliseconds) with cookie.persistent: true'],
      ['signed', 'nothing: session cookies are always signed or sealed'],
      ['overwrite', 'nothing'],
    ];
    for (const [name, instead] of cases) {
      assert.throws(() => engine({ cookie: { [name]: true } }), {
        code: 'INVALID_OPTIONS',
        message: `unknown option "cookie.${name}": did you mean ${instead}?`,
      });
    }
    const sessions = engine({ cookie: null });
    const session = sessions.load({ cookieHeader: undefined, secure: false }) as Session<Data>;
    session.data.a = 1;
    assert.match(sessions.commit(session).setCookie[0]!, /^sid=/);
  });

  it('an unset or empty secret variable is named by its position', () => {
    const hint =
      'the variable it was read from is probably not set (secretsFromEnv("NAME") names it in the error)';
    assert.throws(() => engine({ secrets: [secret(), ''] }), {
      code: 'INVALID_OPTIONS',
      message: `secrets[1] is empty: ${hint}`,
    });
    assert.throws(() => engine({ secrets: [secret(), secret(), undefined] }), {
      code: 'INVALID_OPTIONS',
      message: `secrets[2] is undefined: ${hint}`,
    });
    for (const secrets of [undefined, 'not-a-list']) {
      assert.throws(() => engine({ secrets }), { message: /^no secret given/ }, String(secrets));
    }
  });
});
