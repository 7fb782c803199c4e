// The signed session id as docs/formats.md specifies it, recomputed with node:crypto's own
// HMAC, and the inputs signing refuses.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { Keyring } from './keyring.js';
import { signSessionId, verifySignedSessionId } from './sign.js';

const keyring = new Keyring(['q0N3v_Vx8Kc2-YtR1mZbH4pLwE9sGd6uJf5TiAo7Xeg']);
const ID = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';

/** id "." base64url(keyId || HMAC-SHA256(sign key, "tessera/v1/sid" || u16 len || name || id)). */
function expectedSignature(name: string, id: string): string {
  const nameBytes = Buffer.from(name, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(nameBytes.length);
  const mac = createHmac('sha256', keyring.key('sign', 0))
    .update(
      Buffer.concat([
        Buffer.from('tessera/v1/sid', 'latin1'),
        length,
        nameBytes,
        Buffer.from(id, 'latin1'),
      ]),
    )
    .digest();
  return `${id}.${Buffer.concat([keyring.keyId(0), mac]).toString('base64url')}`;
}

test('the signature is the documented HMAC over label, cookie name and id', {
  timeout: 60_000,
}, () => {
  for (const name of ['sid', '__Host-sid', 'sessión']) {
    const signed = signSessionId(keyring, name, ID);
    assert.equal(signed, expectedSignature(name, ID));
    assert.deepEqual(verifySignedSessionId(keyring, name, signed), { id: ID, keyIndex: 0 });
  }
});

test('a cookie name of 65535 UTF-8 bytes is signed; one byte more is refused', {
  timeout: 60_000,
}, () => {
  const longest = 'n'.repeat(0xffff);
  assert.equal(signSessionId(keyring, longest, ID), expectedSignature(longest, ID));
  assert.throws(() => signSessionId(keyring, `${longest}n`, ID), {
    name: 'TypeError',
    message: 'cookie name is too long',
  });
});

test('a cookie name that is not a string or not well-formed Unicode is refused', {
  timeout: 60_000,
}, () => {
  assert.throws(() => signSessionId(keyring, 42 as unknown as string, ID), {
    name: 'TypeError',
    message: 'cookie name must be a string',
  });
  // A lone surrogate becomes U+FFFD in UTF-8: two names would share one MAC input.
  assert.throws(() => signSessionId(keyring, 'sid\ud800', ID), {
    name: 'TypeError',
    message: 'cookie name is not well-formed',
  });
});

test('only a canonical 43-character id is signed', { timeout: 60_000 }, () => {
  for (const id of [ID.slice(1), `${ID.slice(0, 42)}h`, `${ID.slice(0, 42)}+`, 42]) {
    assert.throws(() => signSessionId(keyring, 'sid', id as string), {
      name: 'TypeError',
      message: 'session id must be 43 canonical base64url characters',
    });
  }
});
