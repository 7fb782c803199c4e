import type { IncomingMessage } from 'node:http';
import { InvalidOptionsError } from '../../errors.js';
import type { DefaultSessionData, SessionOptions } from '../../index.js';

/** Options of `expressSessions`: the session options plus request handling. */
export interface ExpressSessionOptions<T extends object = DefaultSessionData>
  extends SessionOptions<T> {
  /**
   * Whether to believe `X-Forwarded-Proto` and `X-Forwarded-For` for "is this request
   * HTTPS" and the client's address. It matters only for `cookie.secure: 'auto'` outside
   * production (in production cookies are always Secure) and for the address
   * `trackDevices` records.
   *
   * - `true`: `X-Forwarded-Proto: https` means HTTPS and the first `X-Forwarded-For`
   *   address is the client's. Only behind a proxy you control that overwrites both
   *   headers (S-36).
   * - `false`: the socket alone decides, whatever Express is configured to trust.
   * - omitted: under Express, follow Express's own `trust proxy` setting through
   *   `req.secure` and `req.ip`; under Connect (or plain `node:http`), the socket alone.
   * @default Express's `app.get('trust proxy')` where present, else `false`
   */
  trustProxy?: boolean;
  /**
   * Called with errors Tessera turned into a 500 or 503 response itself, at commit time
   * (a store write that failed, a session too large for its cookies, data that is not
   * JSON). Errors while loading are not reported here: they go to `next(err)`, where
   * the application's error handlers (or Express's default one) see them. Messages
   * carry no secrets.
   * @default logs code, message and cause chain to `console.error`
   */
  onError?: (error: unknown, req: IncomingMessage) => void;
}

/** Refuses adapter options of the wrong type at start-up, naming the option. */
export function checkExpressOptions(options: ExpressSessionOptions<object>): void {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionsError('session options are required (at least `secrets`)');
  }
  const { trustProxy, onError } = options as { trustProxy?: unknown; onError?: unknown };
  if (trustProxy !== undefined && typeof trustProxy !== 'boolean') {
    throw new InvalidOptionsError(
      'trustProxy must be true, false or omitted (omitted follows Express\'s "trust proxy")',
    );
  }
  if (onError !== undefined && typeof onError !== 'function') {
    throw new InvalidOptionsError('onError must be a function');
  }
}
