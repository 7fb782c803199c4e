/**
 * The reference app: a visit counter on plain node:http that shows what the
 * session holds. `npm start` runs it; open http://localhost:3000.
 *
 * Environment:
 *   PORT            port to listen on (default 3000)
 *   SESSION_SECRET  32+ random bytes as base64url/hex; without it a random secret is made
 *                   for this run (sessions then end when the process restarts)
 *   SESSION_MODE    `sqlite` (default: store mode on the embedded SQLite file
 *                   `.data/sessions.sqlite`), `memory` (store mode, in memory) or `cookie`
 *                   (data sealed in the cookie, nothing on the server)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { nodeSessions } from '../../src/adapters/node/index.js';
import type { SessionStore } from '../../src/stores/contract.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';

interface Visits {
  visits: number;
  firstVisit: string;
}

const port = Number(process.env.PORT ?? 3000);
const mode = process.env.SESSION_MODE ?? 'sqlite';

function chooseStore(): SessionStore | undefined {
  if (mode === 'cookie') return undefined;
  if (mode === 'memory') return new MemoryStore();
  if (mode !== 'sqlite') throw new Error('SESSION_MODE must be sqlite, memory or cookie');
  mkdirSync('.data', { recursive: true });
  return sqliteStore({ filename: '.data/sessions.sqlite' });
}
const store = chooseStore();
let secret = process.env.SESSION_SECRET;
if (secret === undefined) {
  secret = randomBytes(32).toString('base64url');
  console.warn('SESSION_SECRET is not set: using a random secret for this run only.');
}

const sessions = nodeSessions<Visits>({
  secrets: [secret],
  ...(store ? { store } : {}),
  onEvent: (event) =>
    console.log(`[session] ${event.type}${'reason' in event ? ` (${event.reason})` : ''}`),
});

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const server = createServer(
  sessions.handle((req, res, session) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/reset' && req.method === 'POST') {
      session.destroy();
      res.writeHead(303, { location: '/' });
      res.end();
      return;
    }
    if (url.pathname !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found');
      return;
    }
    session.data.visits = (session.data.visits ?? 0) + 1;
    session.data.firstVisit ??= new Date().toISOString();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html>
<title>Tessera counter</title>
<h1>Visit number ${session.data.visits}</h1>
<p>Mode: <b>${mode}</b>. Session data:</p>
<pre>${escapeHtml(JSON.stringify(session.data, null, 2))}</pre>
<p>Created ${new Date(session.createdAt).toISOString()}, expires ${new Date(session.expiresAt).toISOString()} unless used again.</p>
<form method="post" action="/reset"><button>End session</button></form>`);
  }),
);

// Check the store before accepting requests: a missing driver or folder fails here, once.
await sessions.ready();
server.listen(port, () => {
  console.log(`Tessera counter (${mode} mode) on http://localhost:${port}`);
});
