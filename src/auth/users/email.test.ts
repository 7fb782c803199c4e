import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidEmailError, isInvalidEmailError } from '../../errors.js';
import { MAX_EMAIL_BYTES, normalizeEmail } from './email.js';

/** The reason normalizeEmail refuses `input` with, or `null` when it accepts it. */
function refusal(input: unknown): string | null {
  try {
    normalizeEmail(input as string);
    return null;
  } catch (error) {
    assert.ok(error instanceof InvalidEmailError, 'only InvalidEmailError is thrown');
    assert.ok(isInvalidEmailError(error));
    assert.equal(error.code, 'INVALID_EMAIL');
    return error.reason;
  }
}

/** Any Unicode text (every plane), short. */
const text = fc.string({ unit: 'binary', maxLength: 30 });
/** Plausible local parts and domains. */
const local = fc.stringMatching(/^[A-Za-z0-9._%+-]{1,20}$/);
const domain = fc.stringMatching(/^[A-Za-z0-9-]{1,15}(\.[A-Za-z0-9-]{1,10}){0,3}$/);

describe('normalizeEmail', { timeout: 60_000 }, () => {
  it('trims, applies NFKC, lower-cases the domain and keeps the local part', () => {
    assert.equal(normalizeEmail('  Alice@Example.COM \n'), 'Alice@example.com');
    assert.equal(normalizeEmail('\uFF21lice\uFF20\uFF25xample.com'), 'Alice@example.com');
    assert.equal(normalizeEmail('Jos\u0065\u0301@Example.com'), 'Jos\u00e9@example.com');
    assert.equal(normalizeEmail('user@B\u00dcCHER.de'), 'user@b\u00fccher.de');
    assert.equal(normalizeEmail('"quoted"@example.com'), '"quoted"@example.com');
    assert.equal(normalizeEmail('__proto__@example.com'), '__proto__@example.com');
  });

  it('refuses what is not an address, with a reason and without repeating the input', () => {
    const cases: Array<[unknown, string]> = [
      ['alice.example.com', 'format'],
      ['@example.com', 'format'],
      ['alice@', 'format'],
      ['alice@@example.com', 'format'],
      ['a@b@example.com', 'format'],
      ['alice@example..com', 'format'],
      ['alice@.example.com', 'format'],
      ['alice@example.com.', 'format'],
      ['', 'format'],
      ['   ', 'format'],
      [42, 'format'],
      [null, 'format'],
      ['al ice@example.com', 'characters'],
      ['alice@exa mple.com', 'characters'],
      ['alice\t@example.com', 'characters'],
      ['alice@example.com\r\nBcc: x@y.z', 'characters'],
      ['ali\u0000ce@example.com', 'characters'],
      ['ali\u200Bce@example.com', 'characters'],
      ['alice\u202E@example.com', 'characters'],
      ['ali\u3000ce@example.com', 'characters'],
      ['ali\uD800ce@example.com', 'characters'],
      [`${'a'.repeat(65)}@example.com`, 'too_long'],
      [`${'\u00e9'.repeat(33)}@example.com`, 'too_long'], // 66 UTF-8 bytes
      [`a@${'b'.repeat(249)}.com`, 'too_long'],
      [`${'a'.repeat(5000)}@example.com`, 'too_long'],
    ];
    for (const [input, reason] of cases) {
      assert.equal(refusal(input), reason, JSON.stringify(input).slice(0, 60));
    }
    assert.throws(
      () => normalizeEmail('secret-person example.com'),
      (error: Error) => !error.message.includes('secret-person'),
    );
  });

  it('accepts the longest addresses allowed: 64-byte local part, 254 bytes in all', () => {
    const localPart = 'a'.repeat(64);
    const longest = `${localPart}@${'b'.repeat(MAX_EMAIL_BYTES - 64 - 1 - 4)}.com`;
    assert.equal(longest.length, MAX_EMAIL_BYTES);
    assert.equal(normalizeEmail(longest), longest);
  });

  it('property: the result is a fixed point (normalizing twice changes nothing)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          fc.tuple(text, text).map(([a, b]) => `${a}@${b}`),
        ),
        (input) => {
          let once: string;
          try {
            once = normalizeEmail(input);
          } catch (error) {
            assert.ok(isInvalidEmailError(error));
            return;
          }
          assert.equal(normalizeEmail(once), once);
          assert.equal(normalizeEmail(` ${once} `), once);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: domain case, surrounding spaces and NFKC forms map to one address', () => {
    fc.assert(
      fc.property(local, domain, fc.constantFrom(' ', '\t', '\n', '\u00a0', ''), (l, d, pad) => {
        const base = normalizeEmail(`${l}@${d}`);
        assert.equal(normalizeEmail(`${pad}${l}@${d.toUpperCase()}${pad}`), base);
        assert.equal(normalizeEmail(`${l}@${d}`.normalize('NFD')), base);
        // Full-width forms of ASCII (U+FF01..U+FF5E) are the ASCII characters under NFKC.
        const wide = [...`${l}@${d}`]
          .map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0))
          .join('');
        assert.equal(normalizeEmail(wide), base);
        assert.equal(base.split('@')[0], l, 'the local part keeps its case');
      }),
      { numRuns: 500 },
    );
  });

  it('property: the result is trimmed NFKC, has one @, and stays within the byte limits', () => {
    fc.assert(
      fc.property(fc.tuple(text, text), ([a, b]) => {
        const input = `${a}@${b}`;
        const result = refusal(input) === null ? normalizeEmail(input) : null;
        if (result === null) return;
        assert.equal(result, result.trim());
        assert.equal(result, result.normalize('NFKC'));
        assert.equal(result.split('@').length, 2);
        assert.ok(Buffer.byteLength(result) <= MAX_EMAIL_BYTES);
        const [, dom] = result.split('@');
        assert.equal(dom, dom!.toLowerCase());
      }),
      { numRuns: 2000 },
    );
  });
});
