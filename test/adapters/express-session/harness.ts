/**
 * Side by side: the same small Express 5 app on the original express-session and on
 * `tesserajs/express-session`, driven by the same scripted fetch client, so every
 * status, body and Set-Cookie line can be compared. Ids differ between the two (random),
 * so each client names the ids it sees in order of appearance (`#1`, `#2`, ...).
 */
import express from 'express';
import original from 'express-session';
import dropIn from '../../../src/adapters/express-session/index.js';
import { startServer } from '../../support/http.js';

// biome-ignore lint/suspicious/noExplicitAny: both factories take express-session's options.
export type Factory = (options: any) => express.RequestHandler;
export const ORIGINAL: Factory = original as unknown as Factory;
export const DROP_IN: Factory = dropIn as unknown as Factory;

// biome-ignore lint/suspicious/noExplicitAny: sessions of either implementation.
type AnySession = any;

function view(req: express.Request): Record<string, unknown> {
  const session = (req as { session?: AnySession }).session;
  const cookie = session?.cookie;
  return {
    sessionID: (req as { sessionID?: string }).sessionID ?? null,
    hasSession: session !== undefined && session !== null,
    idMatches: session ? session.id === (req as { sessionID?: string }).sessionID : null,
    views: session?.views ?? null,
    user: session?.user ?? null,
    cookie: cookie
      ? {
          originalMaxAge:
            typeof cookie.originalMaxAge === 'number'
              ? Math.round(cookie.originalMaxAge / 1000)
              : cookie.originalMaxAge,
          maxAge: typeof cookie.maxAge === 'number' ? 'number' : cookie.maxAge,
          expires: cookie.expires instanceof Date ? 'date' : (cookie.expires ?? null),
          httpOnly: cookie.httpOnly,
          secure: cookie.secure ?? null,
          path: cookie.path,
          domain: cookie.domain ?? null,
          sameSite: cookie.sameSite ?? null,
        }
      : null,
    keys: session ? Object.keys(session).sort() : null,
  };
}

/** The test app: one route per `req.session` feature. */
export function makeApp(
  factory: Factory,
  options: Record<string, unknown>,
  trustProxy = false,
): express.Express {
  const app = express();
  if (trustProxy) app.set('trust proxy', true);
  app.use(factory(options));
  const s = (req: express.Request): AnySession => (req as { session?: AnySession }).session;
  app.get('/', (req, res) => {
    res.json(view(req));
  });
  app.get(['/inc', '/private/inc'], (req, res) => {
    if (s(req)) s(req).views = (s(req).views ?? 0) + 1;
    res.json(view(req));
  });
  app.get('/max-age/:ms', (req, res) => {
    s(req).cookie.maxAge = Number(req.params.ms);
    s(req).views = (s(req).views ?? 0) + 1;
    res.json(view(req));
  });
  app.get('/regenerate', (req, res, next) => {
    s(req).regenerate((error: unknown) => {
      if (error) return next(error);
      s(req).views = 100;
      res.json(view(req));
    });
  });
  app.get('/destroy', (req, res, next) => {
    s(req).destroy((error: unknown) => {
      if (error) return next(error);
      res.json(view(req));
    });
  });
  app.get('/reload', (req, res) => {
    s(req).views = 999;
    s(req).reload((error: unknown) => {
      if (error) return res.status(409).json({ error: (error as Error).message });
      res.json(view(req));
    });
  });
  app.get('/save', (req, res, next) => {
    s(req).views = 7;
    s(req).save((error: unknown) => {
      if (error) return next(error);
      res.json(view(req));
    });
  });
  app.get('/touch', (req, res) => {
    s(req).touch();
    res.json(view(req));
  });
  app.get('/unset', (req, res) => {
    (req as { session?: unknown }).session = null;
    res.json({ unset: true });
  });
  app.get('/user', (req, res) => {
    s(req).user = { name: 'ada', roles: ['reader'] };
    res.json(view(req));
  });
  app.get('/promote', (req, res) => {
    s(req).user.roles.push('admin');
    res.json(view(req));
  });
  app.get('/write-head', (req, res) => {
    s(req).views = (s(req).views ?? 0) + 1;
    res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': 'other=1; Path=/' });
    res.end('written');
  });
  app.get('/stream', (req, res) => {
    s(req).views = 42;
    res.write('part;');
    res.end('end');
  });
  app.use(
    (error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ error: error.message });
    },
  );
  return app;
}

export interface Running {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1 (an ephemeral port) through the shared test server. */
export function listen(app: express.Express): Promise<Running> {
  return startServer(app);
}

export interface Exchange {
  readonly status: number;
  readonly body: unknown;
  readonly setCookie: string[];
}

/** A fetch client with a one-origin cookie jar that names the session ids it sees. */
export class Client {
  readonly jar = new Map<string, string>();
  readonly #aliases = new Map<string, string>();

  constructor(readonly base: string) {}

  alias(id: string): string {
    let name = this.#aliases.get(id);
    if (name === undefined) {
      name = `#${this.#aliases.size + 1}`;
      this.#aliases.set(id, name);
    }
    return name;
  }

  /** `Set-Cookie` with the signed id named and the date elided: comparable across apps. */
  normalize(line: string): string {
    const semi = line.indexOf(';');
    const pair = semi === -1 ? line : line.slice(0, semi);
    const rest = semi === -1 ? '' : line.slice(semi);
    const eq = pair.indexOf('=');
    const value = decodeURIComponent(pair.slice(eq + 1));
    const dot = value.lastIndexOf('.');
    const shown =
      value.startsWith('s:') && dot !== -1
        ? `s:${this.alias(value.slice(2, dot))}.<mac ${value.length - dot - 1}>`
        : value;
    return `${pair.slice(0, eq)}=${shown}${rest.replace(/Expires=[^;]+/, 'Expires=<date>')}`;
  }

  /** GET `path` on `base` (default: this client's), sending and keeping cookies. */
  async get(
    path: string,
    headers: Record<string, string> = {},
    base = this.base,
  ): Promise<Exchange> {
    const cookie = [...this.jar].map(([n, v]) => `${n}=${v}`).join('; ');
    const response = await fetch(base + path, {
      headers: cookie === '' ? headers : { ...headers, cookie },
    });
    const text = await response.text();
    const setCookie = response.headers.getSetCookie();
    for (const line of setCookie) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    if (
      body !== null &&
      typeof body === 'object' &&
      typeof (body as { sessionID?: unknown }).sessionID === 'string'
    ) {
      const b = body as { sessionID: string };
      body = { ...b, sessionID: this.alias(b.sessionID) };
    }
    return { status: response.status, body, setCookie: setCookie.map((l) => this.normalize(l)) };
  }
}

/** Runs `script` (paths, or [path, headers]) against `base`, one fresh client. */
export async function play(
  base: string,
  script: readonly (string | readonly [string, Record<string, string>])[],
): Promise<Array<Exchange & { path: string }>> {
  const client = new Client(base);
  const out: Array<Exchange & { path: string }> = [];
  for (const step of script) {
    const [path, headers] = typeof step === 'string' ? [step, {}] : step;
    out.push({ path, ...(await client.get(path, headers)) });
  }
  return out;
}
