import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InvalidOptionsError, SessionTooLargeError } from '../errors.js';
import {
  cookieFamily,
  cookieHeaderBytes,
  planChunks,
  readChunks,
  staleChunkNames,
} from './chunks.js';
import { resolveSessionCookie } from './defaults.js';
import { parseCookieHeader } from './parse.js';

const session = resolveSessionCookie({}, true);
const NAME = session.name;
const SUFFIX = session.suffix.length;

/** The Cookie header a browser would send back for these cookies. */
const header = (cookies: readonly { name: string; value: string }[]): string =>
  cookies.map(({ name, value }) => `${name}=${value}`).join('; ');

describe('planChunks', { timeout: 60_000 }, () => {
  test('S-21 a value that fits exactly 4096 bytes stays one cookie; one byte more splits', () => {
    const room = 4096 - NAME.length - 1 - SUFFIX;
    const exact = planChunks(NAME, 'x'.repeat(room), SUFFIX, 4);
    assert.deepEqual(exact, [{ name: NAME, value: 'x'.repeat(room) }]);
    assert.equal(session.serialize(exact[0]!.value).length, 4096);

    const over = planChunks(NAME, 'x'.repeat(room + 1), SUFFIX, 4);
    assert.deepEqual(
      over.map((chunk) => chunk.name),
      [`${NAME}.0`, `${NAME}.1`],
    );
    for (const chunk of over) {
      assert.ok(session.serialize(chunk.value, { name: chunk.name }).length <= 4096);
    }
  });

  test('S-21 name=value alone is bounded by 4096 bytes even without attributes', () => {
    assert.equal(planChunks('a', 'x'.repeat(4094), 0, 1).length, 1);
    assert.throws(() => planChunks('a', 'x'.repeat(4095), 0, 1), SessionTooLargeError);
  });

  test('S-21 more than maxChunks throws SessionTooLargeError with size and limit', () => {
    const value = 'x'.repeat(3 * 4096);
    assert.throws(
      () => planChunks(NAME, value, SUFFIX, 2),
      (error: unknown) => {
        assert.ok(error instanceof SessionTooLargeError);
        assert.equal(error.size, value.length);
        assert.equal(error.limit, 2 * (4096 - NAME.length - 3 - SUFFIX));
        assert.equal(error.message.includes('xxxx'), false);
        return true;
      },
    );
    assert.throws(() => planChunks(NAME, 'x'.repeat(5000), SUFFIX, 1), SessionTooLargeError);
  });

  test('rejects a maxChunks that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => planChunks('a', 'b', 0, bad), InvalidOptionsError);
    }
  });

  test('property: chunks concatenate to the input, fit 4096 bytes, never repeat a name', () => {
    const length = fc.integer({ min: 0, max: 5 * 4096 });
    fc.assert(
      fc.property(length, fc.integer({ min: 1, max: 12 }), (size, maxChunks) => {
        const value = 'v'.repeat(size);
        let chunks: ReturnType<typeof planChunks>;
        try {
          chunks = planChunks(NAME, value, SUFFIX, maxChunks);
        } catch (error) {
          assert.ok(error instanceof SessionTooLargeError);
          assert.ok(error.limit < size);
          return;
        }
        assert.ok(chunks.length <= maxChunks);
        assert.equal(chunks.map((chunk) => chunk.value).join(''), value);
        assert.equal(new Set(chunks.map((chunk) => chunk.name)).size, chunks.length);
        for (const chunk of chunks) {
          const line = session.serialize(chunk.value, { name: chunk.name });
          assert.ok(Buffer.byteLength(line) <= 4096);
        }
        const read = readChunks(parseCookieHeader(header(chunks)), NAME, maxChunks);
        assert.ok(read !== null && 'value' in read);
        assert.equal(read.value, value);
      }),
      { numRuns: 200 },
    );
  });
});

describe('readChunks', { timeout: 60_000 }, () => {
  const parsed = (cookieHeader: string) => parseCookieHeader(cookieHeader);

  test('reads the plain cookie, ignoring other cookies and non-canonical chunk names', () => {
    const read = readChunks(parsed('a=1; sid=v; sid.01=x; sidx.0=y; sid.=z'), 'sid', 4);
    assert.deepEqual(read, { value: 'v', present: ['sid'] });
  });

  test('reassembles contiguous chunks in index order', () => {
    const read = readChunks(parsed('sid.1=b; x=1; sid.0=a; sid.2=c'), 'sid', 4);
    assert.deepEqual(read, { value: 'abc', present: ['sid.1', 'sid.0', 'sid.2'] });
  });

  test('S-07 any duplicated family name is a duplicate', () => {
    assert.deepEqual(readChunks(parsed('sid=a; sid=b'), 'sid', 4), {
      duplicate: true,
      present: ['sid'],
    });
    assert.deepEqual(readChunks(parsed('sid.0=a; sid.1=b; sid.1=c'), 'sid', 4), {
      duplicate: true,
      present: ['sid.1', 'sid.0'],
    });
  });

  test('ambiguous or incomplete families are guests (null)', () => {
    assert.equal(readChunks(parsed('a=1'), 'sid', 4), null);
    assert.equal(readChunks(parsed('sid=v; sid.0=a'), 'sid', 4), null);
    assert.equal(readChunks(parsed('sid.0=a; sid.2=c'), 'sid', 4), null);
    assert.equal(readChunks(parsed('sid.1=b'), 'sid', 4), null);
    assert.equal(readChunks(parsed('sid.0=a; sid.1=b; sid.2=c'), 'sid', 2), null);
    assert.equal(readChunks(parsed('sid.0=a; sid.12345678901=b'), 'sid', 4), null);
    assert.deepEqual(cookieFamily(parsed('sid=v; sid.0=a; sid.0=b; t=1'), 'sid', 4), [
      'sid',
      'sid.0',
    ]);
  });

  test('S-21 only names Tessera could write are reported, however many the request has', () => {
    const hostile = Array.from({ length: 5000 }, (_, i) => `sid.${i}=x`).join('; ');
    assert.deepEqual(cookieFamily(parsed(`sid=v; ${hostile}`), 'sid', 4), [
      'sid',
      'sid.0',
      'sid.1',
      'sid.2',
      'sid.3',
    ]);
    assert.deepEqual(cookieFamily(parsed('sid.4=x; sid.99999999999=y'), 'sid', 4), []);
    const duplicated = readChunks(parsed(`${hostile}; ${hostile}`), 'sid', 2);
    assert.deepEqual(duplicated, { duplicate: true, present: ['sid.0', 'sid.1'] });
    // Out-of-range names still make the family inconsistent: never read as a session.
    assert.equal(readChunks(parsed('sid=v; sid.7=x'), 'sid', 4), null);
    assert.throws(() => cookieFamily(parsed('sid=v'), 'sid', 0), { code: 'INVALID_OPTIONS' });
  });

  test('staleChunkNames lists what the request has and this response does not write', () => {
    assert.deepEqual(staleChunkNames(['sid.0', 'sid.1', 'sid.2'], ['sid']), [
      'sid.0',
      'sid.1',
      'sid.2',
    ]);
    assert.deepEqual(staleChunkNames(['sid', 'sid.0'], ['sid.0', 'sid.1']), ['sid']);
    assert.deepEqual(staleChunkNames([], ['sid']), []);
  });
});

describe('planChunks with maxCookieBytes', { timeout: 60_000 }, () => {
  test('counts every name=value joined by "; " and throws SessionTooLargeError above the bound', () => {
    const fits = planChunks('sid', 'a'.repeat(7000), 40, 4, 8192);
    assert.equal(
      cookieHeaderBytes(fits),
      fits.map((c) => `${c.name}=${c.value}`).join('; ').length,
    );
    assert.ok(cookieHeaderBytes(fits) <= 8192);
    assert.throws(() => planChunks('sid', 'a'.repeat(12000), 40, 4, 8192), {
      code: 'SESSION_TOO_LARGE',
    });
    // The smaller bound wins: one chunk refuses what 100 KB would allow.
    assert.throws(() => planChunks('sid', 'a'.repeat(5000), 40, 1, 100_000), {
      code: 'SESSION_TOO_LARGE',
    });
  });
});

describe('chunk plan and family edges', { timeout: 60_000 }, () => {
  const parsed = (cookieHeader: string) => parseCookieHeader(cookieHeader);

  test('a value filling every chunk exactly is planned, not refused', () => {
    const room = 4096 - 'sid.0'.length - 1;
    const value = 'a'.repeat(room) + 'b'.repeat(room);
    const chunks = planChunks('sid', value, 0, 2);
    assert.deepEqual(chunks, [
      { name: 'sid.0', value: 'a'.repeat(room) },
      { name: 'sid.1', value: 'b'.repeat(room) },
    ]);
    assert.throws(() => planChunks('sid', `${value}c`, 0, 2), SessionTooLargeError);
  });

  test('maxChunks 1 reports the single-cookie room as the limit', () => {
    assert.throws(
      () => planChunks('a', 'x'.repeat(4095), 0, 1),
      (error: unknown) => {
        assert.ok(error instanceof SessionTooLargeError);
        assert.equal(error.size, 4095);
        assert.equal(error.limit, 4094);
        return true;
      },
    );
  });

  test('a name leaving no room for any chunk is refused at once, whatever maxChunks allows', () => {
    // name + '.0=' fills 4096 bytes with the suffix: a chunk could carry nothing.
    const name = 'n'.repeat(4000);
    const suffix = 4096 - name.length - 3;
    // Without the early exit the planner would try 2^40 chunk counts: the test would not end
    // within its timeout.
    assert.throws(
      () => planChunks(name, 'xyz', suffix, 2 ** 40),
      (error: unknown) => {
        assert.ok(error instanceof SessionTooLargeError);
        assert.equal(error.size, 3);
        assert.equal(error.limit, 2);
        return true;
      },
    );
  });

  test('rejects an attribute suffix length that is negative or not an integer', () => {
    for (const bad of [-1, 1.5, Number.NaN]) {
      assert.throws(
        () => planChunks('a', 'b', bad, 1),
        (error: unknown) => {
          assert.ok(error instanceof InvalidOptionsError);
          assert.match(error.message, /attributeSuffixLength/);
          return true;
        },
      );
    }
  });

  test('every maxChunks check names the option', () => {
    const calls = [
      () => planChunks('a', 'b', 0, 0),
      () => readChunks(parsed('sid=v'), 'sid', 0),
      () => readChunks(parsed('sid=v'), 'sid', 2.5),
      () => cookieFamily(parsed('sid=v'), 'sid', -1),
    ];
    for (const call of calls) {
      assert.throws(call, (error: unknown) => {
        assert.ok(error instanceof InvalidOptionsError);
        assert.match(error.message, /maxChunks/);
        return true;
      });
    }
  });

  test('maxCookieBytes is an inclusive bound', () => {
    const chunks = planChunks('sid', 'a'.repeat(5000), 0, 4);
    const bytes = cookieHeaderBytes(chunks);
    assert.deepEqual(planChunks('sid', 'a'.repeat(5000), 0, 4, bytes), chunks);
    assert.throws(
      () => planChunks('sid', 'a'.repeat(5000), 0, 4, bytes - 1),
      (error: unknown) => {
        assert.ok(error instanceof SessionTooLargeError);
        assert.equal(error.size, bytes);
        assert.equal(error.limit, bytes - 1);
        return true;
      },
    );
  });

  test('cookieHeaderBytes counts one separator between each pair of cookies', () => {
    assert.equal(cookieHeaderBytes([{ name: 'a', value: 'bc' }]), 4);
    const three = [
      { name: 'a.0', value: 'x' },
      { name: 'a.1', value: 'yy' },
      { name: 'a.2', value: 'zzz' },
    ];
    assert.equal(cookieHeaderBytes(three), header(three).length);
    assert.equal(cookieHeaderBytes(three), 5 + 6 + 7 + 4);
  });

  test('a single chunk name.0 is a complete family', () => {
    assert.deepEqual(readChunks(parsed('sid.0=abc'), 'sid', 4), {
      value: 'abc',
      present: ['sid.0'],
    });
  });

  test('exactly maxChunks chunks, and indices of two digits, are reassembled', () => {
    const cookies = Array.from({ length: 12 }, (_, i) => ({ name: `sid.${i}`, value: `v${i}` }));
    const reversed = header([...cookies].reverse());
    assert.deepEqual(readChunks(parsed(reversed), 'sid', 12), {
      value: cookies.map((c) => c.value).join(''),
      present: cookies.map((c) => c.name).reverse(),
    });
    assert.equal(readChunks(parsed(reversed), 'sid', 11), null);
  });

  test('chunks sent out of order with the highest one first are still contiguous', () => {
    assert.deepEqual(readChunks(parsed('sid.1=b; sid.0=a'), 'sid', 4), {
      value: 'ab',
      present: ['sid.1', 'sid.0'],
    });
  });

  test('names that only look like chunks are not of the family', () => {
    for (const other of ['sid./', 'sid.:', 'sid.a', 'sid.1x', 'sidx0', 'abc.0', 'sid-0']) {
      const request = parsed(`sid=v; ${other}=x`);
      assert.deepEqual(readChunks(request, 'sid', 4), { value: 'v', present: ['sid'] }, other);
      assert.deepEqual(cookieFamily(request, 'sid', 4), ['sid'], other);
    }
    // Every decimal digit is a chunk index: with a plain cookie the family is ambiguous.
    for (const digit of '0123456789') {
      assert.equal(readChunks(parsed(`sid=v; sid.${digit}=x`), 'sid', 10), null, digit);
    }
  });

  test('a duplicated cookie outside the family does not spoil the session', () => {
    const request = parsed('x=1; sid=v; x=2; sid.9x=1; sid.9x=2');
    assert.deepEqual(readChunks(request, 'sid', 4), { value: 'v', present: ['sid'] });
    assert.deepEqual(cookieFamily(request, 'sid', 4), ['sid']);
  });

  test('a duplicate result lists only names Tessera could write', () => {
    assert.deepEqual(readChunks(parsed('sid=a; sid.9=x; sid=b; sid.1=y'), 'sid', 4), {
      duplicate: true,
      present: ['sid', 'sid.1'],
    });
  });

  test('indices up to nine digits are exact; longer ones are never writable', () => {
    assert.deepEqual(cookieFamily(parsed('sid.123456789=x'), 'sid', 1e9), ['sid.123456789']);
    assert.deepEqual(cookieFamily(parsed('sid.123456789=x'), 'sid', 123456789), []);
    assert.deepEqual(cookieFamily(parsed('sid.12345678901=x'), 'sid', 1e12), []);
  });
});
