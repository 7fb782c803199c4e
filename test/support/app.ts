/**
 * A small node:http application over Tessera sessions, shared by the HTTP suites.
 * Routes (all GET, this is a session-layer test app, not the auth layer):
 *   /read            -> JSON { isNew, data }
 *   /inc?key=k       -> data[k] += 1 (default key `count`)
 *   /set?k=..&v=..   -> data[k] = JSON.parse(v)
 *   /push?v=..       -> data.list.push(v) (nested mutation)
 *   /big?n=..        -> data.big = n random base64url characters
 *   /login?user=..   -> setUser(user) + regenerate()
 *   /bind?user=..    -> setUser(user) alone (rotates the id by itself)
 *   /regenerate, /destroy, /touch
 *   /writehead       -> count += 1 then writeHead + end (writeHead path)
 *   /stream          -> count += 1, explicit commit, then streamed body
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type NodeSessionOptions, nodeSessions } from '../../src/adapters/node/index.js';
import type { Session } from '../../src/session/session.js';
import { startServer, type TestServer } from './http.js';

type Data = Record<string, unknown>;

export interface TestApp extends TestServer {
  readonly errors: unknown[];
}

function route(
  req: IncomingMessage,
  res: ServerResponse,
  session: Session<Data>,
  commit: () => Promise<void>,
): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const q = (name: string): string => url.searchParams.get(name) ?? '';
  const data = session.data;
  switch (url.pathname) {
    case '/read':
      break;
    case '/inc': {
      const key = q('key') || 'count';
      data[key] = ((data[key] as number | undefined) ?? 0) + 1;
      break;
    }
    case '/set':
      data[q('k')] = JSON.parse(q('v'));
      break;
    case '/push':
      if (!Array.isArray(data.list)) data.list = [];
      (data.list as unknown[]).push(q('v'));
      break;
    case '/big':
      data.big = randomBytes(Number(q('n')))
        .toString('base64url')
        .slice(0, Number(q('n')));
      break;
    case '/login':
      session.setUser(q('user'));
      session.regenerate();
      break;
    case '/bind':
      session.setUser(q('user') || null);
      break;
    case '/regenerate':
      session.regenerate();
      break;
    case '/destroy':
      session.destroy();
      break;
    case '/touch':
      session.touch();
      break;
    case '/writehead':
      data.count = ((data.count as number | undefined) ?? 0) + 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ isNew: session.isNew, data }));
      return;
    case '/stream':
      data.count = ((data.count as number | undefined) ?? 0) + 1;
      commit().then(() => {
        res.write('a');
        res.write('b');
        res.end('c');
      });
      return;
    default:
      res.statusCode = 404;
      res.end('not found');
      return;
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ isNew: session.isNew, userId: session.userId, data }));
}

/** Starts the test app with the given session options. */
export async function startApp(options: NodeSessionOptions<Data>): Promise<TestApp> {
  const errors: unknown[] = [];
  const sessions = nodeSessions<Data>({ ...options, onError: (e) => errors.push(e) });
  const server = await startServer(
    sessions.handle((req, res, session) =>
      route(req, res, session, () => sessions.commit(req, res)),
    ),
  );
  return { ...server, errors };
}
