/**
 * Peer: Hono's own cookie helper with a signed cookie (`setSignedCookie` /
 * `getSignedCookie`: HMAC-SHA256 through WebCrypto, readable by the client, not
 * encrypted, no expiry inside the value) holding the counter, on @hono/node-server.
 */
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { getSignedCookie, setSignedCookie } from 'hono/cookie';
import { benchMode, benchSecret, nextCount, serve } from '../lib/serve.js';

const mode = benchMode();
const secret = benchSecret();
const app = new Hono();

async function counter(c: Context): Promise<Response> {
  const stored = await getSignedCookie(c, secret, 'session');
  const current = typeof stored === 'string' && /^\d+$/.test(stored) ? Number(stored) : undefined;
  const count = nextCount(c.req.path, mode, current);
  if (count !== current) {
    await setSignedCookie(c, 'session', String(count), secret, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
    });
  }
  return c.text(String(count));
}
app.get('/', counter);
app.get('/init', counter);
serve(createAdaptorServer({ fetch: app.fetch }) as Server);
