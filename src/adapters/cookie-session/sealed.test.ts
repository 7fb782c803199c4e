import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sealWithSalt } from '../../crypto/seal.js';
import { encodeLegacy } from './data.js';
import { keygripSign } from './keygrip.js';
import { sealingKeyring, sealSession, unsealSession } from './sealed.js';

const NOW = Date.UTC(2026, 0, 1);

describe('cookie-session sealed format', { timeout: 30_000 }, () => {
  it('round-trips, and reports an older key', () => {
    const current = sealingKeyring(['k1']);
    const value = sealSession(current, 'session', '{"views":1}', 0);
    assert.deepEqual(unsealSession(current, 'session', value, NOW), {
      data: { views: 1 },
      rotated: false,
    });
    const rotated = sealingKeyring(['k2', 'k1']);
    assert.equal(unsealSession(rotated, 'session', value, NOW)?.rotated, true);
    assert.equal(unsealSession(sealingKeyring(['k2']), 'session', value, NOW), null);
  });

  it('refuses a copy kept past its expiry, whatever the browser does', () => {
    const keyring = sealingKeyring(['k1']);
    const value = sealSession(keyring, 'session', '{"views":1}', NOW + 1000);
    assert.notEqual(unsealSession(keyring, 'session', value, NOW + 999), null);
    assert.equal(unsealSession(keyring, 'session', value, NOW + 1000), null);
  });

  it('is bound to the cookie name and refuses any altered character', () => {
    const keyring = sealingKeyring(['k1']);
    const value = sealSession(keyring, 'session', '{"a":1}', 0);
    assert.equal(unsealSession(keyring, 'other', value, NOW), null);
    for (let i = 0; i < value.length; i += 7) {
      const altered = value.slice(0, i) + (value[i] === 'A' ? 'B' : 'A') + value.slice(i + 1);
      assert.equal(unsealSession(keyring, 'session', altered, NOW), null);
    }
  });

  it('accepts repeated and Buffer keys (cookie-session does)', () => {
    const keyring = sealingKeyring(['k', 'k', Buffer.from('raw key')]);
    const value = sealSession(keyring, 'session', '{}', 0);
    assert.deepEqual(unsealSession(keyring, 'session', value, NOW)?.data, {});
  });

  it('refuses forbidden keys even inside a valid seal', () => {
    const keyring = sealingKeyring(['k1']);
    const value = sealSession(keyring, 'session', '{"__proto__":{"x":1}}', 0);
    assert.equal(unsealSession(keyring, 'session', value, NOW), null);
  });
});

describe('cookie-session format vectors (docs/formats.md)', { timeout: 30_000 }, () => {
  const SALT = Buffer.from(Array.from({ length: 32 }, (_, i) => i));

  it('legacy value and keygrip signature', () => {
    assert.equal(encodeLegacy('{"views":1}'), 'eyJ2aWV3cyI6MX0=');
    assert.equal(keygripSign('session=eyJ2aWV3cyI6MX0=', 'key1'), 'DJaPtrG-tmTnVr33fOWXqWGnVlw');
  });

  it('sealed value with a fixed salt opens to the data', () => {
    const keyring = sealingKeyring(['key1']);
    const sealed = sealWithSalt(
      keyring,
      { purpose: 'cookie-session', name: 'session' },
      Buffer.from('{"e":0,"d":{"views":1}}'),
      SALT,
    );
    assert.equal(
      sealed,
      'AcV08xsAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHw1cP6Mb3KH1pIIy-cWwsLK0HD8L84fFe2lUCgxI_U7rbjJ_MHs1CA',
    );
    assert.deepEqual(unsealSession(keyring, 'session', sealed, NOW)?.data, { views: 1 });
  });
});
