/**
 * Tessera on Express: a visit counter and a sign-in stub. Run it with
 *
 *   npm run example:express
 *
 * and open http://localhost:3000.
 *
 * Environment:
 *   PORT            port to listen on (default 3000; 0 picks a free one)
 *   SESSION_SECRET  32+ random bytes as base64url/hex; without it a random secret is made
 *                   for this run (sessions then end when the process restarts)
 *   SESSION_MODE    `memory` (default: store mode, sessions in this process's memory) or
 *                   `cookie` (data sealed in the cookie, nothing on the server)
 *
 * The sign-in is a stub: it accepts any name, without a password, to show where the
 * session changes hands (a new id on sign-in, the end of the session on sign-out).
 *
 * In an application, declare the session's shape once and `req.session.data` is typed:
 *   declare module 'tesserajs' { interface SessionData { visits: number; user: string } }
 * This file lives inside Tessera's own TypeScript program, where such a declaration would
 * retype every test, so it reads the JSON values with `typeof` checks instead.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expressSessions } from '../../src/adapters/express/index.js';
import { MemoryStore } from '../../src/stores/memory/index.js';

const port = Number(process.env.PORT ?? 3000);
const mode = process.env.SESSION_MODE ?? 'memory';
if (mode !== 'memory' && mode !== 'cookie')
  throw new Error('SESSION_MODE must be memory or cookie');
let secret = process.env.SESSION_SECRET;
if (secret === undefined) {
  secret = randomBytes(32).toString('base64url');
  console.warn('SESSION_SECRET is not set: using a random secret for this run only.');
}

const sessions = expressSessions({
  secrets: [secret],
  ...(mode === 'memory' ? { store: new MemoryStore() } : {}),
});

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const app = express();
// Sign-out keeps working while the store is down (a read-only guest can still expire the
// cookie). Registered before the app-wide middleware: a request passes through only one.
app.post('/logout', sessions.with({ onStoreError: 'guest' }), (req, res) => {
  req.session.destroy();
  res.redirect(303, '/');
});
app.use(sessions);
app.use(express.urlencoded({ extended: false, limit: '2kb' }));

app.get('/', (req, res) => {
  const { data } = req.session;
  data.visits = (typeof data.visits === 'number' ? data.visits : 0) + 1;
  const user = typeof data.user === 'string' ? data.user : null;
  res.type('html').send(`<!doctype html>
<title>Tessera on Express</title>
<h1>Visit number ${data.visits}</h1>
${
  user === null
    ? `<form method="post" action="/login">
  <input name="name" placeholder="your name" required maxlength="40"> <button>Sign in</button>
</form>`
    : `<p>Signed in as <b>${escapeHtml(user)}</b>.</p>
<form method="post" action="/logout"><button>Sign out</button></form>`
}
<p>Mode: <b>${mode}</b>. Session data:</p>
<pre>${escapeHtml(JSON.stringify(data, null, 2))}</pre>`);
});

app.get('/me', (req, res) => {
  res.json({ user: req.session.data.user ?? null, visits: req.session.data.visits ?? 0 });
});

app.post('/login', (req, res) => {
  const name = typeof req.body?.name === 'string' ? req.body.name.trim().slice(0, 40) : '';
  if (name === '') {
    res.status(400).type('text').send('a name is required');
    return;
  }
  // A new session id for the signed-in session, so an id planted before sign-in is dead.
  req.session.regenerate();
  req.session.data.user = name;
  res.redirect(303, '/');
});

// Check the store before accepting requests: a configuration problem fails here, once.
await sessions.ready();
const server = app.listen(port, () => {
  const { port: actual } = server.address() as AddressInfo;
  console.log(`Tessera on Express (${mode} mode) on http://localhost:${actual}`);
});
