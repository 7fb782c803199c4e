/**
 * Passwords that are only a trivial variation of a common one (S-49): NIST SP 800-63B
 * lets a verifier refuse "commonly-used, expected, or compromised values", and these are
 * what cracking tools try right after the plain list. None is a composition rule: each
 * refuses a specific guessable shape, and any other string of the right length passes.
 *
 * A single character repeated (`aaaaaaaaaaaaaaa`) is deliberately not refused: S-48 asks
 * that such policy-only rules be absent.
 */

/** Which trivial shape a password has. */
export type TrivialPattern = 'extended' | 'keyboard' | 'sequence';

/** QWERTY rows (unshifted, then shifted) and each row's horizontal offset in key widths. */
const ROWS: ReadonlyArray<readonly [string, string, number]> = [
  ['`1234567890-=', '~!@#$%^&*()_+', -1],
  ['qwertyuiop[]\\', 'QWERTYUIOP{}|', 0.5],
  ["asdfghjkl;'", 'ASDFGHJKL:"', 0.75],
  ['zxcvbnm,./', 'ZXCVBNM<>?', 1.25],
];

/** Key position of each character: row and horizontal centre. */
const KEYS: ReadonlyMap<string, readonly [number, number]> = (() => {
  const keys = new Map<string, readonly [number, number]>();
  ROWS.forEach(([plain, shifted, offset], row) => {
    for (const [i, key] of [...plain].entries()) keys.set(key, [row, offset + i]);
    for (const [i, key] of [...shifted].entries()) keys.set(key.toLowerCase(), [row, offset + i]);
  });
  return keys;
})();

/** Whether `a` and `b` are different, touching keys (same row or a row above/below). */
function adjacentKeys(a: string, b: string): boolean {
  const ka = KEYS.get(a);
  const kb = KEYS.get(b);
  if (ka === undefined || kb === undefined || a === b) return false;
  const rows = Math.abs(ka[0] - kb[0]);
  const dx = Math.abs(ka[1] - kb[1]);
  return (rows === 0 && dx === 1) || (rows === 1 && dx <= 1);
}

/**
 * The password is made only of keyboard walks of 3+ keys (`qwertyuiop` + `asdfgh`,
 * `1qaz` + `2wsx` + `3edc`). Pieces cannot span a step between non-touching keys, so
 * this holds exactly when every maximal walk has 3+ keys: one linear pass.
 */
function isKeyboardWalk(chars: readonly string[]): boolean {
  let run = 1;
  for (let i = 1; i <= chars.length; i++) {
    if (i < chars.length && adjacentKeys(chars[i - 1] as string, chars[i] as string)) {
      run++;
      continue;
    }
    if (run < 3) return false;
    run = 1;
  }
  return true;
}

/** Position of `c` in a cyclic alphabet (digits or a–z), or undefined. */
function cyclicPosition(c: string): readonly [string, number] | undefined {
  if (c >= '0' && c <= '9') return ['digit', c.charCodeAt(0) - 48];
  if (c >= 'a' && c <= 'z') return ['letter', c.charCodeAt(0) - 97];
  return undefined;
}

/** One ascending or descending run of digits or letters, wrapping (`…7890123…`). */
function isAlphabetRun(chars: readonly string[]): boolean {
  const first = cyclicPosition(chars[0] as string);
  if (first === undefined) return false;
  const size = first[0] === 'digit' ? 10 : 26;
  let step: number | undefined;
  let previous = first[1];
  for (let i = 1; i < chars.length; i++) {
    const here = cyclicPosition(chars[i] as string);
    if (here === undefined || here[0] !== first[0]) return false;
    const diff = (here[1] - previous + size) % size;
    const thisStep = diff === 1 ? 1 : diff === size - 1 ? -1 : 0;
    if (thisStep === 0 || (step !== undefined && thisStep !== step)) return false;
    step = thisStep;
    previous = here[1];
  }
  return true;
}

/** A unit of 2–4 characters repeated at least 4 times (`abababab…`), the last maybe cut. */
function isShortUnitRepeated(chars: readonly string[]): boolean {
  for (let unit = 2; unit <= 4; unit++) {
    if (chars.length < unit * 4) break;
    if (new Set(chars.slice(0, unit)).size === 1) continue;
    let repeats = true;
    for (let i = unit; i < chars.length && repeats; i++) repeats = chars[i] === chars[i - unit];
    if (repeats) return true;
  }
  return false;
}

/** Digits only, or one character repeated: what people append to a refused password. */
function isPadding(chars: readonly string[]): boolean {
  return chars.every((c) => c >= '0' && c <= '9') || chars.every((c) => c === chars[0]);
}

/**
 * A refused word repeated (`passwordpassword`), or followed or preceded only by digits or
 * one repeated character (`password1234567`, `iloveyou!!!!!!!`, `0000password`).
 */
function isExtendedWord(chars: readonly string[], isRefused: (word: string) => boolean): boolean {
  const n = chars.length;
  for (let cut = 1; cut < n; cut++) {
    const head = chars.slice(0, cut);
    const tail = chars.slice(cut);
    if (isPadding(tail) && isRefused(head.join(''))) return true;
    if (isPadding(head) && isRefused(tail.join(''))) return true;
  }
  for (let unit = 1; unit * 2 <= n; unit++) {
    let repeats = true;
    for (let i = unit; i < n && repeats; i++) repeats = chars[i] === chars[i - unit];
    if (repeats && isRefused(chars.slice(0, unit).join(''))) return true;
  }
  return false;
}

/**
 * The trivial shape of `folded` (NFKC, lower case), or null. `isRefused` says whether a
 * word is on the deny-lists. Quadratic at worst in the length, which is at most 256.
 */
export function trivialPattern(
  folded: string,
  isRefused: (word: string) => boolean,
): TrivialPattern | null {
  const chars = [...folded];
  if (chars.length < 2) return null;
  if (isExtendedWord(chars, isRefused)) return 'extended';
  if (isAlphabetRun(chars) || isShortUnitRepeated(chars)) return 'sequence';
  if (isKeyboardWalk(chars)) return 'keyboard';
  return null;
}
