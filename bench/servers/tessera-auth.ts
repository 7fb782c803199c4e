/**
 * Tessera's authentication on plain node:http, for the sign-in storm measurement
 * (bench/lib/auth-storm.ts): `createAuth` over store-mode sessions in memory, the
 * in-memory user repository holding one user, and the default password hasher
 * (argon2id when `@node-rs/argon2` is installed, scrypt otherwise).
 *
 * - `POST /sign-in` with a JSON body `{ "email", "password" }` signs that user in on a new
 *   session (`200 {"id":…}` and the session cookie), or answers the failure response:
 *   `401` for wrong credentials, `503` when the hasher's queue is full.
 * - `GET /me` is the cheap authenticated route: the session is loaded (and checked against
 *   the user), `currentUser` costs no look-up, the answer is a tiny JSON object; a
 *   stranger gets `401`.
 *
 * The throttle is off: the storm signs the same account in from one address at full
 * speed, which is exactly what it exists to stop.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { logError } from '../../src/adapters/log-error.js';
import { nodeSessions } from '../../src/adapters/node/index.js';
import { requireUser } from '../../src/adapters/node/require-user.js';
import { createAuth } from '../../src/auth/auth.js';
import { defaultHasher } from '../../src/auth/password/create.js';
import { memoryUsers } from '../../src/auth/users/memory.js';
import { isPasswordHasherBusyError } from '../../src/errors.js';
import { MemoryStore } from '../../src/stores/memory/index.js';
import { benchEnv, benchSecret, serve } from '../lib/serve.js';

/** Sign-in bodies are a few dozen bytes; anything far larger is not the benchmark's. */
const MAX_BODY_BYTES = 4096;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY_BYTES) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const users = memoryUsers();
const sessions = nodeSessions({
  secrets: [benchSecret()],
  store: new MemoryStore(),
  // An overloaded hasher is expected under the storm (answered 503 and counted by the
  // runner); logging each one would put console I/O on the path being measured.
  onError: (error) => {
    if (!isPasswordHasherBusyError(error)) logError(error);
  },
});
const auth = createAuth({ sessions: sessions.engine, users, throttle: false });
await users.create({
  email: benchEnv('BENCH_AUTH_EMAIL'),
  passwordHash: await (await defaultHasher()).hash(benchEnv('BENCH_AUTH_PASSWORD')),
});

serve(
  createServer(
    sessions.handle(async (req, res, session) => {
      if (req.url === '/sign-in' && req.method === 'POST') {
        const credentials = JSON.parse(await readBody(req)) as {
          email: unknown;
          password: unknown;
        };
        const user = await auth.signIn(session, credentials, {
          address: req.socket.remoteAddress,
          userAgent: req.headers['user-agent'],
        });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: user.id }));
        return;
      }
      if (req.url === '/me' && req.method === 'GET') {
        const user = await requireUser(auth, req, res, session);
        if (user === null) return;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: user.id, email: user.email }));
        return;
      }
      res.statusCode = 404;
      res.end();
    }),
  ),
);
