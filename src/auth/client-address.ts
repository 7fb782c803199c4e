/**
 * The client's address for throttling (S-36): from the socket, unless the application
 * says which proxies in front of it may be believed about `X-Forwarded-For`. Pure
 * strings in, a canonical address out, so every adapter can use it; hostile headers
 * (garbage, huge, thousands of entries, brackets and ports) never throw.
 */
import { InvalidOptionsError } from '../errors.js';
import { formatIp, type IpAddress, type IpRange, inRange, parseIp, parseRange } from './ip.js';

/** What an adapter knows about the request, as strings straight from it. */
export interface ClientAddressFacts {
  /** The socket's peer address (`req.socket.remoteAddress`); `undefined` on a Unix socket. */
  readonly remoteAddress: string | undefined;
  /**
   * The `X-Forwarded-For` header: one string (Node joins repeated headers with `, `),
   * a list of its lines, or `undefined` when absent.
   */
  readonly forwardedFor?: string | readonly string[] | undefined;
}

/** Names for well-known ranges, as in Express's `trust proxy`. */
export type NamedRange = 'loopback' | 'linklocal' | 'uniquelocal';

const NAMED_RANGES: Readonly<Record<NamedRange, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * Which proxies to believe about `X-Forwarded-For`.
 *
 * - `false` (default): none; the socket's peer is the client. Right when clients connect
 *   directly, and safe everywhere else (every client behind the proxy then shares the
 *   proxy's address, which throttles too much rather than too little).
 * - `true`: everything; the leftmost address of the header. Only behind a proxy that
 *   replaces (not appends to) the header, since any client can write it.
 * - a number `n`: exactly `n` proxies in front of the app, each appending the address it
 *   saw; the client is the `n`th address from the right.
 * - a list of proxy addresses, CIDR ranges (`10.0.0.0/8`, `fd00::/8`) or the names
 *   `loopback`, `linklocal`, `uniquelocal`: the header is read from the right, skipping
 *   trusted proxies; the first address that is not one is the client.
 */
export type TrustProxy = boolean | number | readonly string[];

/** Options of {@link clientAddress}. */
export interface ClientAddressOptions {
  /** See {@link TrustProxy}. @default false */
  readonly trustProxy?: TrustProxy | undefined;
}

/** More of a header than any real proxy chain writes: the rest is the client's own text. */
const MAX_HEADER_CHARS = 16_384;

/**
 * The header as one text, keeping its right end when it is too long: entries are read
 * from the right, where the trusted proxies wrote, and a cut-off first entry is dropped.
 */
function headerText(value: string | readonly string[] | undefined): string {
  let text = '';
  if (typeof value === 'string') {
    text = value;
  } else if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0 && text.length <= MAX_HEADER_CHARS; i--) {
      const line: unknown = value[i];
      if (typeof line === 'string') text = text === '' ? line : `${line},${text}`;
    }
  }
  if (text.length <= MAX_HEADER_CHARS) return text;
  const tail = text.slice(-MAX_HEADER_CHARS);
  const comma = tail.indexOf(',');
  return comma < 0 ? '' : tail.slice(comma + 1);
}

/**
 * The header's entries, nearest proxy first (right to left); an entry that is not an
 * address is `null`, since only the client itself can have written it.
 */
function hopsFromRight(value: string | readonly string[] | undefined): (IpAddress | null)[] {
  const text = headerText(value);
  if (text.trim() === '') return [];
  return text
    .split(',')
    .reverse()
    .map((entry) => parseIp(entry));
}

function trustedRanges(list: readonly string[]): readonly IpRange[] {
  const ranges: IpRange[] = [];
  for (const item of list) {
    const named = typeof item === 'string' ? NAMED_RANGES[item as NamedRange] : undefined;
    for (const text of named ?? [item]) {
      const range = parseRange(text);
      if (range === null) {
        throw new InvalidOptionsError(
          `trustProxy: ${JSON.stringify(String(text)).slice(0, 60)} is not an address, a CIDR range or one of ${Object.keys(NAMED_RANGES).join(', ')}`,
        );
      }
      ranges.push(range);
    }
  }
  return ranges;
}

/** Checks a {@link TrustProxy} value, returning the ranges of a list. */
function resolveTrust(trustProxy: TrustProxy | undefined): boolean | number | readonly IpRange[] {
  if (trustProxy === undefined || typeof trustProxy === 'boolean') return trustProxy ?? false;
  if (typeof trustProxy === 'number') {
    if (!Number.isSafeInteger(trustProxy) || trustProxy < 0) {
      throw new InvalidOptionsError('trustProxy: a number of proxies must be an integer >= 0');
    }
    return trustProxy;
  }
  if (Array.isArray(trustProxy)) return trustedRanges(trustProxy);
  throw new InvalidOptionsError(
    'trustProxy must be false, true, a number of proxies, or a list of proxy addresses and CIDR ranges',
  );
}

/** Picks the client from the socket peer and the header, nearest first. */
function pick(
  peer: IpAddress,
  hops: readonly (IpAddress | null)[],
  trust: boolean | number | readonly IpRange[],
): IpAddress {
  if (trust === false || trust === 0) return peer;
  if (trust === true) {
    for (let i = hops.length - 1; i >= 0; i--) if (hops[i]) return hops[i]!;
    return peer;
  }
  let client = peer;
  if (typeof trust === 'number') {
    // Each trusted proxy appended one entry; an entry that is not an address was not
    // written by one, so the walk stops at the last real address before it.
    for (let i = 0; i < Math.min(trust, hops.length); i++) {
      const hop = hops[i];
      if (!hop) break;
      client = hop;
    }
    return client;
  }
  const ranges = trust as readonly IpRange[];
  const trusted = (ip: IpAddress): boolean => ranges.some((range) => inRange(ip, range));
  for (const hop of hops) {
    if (!trusted(client) || !hop) break;
    client = hop;
  }
  return client;
}

/**
 * Makes the client-address function for `options`, validating them once: call it per
 * request with the adapter's facts. Returns the canonical address (`1.2.3.4`,
 * `2001:db8::1`; IPv4-mapped IPv6 as IPv4), or `undefined` when the socket has none
 * (a Unix socket) or it is unreadable.
 *
 * @throws {InvalidOptionsError} when `trustProxy` is not one of the {@link TrustProxy} forms.
 */
export function clientAddressFrom(
  options: ClientAddressOptions = {},
): (facts: ClientAddressFacts) => string | undefined {
  const trust = resolveTrust(options.trustProxy);
  return (facts) => {
    const peer = parseIp(facts?.remoteAddress as string);
    if (peer === null) return undefined;
    const hops = trust === false || trust === 0 ? [] : hopsFromRight(facts.forwardedFor);
    return formatIp(pick(peer, hops, trust));
  };
}

/**
 * The client's address for one request (see {@link clientAddressFrom}, which validates
 * the options once for many requests).
 *
 * ```ts
 * import { clientAddress } from 'tesserajs/auth';
 * // Behind one load balancer that appends to X-Forwarded-For:
 * const address = clientAddress(
 *   { remoteAddress: '10.0.0.7', forwardedFor: '198.51.100.23, 203.0.113.9' },
 *   { trustProxy: 1 },
 * ); // '203.0.113.9'
 * ```
 */
export function clientAddress(
  facts: ClientAddressFacts,
  options: ClientAddressOptions = {},
): string | undefined {
  return clientAddressFrom(options)(facts);
}
