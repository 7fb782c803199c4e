import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { signSessionId, unsignSessionId } from './signature.js';

describe('express-session cookie signature', { timeout: 60_000 }, () => {
  it('is s: + id + . + unpadded base64 HMAC-SHA256(secret, id)', () => {
    const mac = createHmac('sha256', 'secret').update('abc').digest('base64');
    assert.ok(mac.endsWith('='));
    assert.equal(signSessionId('abc', 'secret'), `s:abc.${mac.replace(/=+$/, '')}`);
  });

  it('verifies against every secret of the list, and only those', () => {
    const signed = signSessionId('id.with.dots', 'old');
    assert.equal(unsignSessionId(signed, ['new', 'old']), 'id.with.dots');
    assert.equal(unsignSessionId(signed, ['new']), undefined);
    assert.equal(unsignSessionId(signed.slice(2), ['old']), undefined, 'the s: prefix is required');
    assert.equal(unsignSessionId(`${signed}=`, ['old']), undefined, 'one spelling only');
    assert.equal(unsignSessionId('s:nodot', ['old']), undefined);
  });
});
