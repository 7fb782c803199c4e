import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeB64, formatPhc, intParam, parsePhc } from './phc.js';

const REFERENCE =
  '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc';

describe('PHC strings', { timeout: 60_000 }, () => {
  it('parses id, version, parameters in order, salt and hash', () => {
    const phc = parsePhc(REFERENCE);
    assert.ok(phc);
    assert.equal(phc.id, 'argon2id');
    assert.equal(phc.version, 19);
    assert.deepEqual(
      [...phc.params],
      [
        ['m', '65536'],
        ['t', '2'],
        ['p', '1'],
      ],
    );
    assert.equal(phc.salt.toString(), 'somesalt');
    assert.equal(phc.hash.byteLength, 32);
  });

  it('formats what it parses', () => {
    const phc = parsePhc(REFERENCE)!;
    const params = [...phc.params].map(([k, v]) => [k, Number(v)] as const);
    assert.equal(formatPhc(phc.id, phc.version, params, phc.salt, phc.hash), REFERENCE);
    assert.equal(encodeB64(Buffer.from('NaCl')), 'TmFDbA');
  });

  it('returns null for malformed strings instead of throwing', () => {
    const bad: unknown[] = [
      undefined,
      null,
      42,
      {},
      '',
      '$',
      '$$',
      'argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA',
      '$argon2id',
      '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ',
      '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$',
      '$argon2id$v=19$m=65536,t=2,p=1$$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc',
      '$argon2id$v=x$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc',
      '$argon2id$v=19$m=65536,m=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc',
      '$argon2id$v=19$m65536$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc',
      '$ARGON2ID$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc',
      `${REFERENCE}=`,
      `${REFERENCE}$extra`,
      REFERENCE.replace('c29tZXNhbHQ', 'c29tZXNhbHQ='),
      REFERENCE.replace('c29tZXNhbHQ', 'c29tZXNhbHR'), // non-canonical last character
      REFERENCE.replace('c29tZXNhbHQ', 'c29t-XNhbHQ'), // base64url is not PHC base64
      `$argon2id$v=19$m=1,t=1,p=1$${'A'.repeat(600)}$aGFzaA`,
    ];
    for (const text of bad) assert.equal(parsePhc(text), null, String(text));
  });

  it('reads integer parameters within bounds only', () => {
    const phc = parsePhc('$x$a=10,b=010,c=99999999999,d=-1,e=1.5,f=abc$c2FsdA$aGFzaA')!;
    assert.equal(intParam(phc, 'a', 1, 10), 10);
    assert.equal(intParam(phc, 'a', 1, 9), null);
    assert.equal(intParam(phc, 'b', 1, 100), null);
    assert.equal(intParam(phc, 'c', 1, 2 ** 53), null);
    assert.equal(intParam(phc, 'd', -5, 5), null);
    assert.equal(intParam(phc, 'e', 0, 5), null);
    assert.equal(intParam(phc, 'f', 0, 5), null);
    assert.equal(intParam(phc, 'missing', 0, 5), null);
  });
});
