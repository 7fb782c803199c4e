/**
 * Tessera on Hono: a visit counter with a sign-in stub, served by `@hono/node-server`.
 * Run it with `npm run example:hono` and open http://localhost:3000.
 *
 * - `GET /` counts visits and shows who is signed in;
 * - `POST /login` (form field `name`; no password, this is a stub) regenerates the
 *   session id, as every sign-in must, then records the user in the session;
 * - `POST /logout` destroys the session (the cookie is expired, the record deleted).
 *
 * Environment:
 *   PORT            port to listen on (default 3000; 0 picks a free one)
 *   HOST            address to listen on (default localhost)
 *   SESSION_SECRET  32+ random bytes as base64url/hex; without it a random secret is made
 *                   for this run (sessions then end when the process restarts)
 *   SESSION_MODE    `memory` (default: store mode, in memory) or `cookie` (data sealed in
 *                   the cookie, nothing on the server)
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { honoSessions, type SessionEnv } from '../../src/adapters/hono/index.js';
import { MemoryStore } from '../../src/stores/memory/index.js';

interface AppSession {
  visits: number;
  user: string;
}

const mode = process.env.SESSION_MODE ?? 'memory';
if (mode !== 'memory' && mode !== 'cookie')
  throw new Error('SESSION_MODE must be memory or cookie');
let secret = process.env.SESSION_SECRET;
if (secret === undefined) {
  secret = randomBytes(32).toString('base64url');
  console.warn('SESSION_SECRET is not set: using a random secret for this run only.');
}

const sessions = honoSessions<AppSession>({
  secrets: [secret],
  ...(mode === 'memory' ? { store: new MemoryStore() } : {}),
  onEvent: (event) =>
    console.log(`[session] ${event.type}${'reason' in event ? ` (${event.reason})` : ''}`),
});

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const app = new Hono<SessionEnv<AppSession>>();
// Sign-out must work while the store is down: that route gets a read-only guest instead
// of a 503 (registered first: the first session middleware that runs loads the session).
app.use('/logout', sessions.with({ onStoreError: 'guest' }));
app.use(sessions);

app.get('/', (c) => {
  const session = c.get('session');
  session.data.visits = (session.data.visits ?? 0) + 1;
  const user = session.data.user;
  const account =
    user === undefined
      ? `<form method="post" action="/login"><input name="name" placeholder="your name" required> <button>Sign in</button></form>`
      : `<p>Signed in as <b>${escapeHtml(user)}</b>.</p><form method="post" action="/logout"><button>Sign out</button></form>`;
  return c.html(`<!doctype html>
<title>Tessera on Hono</title>
<h1>Visit number ${session.data.visits}</h1>
<p>Mode: <b>${mode}</b>.</p>
${account}`);
});

app.post('/login', async (c) => {
  const form = await c.req.parseBody();
  const name = typeof form.name === 'string' ? form.name.trim().slice(0, 64) : '';
  if (name === '') return c.text('name is required', 400);
  const session = c.get('session');
  // A new id on every privilege change: a cookie planted before sign-in is worthless after.
  session.regenerate();
  session.data.user = name;
  return c.redirect('/', 303);
});

app.post('/logout', (c) => {
  c.get('session').destroy();
  return c.redirect('/', 303);
});

// Check the store before accepting requests: a misconfigured store fails here, once.
await sessions.ready();
const hostname = process.env.HOST ?? 'localhost';
serve(
  { fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname },
  (info: AddressInfo) => {
    console.log(`Tessera on Hono (${mode} mode) on http://${hostname}:${info.port}`);
  },
);
