/**
 * The side-by-side harness: one small Express 5 app, mounted once on the original
 * `cookie-session` and once on `tesserajs/cookie-session`, and a scripted client (fetch
 * over 127.0.0.1) with a cookie jar per server, so a script runs against both and the
 * answers can be compared.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import cookieSession, {
  type CookieSessionOptions,
  type CookieSessionRequest,
} from '../../../src/adapters/cookie-session/index.js';

const require = createRequire(import.meta.url);
/** The original package (CommonJS). */
export const originalCookieSession = require('cookie-session') as (
  options: CookieSessionOptions,
) => RequestListener & express.RequestHandler;

export type Implementation = 'original' | 'tessera';

/**
 * The request as both packages shape it. (This test program also loads express-session's
 * types, whose `req.session` wins the merge; an application has only one of them.)
 */
function cs(req: Request): CookieSessionRequest {
  return req as unknown as CookieSessionRequest;
}

/** The app: each route exercises one part of cookie-session's API. */
export function buildApp(middleware: express.RequestHandler, trustProxy = false): express.Express {
  const app = express();
  if (trustProxy) app.set('trust proxy', true);
  app.use(middleware);
  const view = (req: Request) => {
    const session = cs(req).session;
    if (session === null || session === undefined) return { session: null };
    return {
      session: { ...session },
      isNew: session.isNew,
      isChanged: session.isChanged,
      isPopulated: session.isPopulated,
      keys: Object.keys(session),
    };
  };
  app.get('/read', (req: Request, res: Response) => {
    res.json(view(req));
  });
  app.get('/untouched', (_req: Request, res: Response) => {
    res.send('ok');
  });
  app.post('/set', (req: Request, res: Response) => {
    for (const [key, value] of Object.entries(req.query)) cs(req).session![key] = value;
    res.json(view(req));
  });
  app.post('/count', (req: Request, res: Response) => {
    cs(req).session!.views = (cs(req).session!.views ?? 0) + 1;
    res.json(view(req));
  });
  app.post('/same', (req: Request, res: Response) => {
    // Assigning the value the session already holds is no change.
    cs(req).session!.views = cs(req).session!.views;
    res.json(view(req));
  });
  app.post('/null', (req: Request, res: Response) => {
    cs(req).session = null;
    res.json(view(req));
  });
  app.post('/replace', (req: Request, res: Response) => {
    cs(req).session = { replaced: true };
    res.json(view(req));
  });
  app.post('/empty', (req: Request, res: Response) => {
    cs(req).session = {};
    res.json(view(req));
  });
  app.post('/invalid', (req: Request, res: Response) => {
    try {
      cs(req).session = 5 as never;
      res.send('accepted');
    } catch (error) {
      res.status(400).send((error as Error).message);
    }
  });
  app.post('/remember', (req: Request, res: Response) => {
    cs(req).sessionOptions.maxAge = 60_000;
    cs(req).session!.remembered = true;
    res.json(view(req));
  });
  app.post('/app-cookie', (req: Request, res: Response) => {
    res.cookie('session', 'from-app');
    cs(req).session!.withAppCookie = true;
    res.json(view(req));
  });
  app.post('/write-head', (req: Request, res: Response) => {
    cs(req).session!.viaWriteHead = 1;
    res.writeHead(201, { 'content-type': 'text/plain' });
    res.end('created');
  });
  app.post('/cyclic', (req: Request, res: Response) => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    cs(req).session!.cyclic = cyclic;
    res.send('ok');
  });
  return app;
}

/** A started server. */
export interface Running {
  readonly url: string;
  close(): Promise<void>;
}

export async function listen(app: express.Express): Promise<Running> {
  const server: Server = createServer(app);
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

/** Starts the app on the given implementation with `options`. */
export function start(
  implementation: Implementation,
  options: CookieSessionOptions,
  trustProxy = false,
): Promise<Running> {
  const factory =
    implementation === 'original'
      ? originalCookieSession
      : (cookieSession as unknown as typeof originalCookieSession);
  return listen(buildApp(factory(options), trustProxy));
}

/** One answer, as the script compares it. */
export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly setCookie: string[];
}

/** A cookie jar and `fetch`, like a browser on one origin. */
export class Client {
  readonly jar = new Map<string, string>();
  constructor(readonly base: string) {}

  async request(
    method: string,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const cookie = [...this.jar].map(([n, v]) => `${n}=${v}`).join('; ');
    const response = await fetch(this.base + path, {
      method,
      headers: cookie === '' ? headers : { ...headers, cookie },
    });
    const body = await response.text();
    const setCookie = response.headers.getSetCookie();
    for (const line of setCookie) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      if (/expires=Thu, 01 Jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, pair.slice(eq + 1));
    }
    return { status: response.status, body, setCookie };
  }
}

/**
 * A `Set-Cookie` line with its `expires` date replaced by how far it lies after the
 * response, to the nearest 10 seconds, so lines minted a moment apart compare equal.
 */
export function normalizeExpires(line: string, responseAt = Date.now()): string {
  return line.replace(/expires=([^;]+)/i, (_, date: string) => {
    const at = Date.parse(date);
    if (at === 0) return 'expires=<epoch>';
    return `expires=<+${Math.round((at - responseAt) / 10_000) * 10}s>`;
  });
}

/** The attributes of a line (everything after `name=value`), for comparing formats. */
export function attributesOf(line: string): string {
  return normalizeExpires(line).split(';').slice(1).join(';');
}

/** The cookie name of a line. */
export function nameOf(line: string): string {
  return line.slice(0, line.indexOf('='));
}
