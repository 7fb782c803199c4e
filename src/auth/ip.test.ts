import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatIp, inRange, maskIp, parseIp, parseRange } from './ip.js';

function canonical(text: string): string | null {
  const ip = parseIp(text);
  return ip === null ? null : formatIp(ip);
}

describe('IP addresses', { timeout: 60_000 }, () => {
  it('reads the spellings sockets and proxies use, in one canonical form', () => {
    assert.equal(canonical('203.0.113.9'), '203.0.113.9');
    assert.equal(canonical(' 203.0.113.9 '), '203.0.113.9');
    assert.equal(canonical('203.0.113.9:8443'), '203.0.113.9');
    assert.equal(canonical('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
    assert.equal(canonical('[2001:db8::1]:443'), '2001:db8::1');
    assert.equal(canonical('[2001:db8::1]'), '2001:db8::1');
    assert.equal(canonical('fe80::1%eth0'), 'fe80::1');
    assert.equal(canonical('::1'), '::1');
    assert.equal(canonical('::'), '::');
    assert.equal(canonical('2001:db8:0:1:0:0:0:0'), '2001:db8:0:1::');
    // RFC 5952: the longest run of zeros, the first of equal ones, never a single group.
    assert.equal(canonical('2001:0:0:1:0:0:0:1'), '2001:0:0:1::1');
    assert.equal(canonical('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1');
    assert.equal(canonical('1:0:0:2:0:0:3:4'), '1::2:0:0:3:4');
  });

  it('IPv4-mapped IPv6 is the IPv4 address', () => {
    assert.equal(canonical('::ffff:1.2.3.4'), '1.2.3.4');
    assert.equal(canonical('::FFFF:1.2.3.4'), '1.2.3.4');
    assert.equal(canonical('::ffff:0102:0304'), '1.2.3.4');
    assert.equal(canonical('[::ffff:1.2.3.4]:80'), '1.2.3.4');
    assert.equal(canonical('0:0:0:0:0:ffff:1.2.3.4'), '1.2.3.4');
    // Only ::ffff:0:0/96 is mapped; the deprecated IPv4-compatible form is IPv6.
    assert.equal(canonical('::1.2.3.4'), '::102:304');
  });

  it('refuses what is not an address, without throwing', () => {
    for (const text of [
      '',
      ' ',
      'unknown',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '01.2.3.4',
      '1.2.3.4:',
      '1.2.3.4:port',
      '1.2.3.4:123456',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      '1:2:3:4:5:6:7::8',
      '12345::',
      '[::1',
      '[::1]x',
      '[1.2.3.4]',
      '::ffff:1.2.3.256',
      'x'.repeat(10_000),
      '\u0000',
      '::1\r\nX-Evil: 1',
    ]) {
      assert.equal(parseIp(text), null, JSON.stringify(text.slice(0, 30)));
    }
    assert.equal(parseIp(undefined as unknown as string), null);
    assert.equal(parseIp(42 as unknown as string), null);
  });

  it('ranges: CIDR and single addresses, IPv4 inside ::ffff:0:0/96 too', () => {
    const ten = parseRange('10.0.0.0/8')!;
    assert.ok(inRange(parseIp('10.200.3.4')!, ten));
    assert.ok(!inRange(parseIp('11.0.0.1')!, ten));
    assert.ok(!inRange(parseIp('::a00:1')!, ten), 'an IPv6 address is never in an IPv4 range');
    assert.ok(inRange(parseIp('::ffff:10.1.2.3')!, ten));
    assert.ok(inRange(parseIp('10.1.2.3')!, parseRange('::ffff:10.0.0.0/104')!));
    const ula = parseRange('fc00::/7')!;
    assert.ok(inRange(parseIp('fd12:3456::1')!, ula));
    assert.ok(!inRange(parseIp('fe80::1')!, ula));
    assert.ok(inRange(parseIp('192.0.2.1')!, parseRange('192.0.2.1')!));
    assert.ok(!inRange(parseIp('192.0.2.2')!, parseRange('192.0.2.1')!));
    assert.ok(inRange(parseIp('203.0.113.9')!, parseRange('0.0.0.0/0')!));
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/x', 'x/8', '10.0.0.0/-1']) {
      assert.equal(parseRange(bad), null, bad);
    }
  });

  it('masking keeps the prefix bits only', () => {
    const ip = parseIp('2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff')!;
    assert.equal(formatIp(maskIp(ip, 64)), '2001:db8:aaaa:bbbb::');
    assert.equal(formatIp(maskIp(ip, 60)), '2001:db8:aaaa:bbb0::');
    assert.equal(formatIp(maskIp(parseIp('203.0.113.201')!, 24)), '203.0.113.0');
  });

  it('property: every address node:net accepts parses, and formats back to one it accepts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        const ip = parseIp(text);
        assert.ok(ip !== null, text);
        const out = formatIp(ip);
        assert.notEqual(isIP(out), 0, out);
        assert.equal(canonical(out), out, 'canonical form is a fixed point');
        assert.equal(canonical(ip.version === 6 ? `[${out}]:1` : `${out}:1`), out);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: any string parses to null or to an address node:net accepts; never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 60 }),
          fc.stringMatching(/^[0-9a-fA-F:.[\]%]{0,45}$/),
        ),
        (text) => {
          const ip = parseIp(text);
          if (ip !== null) assert.notEqual(isIP(formatIp(ip)), 0);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
