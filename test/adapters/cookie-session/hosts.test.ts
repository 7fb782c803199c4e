/**
 * Beyond Express 5: the same comparison on Express 4, connect 3 and plain `node:http`
 * (no `req.protocol` there: HTTPS is read from the socket), so the drop-in behaves like
 * the original wherever cookie-session is mounted.
 */

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { after, describe, it } from 'node:test';
import cookieSession, {
  type CookieSessionMiddleware,
  type CookieSessionRequest,
} from '../../../src/adapters/cookie-session/index.js';
import { startServer } from '../../support/http.js';
import { Client, normalizeExpires, originalCookieSession, type Running } from './support.js';

const require = createRequire(import.meta.url);
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
type App = Handler & { use(middleware: unknown): void };
const express4 = require('express4') as () => App;
const connect = require('connect') as () => App;

/** The handler every host runs after the session middleware. */
const handler: Handler = (req, res) => {
  const { session } = req as IncomingMessage & CookieSessionRequest;
  if (req.url === '/count') session!.views = (session!.views ?? 0) + 1;
  if (req.url === '/null') (req as IncomingMessage & CookieSessionRequest).session = null;
  if (req.url === '/remember') {
    (req as IncomingMessage & CookieSessionRequest).sessionOptions.maxAge = 60_000;
    session!.remembered = true;
  }
  const current = (req as IncomingMessage & CookieSessionRequest).session;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ session: current ?? null, isNew: current?.isNew ?? null }));
};

function listen(listener: Handler): Promise<Running> {
  return startServer(listener);
}

type Host = (middleware: CookieSessionMiddleware) => Handler;
const HOSTS: ReadonlyArray<readonly [string, Host]> = [
  [
    'Express 4',
    (middleware) => {
      const app = express4();
      app.use(middleware);
      app.use(handler);
      return app;
    },
  ],
  [
    'connect 3',
    (middleware) => {
      const app = connect();
      app.use(middleware);
      app.use(handler);
      return app;
    },
  ],
  ['node:http', (middleware) => (req, res) => middleware(req, res, () => handler(req, res))],
];

const SCRIPT = ['/read', '/count', '/count', '/read', '/remember', '/null', '/read'];

describe('cookie-session drop-in on other hosts', { timeout: 60_000 }, () => {
  const servers: Running[] = [];
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  for (const [label, host] of HOSTS) {
    it(`${label}: same answers and Set-Cookie lines as the original`, async () => {
      const keys = [randomBytes(24).toString('base64')];
      const original = await listen(
        host(originalCookieSession({ keys }) as unknown as CookieSessionMiddleware),
      );
      const tessera = await listen(host(cookieSession({ keys, writeFormat: 'cookie-session' })));
      const sealed = await listen(host(cookieSession({ keys })));
      servers.push(original, tessera, sealed);
      const clients = [original, tessera, sealed].map((server) => new Client(server.url));
      for (const path of SCRIPT) {
        const [expected, actual, sealedAnswer] = await Promise.all(
          clients.map((client) => client.request('GET', path)),
        );
        const lines = (answer: typeof expected) =>
          answer!.setCookie.map((l) => normalizeExpires(l));
        assert.equal(actual!.body, expected!.body, path);
        assert.deepEqual(lines(actual), lines(expected), path);
        assert.equal(sealedAnswer!.body, expected!.body, path);
      }
      assert.ok(clients[0]!.jar.size === 0 && clients[2]!.jar.size === 0);
    });
  }
});
