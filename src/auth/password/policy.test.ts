import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PasswordPolicyError, type PasswordPolicyReason } from '../../errors.js';
import { COMMON_PASSWORDS } from './common-passwords.js';
import { checkPasswordPolicy, type PasswordPolicyOptions } from './policy.js';

/** The reason `password` is refused, or null when accepted. */
async function verdict(
  password: string,
  options?: PasswordPolicyOptions,
): Promise<PasswordPolicyReason | null> {
  try {
    await checkPasswordPolicy(password, options);
    return null;
  } catch (error) {
    assert.ok(error instanceof PasswordPolicyError, String(error));
    assert.equal(error.code, 'PASSWORD_POLICY');
    // S-57: never echo the password (except the word "password", which the messages use).
    if (!/^password$/i.test(password)) {
      assert.ok(!error.message.includes(password), error.message);
    }
    return error.reason;
  }
}

describe('S-48 password policy: length', { timeout: 60_000 }, () => {
  it('a NUL character or an unpaired surrogate is refused first, as characters', async () => {
    assert.equal(await verdict('kq7#vzpm\u0000'), 'characters');
    assert.equal(await verdict('kq7#\u0000vzpm'), 'characters');
    assert.equal(await verdict('kq7#vzpm\ud800'), 'characters');
    assert.equal(await verdict('\u0000'), 'characters');
    assert.equal(await verdict('kq7#vzpm\u0001'), null);
  });

  it('7 code points refused, 8 accepted, 256 accepted, 257 refused (default range 8..256)', async () => {
    assert.equal(await verdict('kq7#vzp'), 'too_short');
    assert.equal(await verdict('kq7#vzpm'), null);
    assert.equal(await verdict(`${'x'.repeat(255)}y`), null);
    assert.equal(await verdict(`${'x'.repeat(256)}y`), 'too_long');
  });

  it('counts code points, not UTF-16 units or bytes: an emoji is one', async () => {
    assert.equal(await verdict('😀'.repeat(7)), 'too_short');
    assert.equal(await verdict('😀'.repeat(8)), null);
    assert.equal(await verdict('😀'.repeat(256)), null);
    assert.equal(await verdict('😀'.repeat(257)), 'too_long');
  });

  it('counts after NFKC: decomposed é is one, a ligature expands', async () => {
    // 7 letters, each "e" + combining acute: 14 code points before NFKC, 7 after.
    assert.equal(await verdict('e\u0301'.repeat(7)), 'too_short');
    // U+FB03 "ﬃ" is 1 code point, "ffi" after NFKC: 3 of them make 9.
    assert.equal(await verdict('\ufb03\ufb03\ufb03'), null);
    // 86 x "ﬃ" = 258 after NFKC.
    assert.equal(await verdict('\ufb03'.repeat(86)), 'too_long');
  });

  it('no composition rules: spaces, one repeated letter, any script are fine', async () => {
    for (const pw of [
      '        a',
      'aaaaaaaaaaaaaaa',
      'пароль на русском',
      '我的密码很长很长',
      'ab cd ef gh',
    ]) {
      assert.equal(await verdict(pw), null, pw);
    }
  });

  it('minLength 15 (NIST for password-only sign-in): 14 refused, 15 accepted', async () => {
    const options = { minLength: 15 };
    assert.equal(await verdict('kq7#vzpmkq7#vzp'.slice(0, 14), options), 'too_short');
    assert.equal(await verdict('kq7#vzpmkq7#vzp', options), null);
    assert.equal(await verdict('z'.repeat(64), { ...options, maxLength: 64 }), null);
    assert.equal(await verdict('z'.repeat(65), { ...options, maxLength: 64 }), 'too_long');
  });

  it('refuses options below the floors: minLength < 8, maxLength < 64 or > 256, min > max', async () => {
    for (const options of [
      { minLength: 7 },
      { minLength: 8.5 },
      { maxLength: 63 },
      { maxLength: 257 },
      { minLength: 100, maxLength: 64 },
    ]) {
      await assert.rejects(checkPasswordPolicy('whatever long enough', options), {
        code: 'INVALID_OPTIONS',
      });
    }
  });
});

describe('S-49 password policy: common, context, breached', { timeout: 60_000 }, () => {
  it('the bundled deny-list is what its generator makes from @zxcvbn-ts/language-common', async () => {
    const { commonPasswords } = (await import(
      '../../../scripts/generate-common-passwords.mjs' as string
    )) as { commonPasswords: () => Promise<string[]> };
    assert.deepEqual([...COMMON_PASSWORDS], await commonPasswords());
  });

  it('the bundled deny-list: lower-case, 8+ code points, at least 3,000 entries', () => {
    assert.ok(COMMON_PASSWORDS.size >= 3000, String(COMMON_PASSWORDS.size));
    for (const entry of COMMON_PASSWORDS) {
      assert.equal(entry, entry.toLowerCase());
      assert.ok([...entry].length >= 8, entry);
    }
    for (const known of ['password', '12345678', 'qwertyuiop', 'iloveyou', 'trustno1']) {
      assert.ok(COMMON_PASSWORDS.has(known), known);
    }
  });

  it('refuses common passwords case-insensitively and after NFKC', async () => {
    for (const pw of [
      'password',
      'PASSWORD',
      'PassWord',
      'iloveyou',
      'Baseball',
      '１２３４５６７８',
      'ｐａｓｓｗｏｒｄ',
    ]) {
      assert.equal(await verdict(pw), 'common', pw);
    }
    assert.equal(await verdict('password', { denyList: false }), null);
    assert.equal(await verdict('Tessera-App', { extraDenyList: ['tessera-app'] }), 'common');
  });

  it('refuses the user’s context: email, its local part, names (case-insensitive)', async () => {
    const context = ['Alice.Smith@example.com', 'Alice Smith', 'Tessera'];
    assert.equal(await verdict('alice.smith123456789', { context }), 'contains_context');
    assert.equal(await verdict('xx ALICE.SMITH@EXAMPLE.COM', { context }), 'contains_context');
    assert.equal(await verdict('my tessera password', { context }), 'contains_context');
    assert.equal(await verdict('correct horse battery', { context }), null);
    // Words under 3 code points are not context (a name like "Al" would refuse too much).
    assert.equal(await verdict('always valid here', { context: ['Al'] }), null);
  });

  it('an isBreached hook refuses; it is asked only after the other rules, with the NFKC form', async () => {
    const asked: string[] = [];
    const isBreached = async (pw: string): Promise<boolean> => {
      asked.push(pw);
      return pw === 'breached password é';
    };
    assert.equal(await verdict('breached password e\u0301', { isBreached }), 'breached');
    assert.equal(await verdict('fine password here', { isBreached }), null);
    assert.equal(await verdict('short', { isBreached }), 'too_short');
    assert.equal(await verdict('password', { isBreached }), 'common');
    assert.deepEqual(asked, ['breached password é', 'fine password here']);
  });

  it('a failing isBreached allows by default (fail open) or rethrows with onBreachCheckError: throw', async () => {
    const isBreached = async (): Promise<boolean> => {
      throw new Error('range API down');
    };
    assert.equal(await verdict('fine password here', { isBreached }), null);
    await assert.rejects(
      checkPasswordPolicy('fine password here', { isBreached, onBreachCheckError: 'throw' }),
      /range API down/,
    );
  });

  it('messages state the reason and never contain the password', async () => {
    const secret = 'Zebra-Secret-Password-9';
    const cases: Array<[string, PasswordPolicyOptions]> = [
      [secret, { minLength: 30 }],
      [secret, { maxLength: 64, minLength: 8, extraDenyList: [secret] }],
      [secret, { context: ['zebra-secret'] }],
      [secret, { isBreached: async () => true }],
    ];
    for (const [pw, options] of cases) {
      const reason = await verdict(pw, options);
      assert.notEqual(reason, null);
    }
    await assert.rejects(checkPasswordPolicy(secret, { minLength: 30 }), (error: Error) => {
      assert.match(error.message, /at least 30 characters/);
      assert.ok(!error.message.toLowerCase().includes('zebra'));
      return true;
    });
  });
});

describe('S-49 password policy: trivially varied common passwords', { timeout: 60_000 }, () => {
  it('refuses the S-49 examples with a blocklist reason', async () => {
    for (const pw of ['passwordpassword', '123456789012345', 'qwertyuiopasdfgh']) {
      assert.equal(await verdict(pw, { minLength: 15 }), 'common', pw);
    }
    const context = ['alice@example.com'];
    assert.equal(await verdict('alice123456789', { context }), 'contains_context');
  });

  it('refuses a common password repeated or padded with digits or one repeated character', async () => {
    for (const pw of ['password1234567', 'PasswordPassword', 'iloveyou!!!!!!!', '0000password']) {
      assert.equal(await verdict(pw), 'common', pw);
    }
    assert.equal(await verdict('tessera-app2024', { extraDenyList: ['Tessera-App'] }), 'common');
    await assert.rejects(checkPasswordPolicy('password1234567'), /a few characters added/);
  });

  it('refuses sequences and short repeated units, keeps one repeated character (S-48)', async () => {
    for (const pw of ['123456789012345', '9876543210', 'abcdefghijklmnop', 'abababababababab']) {
      assert.equal(await verdict(pw), 'common', pw);
    }
    await assert.rejects(checkPasswordPolicy('abcdefghijklmnop'), /a sequence/);
    assert.equal(await verdict('aaaaaaaaaaaaaaa'), null);
  });

  it('refuses QWERTY keyboard walks', async () => {
    for (const pw of ['qwertyuiopasdfgh', '1qaz2wsx3edc', 'asdfghjkl;', 'ASDFGHJKL:']) {
      assert.equal(await verdict(pw), 'common', pw);
    }
    await assert.rejects(checkPasswordPolicy('qwertyuiopasdfgh'), /a keyboard pattern/);
  });

  it('accepts passphrases and random strings', async () => {
    for (const pw of ['correct horse battery staple', 'kq7#vzpmkq7#vzp', 'Tr0ub4dor&3xylophone']) {
      assert.equal(await verdict(pw, { minLength: 15 }), null, pw);
    }
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 15, maxLength: 64 }), async (pw) => {
        fc.pre([...pw.normalize('NFKC')].length >= 15 && [...pw.normalize('NFKC')].length <= 256);
        fc.pre(!pw.includes('\u0000')); // refused as `characters`, tested above
        assert.equal(await verdict(pw, { minLength: 15 }), null);
      }),
      { seed: 49, numRuns: 500 },
    );
  });
});
