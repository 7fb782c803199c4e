/**
 * Peer: @fastify/session 11 with @fastify/cookie and its bundled MemoryStore on
 * Fastify 5, configured like the express-session rows: no uninitialized sessions and no
 * rolling re-issue (its defaults, `saveUninitialized: true` and `rolling: true`, would
 * write a cookie on every READ).
 *
 * JavaScript on purpose: see fastify-secure-session.js.
 */
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import Fastify from 'fastify';
import { benchMode, benchSecret, nextCount, serve } from '../lib/serve.js';

const mode = benchMode();
const app = Fastify();
await app.register(fastifyCookie);
await app.register(fastifySession, {
  secret: benchSecret(),
  saveUninitialized: false,
  rolling: false,
  cookie: { secure: false, httpOnly: true, sameSite: 'lax' },
});
const counter = (request, reply) => {
  const current = request.session.get('count');
  const count = nextCount(request.url, mode, current);
  if (count !== current) request.session.set('count', count);
  reply.send(String(count));
};
app.get('/', counter);
app.get('/init', counter);
await app.ready();
serve(app.server);
