import type { LoadInput } from '../../session/engine.js';

/**
 * How the adapters read a web-standard `Request`. `C` is what the client's address is
 * looked up from: the `Request` itself (`tesserajs/fetch`) or the framework's context.
 */
export interface RequestReading<C> {
  /** See `FetchSessionOptions.trustProxy`. */
  readonly trustProxy: boolean;
  /** Whether `trackDevices` is on: only then are user agent and address read. */
  readonly devices: boolean;
  /** The client's address from the runtime, if the application provides it. */
  readonly clientAddress: ((carrier: C) => string | undefined) | undefined;
}

/** Builds the engine's {@link LoadInput} from a `Request`. */
export function loadInput<C>(request: Request, reading: RequestReading<C>, carrier: C): LoadInput {
  const headers = request.headers;
  // `Request.url` is always absolute with a lower-case scheme, so a prefix test says
  // what `new URL(request.url).protocol === 'https:'` would, without parsing the URL.
  const secure =
    request.url.startsWith('https:') ||
    (reading.trustProxy && headers.get('x-forwarded-proto') === 'https');
  const cookieHeader = headers.get('cookie') ?? undefined;
  if (!reading.devices) return { cookieHeader, secure };
  const forwarded = reading.trustProxy ? headers.get('x-forwarded-for') : null;
  return {
    cookieHeader,
    secure,
    userAgent: headers.get('user-agent') ?? undefined,
    clientAddress:
      forwarded !== null ? forwarded.split(',')[0]!.trim() : reading.clientAddress?.(carrier),
  };
}
