/**
 * The whole CSRF decision for one request, framework-neutral: the origin guard on every
 * state-changing request (S-37), and the token on every request a cross-site HTML form
 * could have sent (S-38). The adapters' `csrfProtection` only gather the facts.
 */
import { CsrfError, type CsrfReason, InvalidOptionsError, isCsrfError } from '../../errors.js';
import type { Session } from '../../session/session.js';
import { isSafeMethod, type OriginCheckOptions, type OriginFacts, originGuard } from './origin.js';
import type { Csrf } from './token.js';
import './events.js';

/** The form field and the header a token travels in (never the URL, never only a cookie). */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Options of every adapter's `csrfProtection`. */
export interface CsrfProtectionOptions extends OriginCheckOptions {
  /** The token functions, from `createCsrf({ engine })`. */
  readonly csrf: Csrf;
}

/** What the decision reads from a request. */
export interface CsrfRequestFacts extends OriginFacts {
  /** The `Content-Type` header. */
  readonly contentType: string | undefined;
  /** The token from the `x-csrf-token` header, if sent. */
  readonly headerToken: unknown;
  /**
   * The token from the parsed body's `_csrf` field, if any (an array when the field was
   * repeated: refused). Read it only from a form body, never from the query string.
   */
  readonly bodyToken: unknown;
}

/** Media types an HTML form (or `fetch` without a preflight) can send cross-site. */
const FORM_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);
const MEDIA_TYPE = /^[a-z0-9!#$%&'*+.^_`|~-]+\/[a-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * Whether a request with this `Content-Type` needs a token: the types a cross-site form
 * can send (compared case-insensitively, parameters ignored: S-39), no type at all, and
 * anything that is not a plain media type. Other types (`application/json`) cannot be
 * sent cross-site without a CORS preflight, so the origin guard alone covers them.
 */
export function needsToken(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const semicolon = contentType.indexOf(';');
  const essence = (semicolon === -1 ? contentType : contentType.slice(0, semicolon))
    .trim()
    .toLowerCase();
  return FORM_TYPES.has(essence) || !MEDIA_TYPE.test(essence);
}

/** Whether a form body's type is one the adapters parse for the `_csrf` field. */
export function isParsedFormType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const essence = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return essence === 'application/x-www-form-urlencoded' || essence === 'multipart/form-data';
}

/** The check the adapters run, from {@link csrfCheck}. */
export interface CsrfGuard {
  /**
   * Throws {@link CsrfError} (answered 403) for a request that fails, returns for one
   * that passes. Safe methods always pass.
   */
  (facts: CsrfRequestFacts, session: Session<object>): void;
  /**
   * The origin part alone, for adapters that must read the body to find the token:
   * refusing a cross-site request before its body is parsed. `session`, when given,
   * names the user in the `csrf.rejected` event.
   */
  origin(facts: OriginFacts, session?: Session<object>): void;
}

/**
 * Builds the check the adapters run. Every refusal emits one `csrf.rejected` event
 * (S-58) through the kernel of `csrf`, whichever adapter asked.
 * @throws InvalidOptionsError for a bad `allowedOrigins` entry or a missing `csrf`.
 */
export function csrfCheck(options: CsrfProtectionOptions): CsrfGuard {
  const csrf = options?.csrf;
  if (csrf === undefined || typeof csrf.verify !== 'function') {
    throw new InvalidOptionsError('csrfProtection needs { csrf } from createCsrf({ engine })');
  }
  const guard = originGuard(options);
  const kernel = csrf.kernel;
  const report = (reason: CsrfReason, method: string, session: Session<object> | undefined) => {
    if (kernel?.events.active !== true) return;
    const id = session?.id;
    kernel.events.emit({
      type: 'csrf.rejected',
      reason,
      method: String(method).toUpperCase(),
      userId: session?.userId ?? null,
      sessionRef: id === undefined ? null : kernel.sessionRef(id),
    });
  };
  const origin = (facts: OriginFacts, session?: Session<object>): void => {
    const verdict = guard(facts);
    if (verdict === 'ok') return;
    report(verdict, facts.method, session);
    throw new CsrfError(verdict);
  };
  const check = ((facts, session) => {
    origin(facts, session);
    if (isSafeMethod(facts.method) || !needsToken(facts.contentType)) return;
    try {
      csrf.assert(session, facts.headerToken ?? facts.bodyToken);
    } catch (error) {
      if (isCsrfError(error)) report(error.reason, facts.method, session);
      throw error;
    }
  }) as CsrfGuard;
  check.origin = origin;
  return check;
}
