/**
 * The password policy for new passwords (sign-up, change, reset), after NIST SP
 * 800-63B: a length range counted in Unicode code points after NFKC normalization, no
 * composition rules ("one digit, one symbol"), a deny-list of common passwords, words
 * from the user's own context, and an optional breached-password check. Every refusal
 * says which rule failed (NIST requires a reason) and never repeats the password.
 *
 * Only new passwords are checked: signing in with a password that a later, stricter
 * policy would refuse still works.
 */
import { InvalidOptionsError, PasswordPolicyError } from '../../errors.js';
import { COMMON_PASSWORDS } from './common-passwords.js';
import { normalizePassword, UNHASHABLE_CHARACTERS } from './input.js';
import { trivialPattern } from './patterns.js';

/** Options of {@link checkPasswordPolicy}. */
export interface PasswordPolicyOptions {
  /**
   * Fewest code points. Never below 8 (ASVS 6.2.1). NIST SP 800-63B-4 asks for 15 when the
   * password is the only factor of sign-in: set 15 unless users also have MFA.
   * @default 8
   */
  readonly minLength?: number;
  /** Most code points, after NFKC; between 64 and 256. @default 256 */
  readonly maxLength?: number;
  /**
   * Words from the user's context that the password must not contain (case-insensitive):
   * the email address (its local part is added), user name, display name, app name.
   * Words shorter than 3 code points are ignored. @default []
   */
  readonly context?: readonly string[];
  /**
   * Refuse the bundled list of common passwords (case-insensitive). @default true
   */
  readonly denyList?: boolean;
  /** More passwords to refuse, e.g. the app's own name variants (case-insensitive). */
  readonly extraDenyList?: Iterable<string>;
  /**
   * Asks a breached-password service (e.g. Have I Been Pwned's k-anonymity range API)
   * whether the NFKC form of the password is known to attackers. Called last, only for
   * passwords every other rule accepts. @default undefined (no check)
   */
  readonly isBreached?: (password: string) => Promise<boolean>;
  /**
   * What a failing `isBreached` (network error, timeout) means: `'allow'` accepts the
   * password (fail open, sign-up keeps working during an outage); `'throw'` rejects with
   * the hook's error (fail closed). @default 'allow'
   */
  readonly onBreachCheckError?: 'allow' | 'throw';
}

const MIN_FLOOR = 8;
const MAX_CEILING = 256;
const MIN_CONTEXT = 3;

/** Why a trivially varied password is refused (NIST: state the reason). */
const PATTERN_MESSAGES = {
  extended: 'password is a common password with a few characters added',
  keyboard: 'password is a keyboard pattern',
  sequence: 'password is a sequence or a short repeated pattern',
} as const;

/** Number of Unicode code points in `text`. */
function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Lower-case NFKC form, for case-insensitive comparisons. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The context words to look for: each word, plus an email's local part. */
function contextWords(context: readonly string[]): string[] {
  const words: string[] = [];
  for (const raw of context) {
    if (typeof raw !== 'string') continue;
    const word = fold(raw.trim());
    words.push(word);
    const at = word.lastIndexOf('@');
    if (at > 0) words.push(word.slice(0, at));
  }
  return words.filter((word) => codePoints(word) >= MIN_CONTEXT);
}

function lengthOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidOptionsError(`password policy ${name} must be an integer in ${min}..${max}`);
  }
  return value;
}

/**
 * Resolves when `password` is acceptable as a new password; rejects with a
 * {@link PasswordPolicyError} whose `reason` is `characters`, `too_short`, `too_long`,
 * `common`, `contains_context` or `breached`, checked in that order. Invalid options reject with
 * `InvalidOptionsError`.
 */
export async function checkPasswordPolicy(
  password: string,
  options: PasswordPolicyOptions = {},
): Promise<void> {
  const min = lengthOption('minLength', options.minLength ?? MIN_FLOOR, MIN_FLOOR, MAX_CEILING);
  const max = lengthOption('maxLength', options.maxLength ?? MAX_CEILING, 64, MAX_CEILING);
  if (min > max) throw new InvalidOptionsError('password policy minLength exceeds maxLength');
  if (typeof password !== 'string') throw new TypeError('password must be a string');
  if (UNHASHABLE_CHARACTERS.test(password)) {
    throw new PasswordPolicyError(
      'characters',
      'password must not contain NUL characters or unpaired surrogates',
    );
  }

  const normalized = normalizePassword(password);
  const length = codePoints(normalized);
  if (length < min) {
    throw new PasswordPolicyError('too_short', `password must have at least ${min} characters`);
  }
  if (length > max) {
    throw new PasswordPolicyError('too_long', `password must have at most ${max} characters`);
  }
  const folded = normalized.toLowerCase();
  if (options.denyList !== false && COMMON_PASSWORDS.has(folded)) {
    throw new PasswordPolicyError('common', 'password is on a list of commonly used passwords');
  }
  if (options.extraDenyList !== undefined) {
    for (const entry of options.extraDenyList) {
      if (typeof entry === 'string' && fold(entry) === folded) {
        throw new PasswordPolicyError('common', 'password is on the list of refused passwords');
      }
    }
  }
  if (options.denyList !== false) {
    const extra = new Set<string>();
    for (const entry of options.extraDenyList ?? []) {
      if (typeof entry === 'string') extra.add(fold(entry));
    }
    const pattern = trivialPattern(folded, (word) => COMMON_PASSWORDS.has(word) || extra.has(word));
    if (pattern !== null) throw new PasswordPolicyError('common', PATTERN_MESSAGES[pattern]);
  }
  if (contextWords(options.context ?? []).some((word) => folded.includes(word))) {
    throw new PasswordPolicyError(
      'contains_context',
      'password must not contain your email address, name or the name of this site',
    );
  }
  if (options.isBreached !== undefined) {
    let breached: boolean;
    try {
      breached = await options.isBreached(normalized);
    } catch (error) {
      if (options.onBreachCheckError === 'throw') throw error;
      return;
    }
    if (breached) {
      throw new PasswordPolicyError(
        'breached',
        'password appears in a known data breach; choose another one',
      );
    }
  }
}
