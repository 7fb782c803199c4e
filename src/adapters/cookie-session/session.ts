/**
 * The `req.session` object, shaped like cookie-session's: the application's data as own
 * enumerable properties (so `JSON.stringify(req.session)` is the data), and `isNew`,
 * `isChanged`, `isPopulated` as non-enumerable getters on the prototype.
 */
import { encodeLegacy } from './data.js';

/** See the constructor's `loaded`. */
export const COMPUTED: unique symbol = Symbol('computed');

/**
 * The type of `req.session`, exactly as `@types/cookie-session` declares it (so code
 * written against it keeps compiling, and the type merges with other session types on
 * Express's request): any property is session data; the three flags are always present
 * at run time.
 */
export interface CookieSessionObject {
  /** True when the data differs from what was read (always true for a new session). */
  isChanged?: boolean | undefined;
  /** True when this request created the session (no valid cookie, or `req.session = {...}`). */
  isNew?: boolean | undefined;
  /** True when the session holds at least one property. */
  isPopulated?: boolean | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: cookie-session types its data as `any`; users switching imports must keep compiling.
  [propertyName: string]: any;
}

/**
 * The session of one request. Any property the application sets is session data; values
 * must survive `JSON.stringify` (as with cookie-session).
 */
export class CookieSession implements CookieSessionObject {
  // Private, so neither `Object.keys` nor JSON ever sees it.
  readonly #isNew: boolean;
  /** cookie-session's value for the loaded data (base64 JSON), compared by `isChanged`. */
  readonly #loaded: string | undefined;

  /** Data the application may set: any JSON value under any name. */
  // biome-ignore lint/suspicious/noExplicitAny: cookie-session types its data as `any`; users switching imports must keep compiling.
  [key: string]: any;

  /**
   * @param data - properties to copy; names the session object already has (`isNew`,
   * `toString`, ...) are skipped, as cookie-session does.
   * @param loaded - for a session read from a cookie: the cookie-session value that was
   * read, or {@link COMPUTED} for data read from a sealed cookie (then the value is what
   * cookie-session would have stored for it). Omitted for a new session.
   */
  constructor(data: object | undefined, loaded?: string | typeof COMPUTED) {
    this.#isNew = loaded === undefined;
    if (data !== undefined) {
      // for...in like cookie-session: inherited enumerable properties are copied too.
      for (const key in data) {
        if (!(key in this)) this[key] = (data as Record<string, unknown>)[key];
      }
    }
    this.#loaded = loaded === COMPUTED ? encodeLegacy(JSON.stringify(this)) : loaded;
  }

  /** True when this request created the session (no valid cookie, or `req.session = {...}`). */
  get isNew(): boolean {
    return this.#isNew;
  }

  /** True when the data differs from what was read (always true for a new session). */
  get isChanged(): boolean {
    return this.#isNew || this.#loaded !== encodeLegacy(JSON.stringify(this));
  }

  /** True when the session holds at least one property. */
  get isPopulated(): boolean {
    return Object.keys(this).length > 0;
  }
}
