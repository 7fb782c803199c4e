import assert from 'node:assert/strict';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import {
  obtainVerifiedCookie,
  obtainVerifiedCookies,
  RowCheckError,
  verifyStillAccepted,
} from './check.js';

const servers: Server[] = [];
after(() => {
  for (const server of servers) server.close();
});

async function listen(listener: RequestListener): Promise<number> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A toy session server: the counter lives in the cookie (cookie) or in a Map (server). */
function sessionServer(mode: 'read' | 'write', storage: 'cookie' | 'server'): RequestListener {
  const store = new Map<string, number>();
  let nextId = 0;
  return (req, res) => {
    const sent = /sid=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
    const current =
      sent === undefined
        ? undefined
        : storage === 'server'
          ? store.get(sent)
          : Number(sent.slice(1));
    let count = current ?? 0;
    if (req.url === '/init') count = 1;
    else if (mode === 'write') count += 1;
    if (count !== current) {
      const id = storage === 'server' ? (sent ?? `s${nextId++}`) : `c${count}`;
      store.set(id, count);
      res.setHeader('set-cookie', `sid=${id}; Path=/; HttpOnly`);
    }
    res.end(String(count));
  };
}

test('well-behaved READ, WRITE (cookie) and WRITE (server) rows pass the check', {
  timeout: 60_000,
}, async () => {
  for (const [mode, storage] of [
    ['read', 'cookie'],
    ['read', 'server'],
    ['write', 'cookie'],
    ['write', 'server'],
  ] as const) {
    const port = await listen(sessionServer(mode, storage));
    const cookie = await obtainVerifiedCookie(port, { mode, storage });
    assert.match(cookie ?? '', /^sid=/);
    await verifyStillAccepted(port, { mode, storage }, cookie);
  }
});

test('bare rows need a 200 and give no cookie', { timeout: 60_000 }, async () => {
  const port = await listen((_req, res) => res.end('0'));
  assert.deepEqual(await obtainVerifiedCookies(port, { mode: 'bare', storage: 'none' }, 5), []);
});

test('several sessions are obtained and verified', { timeout: 60_000 }, async () => {
  const port = await listen(sessionServer('read', 'server'));
  const cookies = await obtainVerifiedCookies(port, { mode: 'read', storage: 'server' }, 11);
  assert.equal(new Set(cookies).size, 11);
});

test('a server that ignores the cookie (guest path) fails loudly', {
  timeout: 60_000,
}, async () => {
  const port = await listen((req, res) => {
    if (req.url === '/init') res.setHeader('set-cookie', 'sid=x');
    res.end(req.url === '/init' ? '1' : '0');
  });
  await assert.rejects(
    obtainVerifiedCookie(port, { mode: 'read', storage: 'cookie' }),
    (error: unknown) => error instanceof RowCheckError && /not accepted/.test(error.message),
  );
});

test('a READ that sends Set-Cookie fails', { timeout: 60_000 }, async () => {
  const port = await listen((_req, res) => {
    res.setHeader('set-cookie', 'sid=x');
    res.end('1');
  });
  await assert.rejects(
    obtainVerifiedCookie(port, { mode: 'read', storage: 'cookie' }),
    /Set-Cookie/,
  );
});

test('a server-side WRITE that does not persist fails', { timeout: 60_000 }, async () => {
  const port = await listen((req, res) => {
    res.setHeader('set-cookie', 'sid=x');
    res.end(req.url === '/init' ? '1' : '2');
  });
  await assert.rejects(
    obtainVerifiedCookie(port, { mode: 'write', storage: 'server' }),
    /not persisted/,
  );
});

test('a cookie-held WRITE that does not re-issue the cookie fails', {
  timeout: 60_000,
}, async () => {
  const port = await listen((req, res) => {
    if (req.url === '/init') res.setHeader('set-cookie', 'sid=x');
    res.end(req.url === '/init' ? '1' : '2');
  });
  await assert.rejects(
    obtainVerifiedCookie(port, { mode: 'write', storage: 'cookie' }),
    /re-issue/,
  );
});
