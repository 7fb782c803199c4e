/**
 * The cross-origin guard for state-changing requests (S-37), from the headers browsers
 * set and pages cannot: `Sec-Fetch-Site` (every current browser, over HTTPS and on
 * localhost) and `Origin` (every current browser on every non-GET request). The same
 * decision as Go 1.25's `CrossOriginProtection`, with `same-site` refused by default
 * (a sibling subdomain is often less trusted than the application).
 */
import { InvalidOptionsError } from '../../errors.js';

/** What the guard reads from a request. Header values as received, `undefined` when absent. */
export interface OriginFacts {
  /** The request method, as sent (methods are case-sensitive). */
  readonly method: string;
  /** The `Origin` header. */
  readonly origin: string | undefined;
  /** The `Sec-Fetch-Site` header. */
  readonly secFetchSite: string | undefined;
  /** The `Host` header (never `X-Forwarded-Host`, S-36). */
  readonly host: string | undefined;
  /** Whether the request came over HTTPS (under the adapter's proxy trust). */
  readonly secure: boolean;
}

/** Options of {@link checkRequestOrigin}. */
export interface OriginCheckOptions {
  /**
   * Other origins allowed to send state-changing requests, exactly as browsers serialize
   * them (`https://admin.example`, `http://localhost:5173`: scheme, host, port if not the
   * default, no path). A listed origin passes whatever `Sec-Fetch-Site` says. Behind a
   * TLS-terminating proxy that does not tell the app the request was HTTPS, list the
   * public origin (`https://app.example`): the request's own origin is then computed
   * with `http:`.
   * @default [] (only the request's own origin)
   */
  readonly allowedOrigins?: readonly string[] | undefined;
}

/** The verdict: `'ok'`, or why the request is refused (see `CsrfReason`). */
export type OriginCheckResult =
  | 'ok'
  | 'cross-site'
  | 'same-site'
  | 'origin-mismatch'
  | 'null-origin';

/** Methods that must not change state (RFC 9110 §9.2.1) and are never refused. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const NO_ORIGINS: ReadonlySet<string> = new Set();

/** `GET`, `HEAD` and `OPTIONS`, exactly (methods are case-sensitive: `get` is not `GET`). */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

/**
 * Checks a list of allowed origins once, so a typo (`https://app.example/`, a path, a
 * wildcard) is an error at start-up rather than a 403 on every request.
 * @throws InvalidOptionsError naming the bad entry.
 */
function compileAllowedOrigins(origins: readonly string[] | undefined): ReadonlySet<string> {
  if (origins === undefined) return NO_ORIGINS;
  if (!Array.isArray(origins)) {
    throw new InvalidOptionsError('allowedOrigins must be an array of origins');
  }
  const set = new Set<string>();
  for (const origin of origins) {
    let serialized: string | null = null;
    try {
      serialized = typeof origin === 'string' ? new URL(origin).origin : null;
    } catch {
      serialized = null;
    }
    if (serialized === null || serialized === 'null' || serialized !== origin) {
      throw new InvalidOptionsError(
        `allowedOrigins: ${JSON.stringify(origin)} is not an origin as browsers send it (scheme://host[:port], lower case, no path or trailing slash${typeof serialized === 'string' && serialized !== 'null' ? `; did you mean ${serialized}?` : ''})`,
      );
    }
    set.add(origin);
  }
  return set;
}

/** The request's own origin as a browser would serialize it, or `null` for a bad `Host`. */
function ownOrigin(host: string | undefined, secure: boolean): string | null {
  if (host === undefined || host.length === 0 || /[/\\?#@\s]/.test(host)) return null;
  try {
    const origin = new URL(`${secure ? 'https' : 'http'}://${host}`).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * Whether a request may change state, judged by where the browser says it comes from:
 *
 * 1. `GET`, `HEAD` and `OPTIONS` pass (they must not change state: S-40);
 * 2. an `Origin` listed in `allowedOrigins` passes;
 * 3. `Sec-Fetch-Site: same-origin` or `none` (typed into the address bar) passes;
 *    `cross-site`, `same-site` and any other value are refused;
 * 4. without `Sec-Fetch-Site`: `Origin: null` is refused; an `Origin` must equal the
 *    request's own origin (scheme from `secure`, host and port from `Host`), exactly;
 * 5. with neither header the request is not from a current browser (a server-to-server
 *    call, `curl`, a very old browser) and passes: the CSRF token still guards forms.
 *
 * ```ts
 * checkRequestOrigin({ method: 'POST', origin: 'https://evil.example', secFetchSite: 'cross-site',
 *   host: 'app.example', secure: true }); // 'cross-site'
 * ```
 * @throws InvalidOptionsError when an entry of `allowedOrigins` is not an origin.
 */
export function checkRequestOrigin(
  facts: OriginFacts,
  options?: OriginCheckOptions,
): OriginCheckResult {
  return judge(facts, compileAllowedOrigins(options?.allowedOrigins));
}

/**
 * {@link checkRequestOrigin} with its options checked once, for middleware.
 * @throws InvalidOptionsError when an entry of `allowedOrigins` is not an origin.
 */
export function originGuard(
  options?: OriginCheckOptions,
): (facts: OriginFacts) => OriginCheckResult {
  const allowed = compileAllowedOrigins(options?.allowedOrigins);
  return (facts) => judge(facts, allowed);
}

function judge(facts: OriginFacts, allowedOrigins: ReadonlySet<string>): OriginCheckResult {
  if (isSafeMethod(facts.method)) return 'ok';
  const { origin, secFetchSite } = facts;
  if (origin !== undefined && allowedOrigins.has(origin)) return 'ok';
  if (secFetchSite !== undefined) {
    if (secFetchSite === 'same-origin' || secFetchSite === 'none') return 'ok';
    return secFetchSite === 'same-site' ? 'same-site' : 'cross-site';
  }
  if (origin === undefined) return 'ok';
  if (origin === 'null') return 'null-origin';
  return origin === ownOrigin(facts.host, facts.secure) ? 'ok' : 'origin-mismatch';
}
