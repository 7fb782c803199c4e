import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isTesseraError } from '../errors.js';
import { clientAddress, clientAddressFrom, type TrustProxy } from './client-address.js';

const PROXY = '10.0.0.7';
const CLIENT = '203.0.113.9';
const FORGED = '198.51.100.23';

function address(
  forwardedFor: string | readonly string[] | undefined,
  trustProxy?: TrustProxy,
  remoteAddress: string | undefined = PROXY,
): string | undefined {
  return clientAddress({ remoteAddress, forwardedFor }, { trustProxy });
}

describe('clientAddress (S-36)', { timeout: 60_000 }, () => {
  it('S-36 by default the socket decides: X-Forwarded-For is ignored', () => {
    assert.equal(address(`${FORGED}, ${CLIENT}`), PROXY);
    assert.equal(address(`${FORGED}`, false), PROXY);
    assert.equal(address(`${FORGED}`, 0), PROXY);
    assert.equal(clientAddress({ remoteAddress: '::ffff:203.0.113.9' }), CLIENT);
    assert.equal(clientAddress({ remoteAddress: undefined }), undefined, 'a Unix socket has none');
    assert.equal(clientAddress({ remoteAddress: 'garbage' }), undefined);
  });

  it('S-36 trustProxy: true takes the leftmost address', () => {
    assert.equal(address(`${FORGED}, ${CLIENT}`, true), FORGED);
    assert.equal(address(`junk, ${CLIENT}`, true), CLIENT, 'the leftmost that is an address');
    assert.equal(address('junk', true), PROXY);
    assert.equal(address(undefined, true), PROXY);
  });

  it('S-36 trustProxy: n takes the nth address from the right', () => {
    // One load balancer appended the address it saw; the client wrote the rest.
    assert.equal(address(`${FORGED}, ${CLIENT}`, 1), CLIENT);
    assert.equal(address(`${FORGED}, ${CLIENT}, 10.0.0.8`, 2), CLIENT);
    assert.equal(address(CLIENT, 2), CLIENT, 'fewer entries than proxies: the furthest');
    assert.equal(address(undefined, 1), PROXY, 'no header: the socket');
    assert.equal(address(`${FORGED}, junk, 10.0.0.8`, 3), '10.0.0.8', 'stops at a forged entry');
    assert.equal(address(['198.51.100.23', '203.0.113.9'], 1), CLIENT, 'repeated header lines');
  });

  it('S-36 trustProxy: a list skips trusted proxies from the right', () => {
    const trust = ['10.0.0.0/8', '2001:db8:ffff::/48'];
    assert.equal(address(`${FORGED}, ${CLIENT}, 10.0.0.8`, trust), CLIENT);
    assert.equal(address(`${FORGED}, ${CLIENT}`, trust), CLIENT);
    // A peer that is not trusted is believed about nothing.
    assert.equal(address(`${FORGED}`, trust, CLIENT), CLIENT);
    assert.equal(address('10.0.0.1, 10.0.0.2', trust), '10.0.0.1', 'all trusted: the leftmost');
    assert.equal(address(`${FORGED}, junk`, trust), PROXY, 'a forged entry next to the proxy');
    assert.equal(
      address('[2001:db8::5]:51234, 2001:db8:ffff::1', trust, '2001:db8:ffff::2'),
      '2001:db8::5',
    );
    assert.equal(address(CLIENT, ['loopback'], '::1'), CLIENT);
    assert.equal(address(CLIENT, ['loopback'], '127.0.0.1'), CLIENT);
    assert.equal(address(CLIENT, ['uniquelocal'], '::ffff:192.168.1.2'), CLIENT);
    assert.equal(address(CLIENT, ['linklocal'], PROXY), PROXY);
  });

  it('S-36 150 forged X-Forwarded-For values from one socket give one address', () => {
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 150; i++) seen.add(address(`198.51.100.${i % 250}`, false, CLIENT));
    assert.deepEqual([...seen], [CLIENT]);
  });

  it('refuses trustProxy values it cannot follow, naming them', () => {
    for (const bad of [-1, 1.5, ['10.0.0.0/33'], ['proxy.internal'], 'yes', {}] as unknown[]) {
      assert.throws(
        () => clientAddressFrom({ trustProxy: bad as TrustProxy }),
        (error: unknown) => isTesseraError(error) && error.code === 'INVALID_OPTIONS',
        JSON.stringify(bad),
      );
    }
  });

  it('hostile headers: huge, thousands of entries, brackets, ports, control characters', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `198.51.${i >> 8}.${i & 255}`).join(',');
    assert.equal(address(`${many}, ${CLIENT}`, 1), CLIENT);
    assert.equal(address(`${CLIENT},${'x'.repeat(1_000_000)}`, 1), PROXY);
    assert.equal(
      address(`${'9'.repeat(100_000)}1.2.3.4`, true),
      PROXY,
      'a cut-off entry is dropped',
    );
    assert.equal(address([...many.split(','), CLIENT], 1), CLIENT);
    assert.equal(address(`${CLIENT}:443`, 1), CLIENT);
    assert.equal(address('[2001:db8::1]:443', 1), '2001:db8::1');
    assert.equal(address('2001:db8::1\r\n', 1), '2001:db8::1');
    assert.equal(address(',,, ,', 1), PROXY);
    assert.equal(address([42, null] as unknown as string[], 1), PROXY);
  });

  it('property: never throws, and answers a canonical address or undefined', () => {
    const trusts = fc.oneof(
      fc.boolean(),
      fc.integer({ min: 0, max: 5 }),
      fc.constantFrom<TrustProxy>(['10.0.0.0/8'], ['loopback', 'uniquelocal'], ['::/0']),
    );
    const entry = fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.ipV6().map((ip) => `[${ip}]:${ip.length}`),
      fc.ipV4().map((ip) => `::ffff:${ip}`),
      fc.string({ unit: 'binary', maxLength: 20 }),
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 20 })),
        fc.oneof(
          fc.constant(undefined),
          fc.array(entry, { maxLength: 8 }).map((l) => l.join(',')),
        ),
        trusts,
        (remoteAddress, forwardedFor, trustProxy) => {
          const result = clientAddress({ remoteAddress, forwardedFor }, { trustProxy });
          if (result !== undefined) {
            assert.notEqual(isIP(result), 0, result);
            assert.ok(!result.startsWith('::ffff:'), 'IPv4-mapped addresses are IPv4');
          }
          if (trustProxy === false || trustProxy === 0) {
            const socketOnly = clientAddress({ remoteAddress }, {});
            assert.equal(result, socketOnly, 'untrusted: the header changes nothing');
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
