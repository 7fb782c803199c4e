/**
 * What the engine needs to know about a request beyond its cookies: whether it came over
 * HTTPS and from which address, under the configured proxy trust.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { LoadInput } from '../../index.js';

/** The properties Express adds to requests (absent under Connect). */
interface ExpressRequestFacts {
  readonly secure?: unknown;
  readonly ip?: unknown;
}

/** Builds the engine's `LoadInput` from a request. */
export type ReadRequest = (req: IncomingMessage) => LoadInput;

const encrypted = (req: IncomingMessage): boolean => (req.socket as TLSSocket).encrypted === true;

function firstForwardedFor(req: IncomingMessage): string | undefined {
  const forwarded = req.headers['x-forwarded-for'];
  return typeof forwarded === 'string' ? forwarded.split(',')[0]!.trim() : undefined;
}

/**
 * `trustProxy` undefined follows the host: Express computes `req.secure` and `req.ip`
 * from its `trust proxy` setting (and sub-apps may differ), so they are read per
 * request; where they are absent (Connect), the socket decides.
 *
 * User agent and address are read only when `trackDevices` records them: Express's
 * `req.ip` walks `X-Forwarded-For` through its trust function on every call.
 */
export function requestReader(trustProxy: boolean | undefined, trackDevices: boolean): ReadRequest {
  const secure =
    trustProxy === true
      ? (req: IncomingMessage) => encrypted(req) || req.headers['x-forwarded-proto'] === 'https'
      : trustProxy === false
        ? encrypted
        : (req: IncomingMessage) => {
            const { secure } = req as IncomingMessage & ExpressRequestFacts;
            return typeof secure === 'boolean' ? secure : encrypted(req);
          };
  if (!trackDevices) {
    return (req) => ({ cookieHeader: req.headers.cookie, secure: secure(req) });
  }
  const address =
    trustProxy === true
      ? (req: IncomingMessage) => firstForwardedFor(req) ?? req.socket.remoteAddress
      : trustProxy === false
        ? (req: IncomingMessage) => req.socket.remoteAddress
        : (req: IncomingMessage) => {
            const { ip } = req as IncomingMessage & ExpressRequestFacts;
            return typeof ip === 'string' ? ip : req.socket.remoteAddress;
          };
  return (req) => ({
    cookieHeader: req.headers.cookie,
    secure: secure(req),
    userAgent: req.headers['user-agent'],
    clientAddress: address(req),
  });
}
