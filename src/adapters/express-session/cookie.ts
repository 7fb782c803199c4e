/**
 * `req.session.cookie`, with express-session's fields, accessors and JSON form, so the
 * records it writes are the records express-session writes (and reads back).
 */
import { serialize } from 'cookie';

/** The cookie options of the drop-in, as express-session names them. */
export interface CookieOptions {
  /** Milliseconds until the cookie expires, or `null` for a browser-session cookie. @default null */
  maxAge?: number | null | undefined;
  /** An absolute expiry instead of `maxAge` (the later of the two set wins). @default unset */
  expires?: Date | null | undefined;
  /** @default '/' */
  path?: string | undefined;
  /** @default unset (host-only cookie) */
  domain?: string | undefined;
  /** @default true */
  httpOnly?: boolean | undefined;
  /**
   * `true`, `false`, or `'auto'` (Secure when the request is HTTPS, see `proxy`).
   * A Secure session is not sent over plain HTTP at all.
   * @default unset (not Secure; Tessera's native adapters default to Secure)
   */
  secure?: boolean | 'auto' | undefined;
  /** `true` (= Strict), `'lax'`, `'strict'`, `'none'`, or `'auto'` (None over HTTPS, else Lax). @default unset */
  sameSite?: boolean | 'lax' | 'strict' | 'none' | 'auto' | undefined;
  /** CHIPS `Partitioned` attribute. @default unset */
  partitioned?: boolean | undefined;
  /** `Priority` attribute (Chrome). @default unset */
  priority?: 'low' | 'medium' | 'high' | undefined;
}

/** What is written to the store and serialized into `Set-Cookie`. */
export interface CookieData {
  originalMaxAge: number | null | undefined;
  partitioned: boolean | undefined;
  priority: 'low' | 'medium' | 'high' | undefined;
  expires: Date | null | undefined;
  secure: boolean | undefined;
  httpOnly: boolean | undefined;
  domain: string | undefined;
  path: string | undefined;
  sameSite: boolean | 'lax' | 'strict' | 'none' | undefined;
}

/** The session cookie. `maxAge` counts down from `expires`; `touch()` resets it. */
export class Cookie {
  declare path: string | undefined;
  declare domain: string | undefined;
  declare httpOnly: boolean | undefined;
  declare secure: boolean | undefined;
  declare sameSite: boolean | 'lax' | 'strict' | 'none' | undefined;
  declare partitioned: boolean | undefined;
  declare priority: 'low' | 'medium' | 'high' | undefined;
  /** The `maxAge` the cookie was given, restored by `session.touch()`. */
  declare originalMaxAge: number | null | undefined;
  declare _expires: Date | null | undefined;

  constructor(options?: CookieOptions | Record<string, unknown>) {
    this.path = '/';
    this.maxAge = null;
    this.httpOnly = true;
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object') throw new TypeError('argument options must be a object');
      // Assignment in key order runs the maxAge/expires setters as express-session does.
      for (const key of Object.keys(options)) {
        if (key !== 'data' && key !== '__proto__') {
          (this as unknown as Record<string, unknown>)[key] = (options as Record<string, unknown>)[
            key
          ];
        }
      }
    }
    if (this.originalMaxAge === undefined || this.originalMaxAge === null) {
      this.originalMaxAge = this.maxAge;
    }
  }

  set expires(date: Date | null | undefined) {
    this._expires = date;
    this.originalMaxAge = this.maxAge;
  }

  get expires(): Date | null | undefined {
    return this._expires;
  }

  set maxAge(ms: number | Date | null | undefined) {
    if (ms && typeof ms !== 'number' && !(ms instanceof Date)) {
      throw new TypeError('maxAge must be a number or Date');
    }
    this.expires = typeof ms === 'number' ? new Date(Date.now() + ms) : ms;
  }

  /** Milliseconds left until `expires`, or `null`/`undefined` for a browser-session cookie. */
  get maxAge(): number | null | undefined {
    const expires = this._expires;
    return expires instanceof Date ? expires.valueOf() - Date.now() : (expires as null | undefined);
  }

  /** The attributes, as stored in the record's `cookie` field. */
  get data(): CookieData {
    return {
      originalMaxAge: this.originalMaxAge,
      partitioned: this.partitioned,
      priority: this.priority,
      expires: this._expires,
      secure: this.secure,
      httpOnly: this.httpOnly,
      domain: this.domain,
      path: this.path,
      sameSite: this.sameSite,
    };
  }

  /** The `Set-Cookie` value for `name=value` with these attributes. */
  serialize(name: string, value: string): string {
    return serializeCookie(name, value, this.data);
  }

  toJSON(): CookieData {
    return this.data;
  }
}

/** `Set-Cookie` in express-session's attribute order (that of the `cookie` package). */
export function serializeCookie(name: string, value: string, data: CookieData): string {
  const options: Parameters<typeof serialize>[2] = {};
  if (data.domain !== undefined) options.domain = data.domain;
  if (data.path !== undefined) options.path = data.path;
  if (data.expires instanceof Date) options.expires = data.expires;
  if (data.httpOnly) options.httpOnly = true;
  if (data.secure) options.secure = true;
  if (data.partitioned) options.partitioned = true;
  if (data.priority !== undefined) options.priority = data.priority;
  if (data.sameSite !== undefined && data.sameSite !== false) options.sameSite = data.sameSite;
  return serialize(name, value, options);
}
