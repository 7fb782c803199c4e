/**
 * Checks every test vector in docs/formats.md (each ```json block) against the code, and
 * re-derives the intermediate values with plain node:crypto calls, so the document, the
 * implementation and the specification in prose cannot drift apart.
 */
import assert from 'node:assert/strict';
import { createDecipheriv, createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { UnsealError } from '../errors.js';
import { Keyring } from './keyring.js';
import { sealWithSalt, unseal } from './seal.js';
import { hashSessionId, signSessionId, verifySignedSessionId } from './sign.js';

type Vector = Record<string, unknown> & { vector: string };

const doc = readFileSync(new URL('../../docs/formats.md', import.meta.url), 'utf8');
const vectors: Vector[] = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map(
  (match) => JSON.parse(match[1]!) as Vector,
);
const hex = (value: unknown): Buffer => Buffer.from(value as string, 'hex');
const str = (value: unknown): string => value as string;
const keyring = (v: Vector): Keyring => new Keyring(v.secrets as string[]);
const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);

const checks: Record<string, (v: Vector) => void> = {
  keyring(v) {
    const ring = new Keyring([str(v.secret)]);
    assert.equal(ring.keyId().toString('hex'), v.keyId);
    for (const purpose of ['seal', 'sign', 'csrf'] as const) {
      assert.equal(ring.key(purpose).toString('hex'), v[purpose], purpose);
    }
  },
  seal(v) {
    const ring = keyring(v);
    const salt = hex(v.salt);
    const context = { purpose: str(v.purpose), name: str(v.name) };
    const plaintext = Buffer.from(str(v.plaintext), 'utf8');
    // Independent derivation of the documented intermediate values.
    const label = Buffer.from('tessera/v1/seal');
    const subkey = createHmac('sha256', ring.key('seal'))
      .update(Buffer.concat([label, salt, Buffer.from([1])]))
      .digest();
    assert.equal(subkey.toString('hex'), v.subkey, 'subkey');
    assert.equal(salt.subarray(20).toString('hex'), v.iv, 'iv');
    const [purpose, name] = [Buffer.from(context.purpose), Buffer.from(context.name)];
    const header = Buffer.concat([Buffer.from([1]), ring.keyId(), salt]);
    const aad = Buffer.concat([header, u16(purpose.length), purpose, u16(name.length), name]);
    assert.equal(aad.toString('hex'), v.aad, 'aad');
    // The documented blob decrypts with the documented values alone.
    const blob = Buffer.from(str(v.sealed), 'base64url');
    assert.deepEqual(blob.subarray(0, 37), header, 'header');
    const decipher = createDecipheriv('aes-256-gcm', hex(v.subkey), hex(v.iv));
    decipher.setAAD(hex(v.aad));
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    const opened = Buffer.concat([decipher.update(blob.subarray(37, -16)), decipher.final()]);
    assert.deepEqual(opened, plaintext);
    // And the implementation produces and opens exactly that blob.
    assert.equal(sealWithSalt(ring, context, plaintext, salt), v.sealed);
    assert.deepEqual(unseal(ring, context, str(v.sealed)), { plaintext, keyIndex: 0 });
  },
  unseal(v) {
    const result = unseal(
      keyring(v),
      { purpose: str(v.purpose), name: str(v.name) },
      str(v.sealed),
    );
    assert.equal(result.plaintext.toString('utf8'), v.plaintext);
    assert.equal(result.keyIndex, v.keyIndex);
  },
  'unseal-reject'(v) {
    const context = { purpose: str(v.purpose), name: str(v.name) };
    assert.throws(
      () => unseal(keyring(v), context, str(v.sealed)),
      (error: unknown) => error instanceof UnsealError && error.reason === v.reason,
    );
  },
  'signed-id'(v) {
    const ring = keyring(v);
    const id = str(v.id);
    assert.equal(hashSessionId(id), v.storeKey);
    assert.equal(createHash('sha256').update(id, 'ascii').digest('base64url'), v.storeKey);
    const name = Buffer.from(str(v.name));
    const message = Buffer.concat([
      Buffer.from('tessera/v1/sid'),
      u16(name.length),
      name,
      Buffer.from(id),
    ]);
    assert.equal(message.toString('hex'), v.message, 'message');
    const mac = createHmac('sha256', ring.key('sign')).update(message).digest();
    assert.equal(mac.toString('hex'), v.mac, 'mac');
    const expected = `${id}.${Buffer.concat([ring.keyId(), mac]).toString('base64url')}`;
    assert.equal(expected, v.value);
    assert.equal(signSessionId(ring, str(v.name), id), v.value);
    assert.deepEqual(verifySignedSessionId(ring, str(v.name), str(v.value)), { id, keyIndex: 0 });
  },
  'signed-id-verify'(v) {
    const result = verifySignedSessionId(keyring(v), str(v.name), str(v.value));
    assert.deepEqual(result, { id: v.id, keyIndex: v.keyIndex });
  },
};

test('docs/formats.md contains vectors of every kind', { timeout: 60_000 }, () => {
  const kinds = new Set(vectors.map((v) => v.vector));
  assert.deepEqual([...kinds].sort(), Object.keys(checks).sort());
  assert.ok(vectors.length >= 10, `found ${vectors.length} vectors`);
});

for (const [index, v] of vectors.entries()) {
  test(`docs/formats.md vector #${index} (${v.vector}) matches the implementation`, {
    timeout: 60_000,
  }, () => {
    const check = checks[v.vector];
    assert.ok(check, `unknown vector kind ${v.vector}`);
    check(v);
  });
}
