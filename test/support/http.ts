/**
 * Real HTTP over loopback for tests: a node:http server on an ephemeral port and a
 * client with a minimal cookie jar (enough to play a browser for one host).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';

export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 with an ephemeral port. */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TestResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: IncomingMessage['headers'];
  /** Every `Set-Cookie` line, in order. */
  readonly setCookie: string[];
}

/** What {@link send} can send besides the URL. */
export interface SendOptions {
  method?: string;
  cookie?: string | string[];
  headers?: Record<string, string>;
  /** A request body, sent with its `Content-Length`. */
  body?: string;
}

/** Sends one request; `cookie` may be a string or several header lines. */
export function send(url: string, options: SendOptions = {}): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = { ...options.headers };
    if (options.cookie !== undefined) headers.cookie = options.cookie;
    const req = request(url, { method: options.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: res.headers,
          setCookie: res.headers['set-cookie'] ?? [],
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A browser-like cookie jar for one origin: applies Set-Cookie, renders Cookie. */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  apply(lines: readonly string[]): void {
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }

  /** Sends a request with this jar's cookies and applies the response's cookies. */
  async send(url: string, options: Omit<SendOptions, 'cookie'> = {}): Promise<TestResponse> {
    const cookie = this.header();
    const response = await send(url, cookie === undefined ? options : { ...options, cookie });
    this.apply(response.setCookie);
    return response;
  }
}

/** A fresh 256-bit secret, as applications should generate them. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** An injectable clock that tests move by hand. */
export class FakeClock {
  now = Date.UTC(2026, 0, 1);
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** Name and value of the first Set-Cookie line. */
export function firstCookie(lines: readonly string[]): { name: string; value: string } {
  const pair = (lines[0] ?? '').split(';')[0] ?? '';
  const eq = pair.indexOf('=');
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
}

/**
 * Sends a request byte for byte over a raw socket, for headers a well-behaved client
 * refuses to send (control characters). Returns the status code and body.
 */
export function sendRaw(
  url: string,
  rawHeaderLines: string[],
): Promise<{ status: number; body: string }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.end(
        Buffer.from(
          `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n${rawHeaderLines.join('\r\n')}\r\n\r\n`,
          'latin1',
        ),
      );
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}
