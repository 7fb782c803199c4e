import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { seal, unseal } from '../crypto/seal.js';
import { SessionEngine } from './engine.js';

type Data = Record<string, unknown>;

describe('cookie mode reads version 1 (JSON) payloads', { timeout: 60_000 }, () => {
  it('accepts a cookie sealed with a version 1 payload, and re-seals it as version 2', async () => {
    const now = 1_767_225_600_000;
    const engine = new SessionEngine<Data>({
      secrets: [randomBytes(32).toString('base64url')],
      clock: () => now,
    });
    const v1 = `{"v":1,"n":"AAAAAAAAAAAAAAAAAAAAAA","c":${now - 1000},"e":${now + 60_000},"a":${now + 86_400_000},"u":"alice","d":{"views":3,"cart":["a"]}}`;
    const value = seal(engine.kernel.keyring, { purpose: 'session', name: 'sid' }, Buffer.from(v1));
    const session = await engine.load({ cookieHeader: `sid=${value}`, secure: false });
    assert.equal(session.isNew, false);
    assert.equal(session.userId, 'alice');
    assert.deepEqual({ ...session.data }, { views: 3, cart: ['a'] });
    assert.equal(session.createdAt, now - 1000);
    session.data.views = 4;
    const plan = engine.commit(session);
    const written = plan.setCookie[0]!.split(';')[0]!.slice('sid='.length);
    const plaintext = unseal(
      engine.kernel.keyring,
      { purpose: 'session', name: 'sid' },
      written,
    ).plaintext;
    assert.equal(plaintext[0], 0x02);
    const again = await engine.load({ cookieHeader: `sid=${written}`, secure: false });
    assert.equal(again.id, session.id);
    assert.equal(again.userId, 'alice');
    assert.deepEqual({ ...again.data }, { views: 4, cart: ['a'] });
  });

  it('refuses a version 1 cookie with an unknown version field as a guest', async () => {
    const engine = new SessionEngine<Data>({ secrets: [randomBytes(32).toString('base64url')] });
    const bad = '{"v":3,"n":"x","c":1,"e":99999999999999,"a":99999999999999,"u":null,"d":{}}';
    const value = seal(
      engine.kernel.keyring,
      { purpose: 'session', name: 'sid' },
      Buffer.from(bad),
    );
    const session = await engine.load({ cookieHeader: `sid=${value}`, secure: false });
    assert.equal(session.isNew, true);
  });
});
