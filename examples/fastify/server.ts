/**
 * Tessera on Fastify: a visit counter with a sign-in stub. Run it with one command,
 * `npm run example:fastify`, and open http://localhost:3000.
 *
 *   GET  /         counts visits and shows what the session holds
 *   POST /login    signs in as the posted `name` (no password: a stub showing that
 *                  sign-in regenerates the session id before binding the user)
 *   POST /logout   destroys the session: the record is deleted and the cookie expired
 *
 * Environment:
 *   PORT            port to listen on (default 3000; 0 picks a free one)
 *   HOST            address to listen on (default localhost)
 *   SESSION_SECRET  32+ random bytes as base64url/hex; without it a random secret is made
 *                   for this run (sessions then end when the process restarts)
 *   SESSION_MODE    `memory` (default: store mode, sessions in memory) or `cookie` (data
 *                   sealed in the cookie, nothing on the server)
 */
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { fastifySessions } from '../../src/adapters/fastify/index.js';
import { MemoryStore } from '../../src/stores/memory/index.js';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? 'localhost';
const mode = process.env.SESSION_MODE ?? 'memory';
if (mode !== 'memory' && mode !== 'cookie')
  throw new Error('SESSION_MODE must be memory or cookie');
let secret = process.env.SESSION_SECRET;
if (secret === undefined) {
  secret = randomBytes(32).toString('base64url');
  console.warn('SESSION_SECRET is not set: using a random secret for this run only.');
}

const app = Fastify();
await app.register(fastifySessions, {
  secrets: [secret],
  ...(mode === 'memory' ? { store: new MemoryStore() } : {}),
});
// HTML forms post urlencoded bodies; Fastify parses JSON only unless told otherwise.
app.addContentTypeParser(
  'application/x-www-form-urlencoded',
  { parseAs: 'string' },
  (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
);

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

app.get('/', async (request, reply) => {
  // Untyped here (values are JSON); an app declares its shape once, see docs/fastify.md.
  const data = request.session.data;
  data.visits = Number(data.visits ?? 0) + 1;
  const user = typeof data.user === 'string' ? data.user : undefined;
  const who = user === undefined ? 'nobody' : escapeHtml(user);
  const form =
    user === undefined
      ? '<form method="post" action="/login"><input name="name" placeholder="name" required> <button>Sign in</button></form>'
      : '<form method="post" action="/logout"><button>Sign out</button></form>';
  return reply.type('text/html; charset=utf-8').send(`<!doctype html>
<title>Tessera on Fastify</title>
<h1>Visit number ${data.visits}</h1>
<p>Signed in as <b data-user>${who}</b> (${mode} mode).</p>
${form}`);
});

app.post<{ Body: { name?: unknown } }>('/login', async (request, reply) => {
  const name = typeof request.body?.name === 'string' ? request.body.name.trim() : '';
  if (name === '' || name.length > 64) return reply.code(400).send('a name of 1 to 64 characters');
  // A new id before the privilege changes: an id planted before sign-in is worthless after.
  request.session.regenerate();
  request.session.data.user = name;
  return reply.redirect('/', 303);
});

app.post('/logout', async (request, reply) => {
  request.session.destroy();
  return reply.redirect('/', 303);
});

// Check the store before accepting requests: a configuration problem fails here, once.
await app.sessions.ready();
const address = await app.listen({ port, host });
console.log(`Tessera on Fastify (${mode} mode) on ${address}`);
