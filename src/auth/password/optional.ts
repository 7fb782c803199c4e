/**
 * Lazy loading of the optional hashing packages (`@node-rs/argon2`, `bcryptjs`): each is
 * imported on first use, so Tessera installs and runs without them and an application
 * pays for neither unless it hashes with argon2id or verifies bcrypt hashes. The
 * specifiers are literal so bundlers see them and can include them.
 */
import { NotSupportedError } from '../../errors.js';

/** What Tessera uses of `@node-rs/argon2` (structural: its types stay out of ours). */
export interface Argon2Module {
  hash(password: Uint8Array, options: object): Promise<string>;
  verify(hashed: string, password: Uint8Array): Promise<boolean>;
}

/** What Tessera uses of `bcryptjs`. */
export interface BcryptModule {
  compare(password: string, hash: string): Promise<boolean>;
}

type Loaded<T> = T & { readonly default?: T };

/** The module's own exports, whether loaded as ESM or through esbuild's CommonJS interop. */
function exportsOf<T extends object>(mod: Loaded<T>, name: keyof T): T | null {
  if (typeof mod[name] === 'function') return mod;
  const inner = mod.default;
  return inner !== undefined && typeof inner[name] === 'function' ? inner : null;
}

let argon2: Promise<Argon2Module | null> | undefined;
let bcrypt: Promise<BcryptModule | null> | undefined;

/** `@node-rs/argon2`, or null when it is not installed (or has no binary for this platform). */
export function loadArgon2(): Promise<Argon2Module | null> {
  argon2 ??= import('@node-rs/argon2').then(
    (mod) => exportsOf(mod as unknown as Loaded<Argon2Module>, 'hash'),
    () => null,
  );
  return argon2;
}

/** `bcryptjs`, or null when it is not installed. */
export function loadBcrypt(): Promise<BcryptModule | null> {
  bcrypt ??= import('bcryptjs').then(
    (mod) => exportsOf(mod as unknown as Loaded<BcryptModule>, 'compare'),
    () => null,
  );
  return bcrypt;
}

/** The error for a hashing package that is required by the options but missing. */
export function missingPackage(name: string, hint: string): NotSupportedError {
  return new NotSupportedError(`${name} is not installed (npm install ${name}); ${hint}`);
}
