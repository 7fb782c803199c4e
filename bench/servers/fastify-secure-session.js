/**
 * Peer: @fastify/secure-session 8 (sealed cookie, libsodium secretbox) on Fastify 5,
 * with a 32-byte key as its README recommends.
 *
 * JavaScript on purpose: @fastify/secure-session, @fastify/session and Tessera each
 * declare `request.session` in `declare module 'fastify'` with their own type, and one
 * TypeScript program cannot hold the three (TS2717); the project's program has Tessera's.
 */
import fastifySecureSession from '@fastify/secure-session';
import Fastify from 'fastify';
import { benchMode, benchSecret, nextCount, serve } from '../lib/serve.js';

const mode = benchMode();
const app = Fastify();
await app.register(fastifySecureSession, {
  key: Buffer.from(benchSecret(), 'base64url').subarray(0, 32),
  cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: false },
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
