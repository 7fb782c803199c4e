/**
 * The built package works from both module systems without interop tricks: `require()`
 * from CommonJS (a default NestJS project) and `import` from ESM, for every subpath,
 * and `isTesseraError()` recognises errors from the other format's copy. Runs against
 * `dist/` (npm test builds first) through the package's own `exports` (self-reference).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;
const subpaths = [
  'tesserajs',
  'tesserajs/node',
  'tesserajs/fetch',
  'tesserajs/hono',
  'tesserajs/fastify',
  'tesserajs/express',
  'tesserajs/cookie-session',
  'tesserajs/express-session',
  'tesserajs/stores/memory',
  'tesserajs/stores/sqlite',
  'tesserajs/stores/redis',
  'tesserajs/stores/postgres',
  'tesserajs/stores/connect',
  'tesserajs/testing',
  'tesserajs/auth',
  'tesserajs/users/sqlite',
  'tesserajs/users/postgres',
  'tesserajs/auth/redis',
];

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
}

describe('dual ESM/CommonJS package', { timeout: 60_000 }, () => {
  it('every subpath loads with require() and with import, exposing the same names', () => {
    const script = `
      const names = (m) => Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort().join(',');
      const out = {};
      for (const s of ${JSON.stringify(subpaths)}) out[s] = names(require(s));
      console.log(JSON.stringify(out));`;
    const cjs = JSON.parse(run(['-e', script]));
    const esmScript = `
      const names = (m) => Object.keys(m).filter((k) => k !== 'default').sort().join(',');
      const out = {};
      for (const s of ${JSON.stringify(subpaths)}) out[s] = names(await import(s));
      console.log(JSON.stringify(out));`;
    const esm = JSON.parse(run(['--input-type=module', '-e', esmScript]));
    assert.deepEqual(cjs, esm);
    assert.match(cjs.tesserajs, /SessionEngine/);
    assert.match(cjs['tesserajs/node'], /nodeSessions/);
    assert.match(cjs['tesserajs/fetch'], /fetchSessions/);
    assert.match(cjs['tesserajs/hono'], /honoSessions/);
    assert.match(cjs['tesserajs/fastify'], /fastifySessions/);
    assert.match(cjs['tesserajs/express'], /expressSessions/);
    assert.match(cjs['tesserajs/stores/memory'], /MemoryStore/);
    assert.match(cjs['tesserajs/express-session'], /^Cookie,MemoryStore,Session,Store,session$/);
    assert.match(cjs['tesserajs/auth'], /createPasswordHasher/);
    assert.match(cjs['tesserajs/auth'], /memoryUsers/);
    assert.match(cjs['tesserajs/users/sqlite'], /sqliteUsers/);
    assert.match(cjs['tesserajs/users/postgres'], /postgresUsers/);
    assert.match(cjs['tesserajs/testing'], /runUserRepositoryConformance/);
    assert.match(cjs['tesserajs/auth'], /clientAddress,.*createThrottle,.*memoryAttempts/);
    assert.match(cjs['tesserajs/auth/redis'], /^RedisAttempts,redisAttempts$/);
  });

  it('tesserajs/auth holds no Redis code: the throttle backend is tesserajs/auth/redis', () => {
    const script = `
      require('tesserajs/auth');
      const redis = Object.keys(require.cache).filter((p) => /[\\/](stores|throttle)[\\/]redis[\\/]/.test(p));
      require('tesserajs/auth/redis');
      const after = Object.keys(require.cache).filter((p) => /[\\/]throttle[\\/]redis[\\/]/.test(p));
      console.log(JSON.stringify([redis, after.length > 0]));`;
    assert.deepEqual(JSON.parse(run(['-e', script])), [[], true]);
  });

  it('tesserajs/auth loads its optional packages lazily, from both formats', () => {
    const php = '$2y$07$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq';
    const script = (load: string) => `
      const auth = ${load};
      const before = Object.keys(require.cache).filter((p) => /node_modules[\\/](@node-rs|bcryptjs)[\\/]/.test(p)).length;
      const service = await auth.createPasswordHasher({ argon2: { memoryCost: 64, timeCost: 1 } });
      const hash = await service.hash('pw pw pw pw');
      console.log(JSON.stringify([before, service.id, await service.verify(hash, 'pw pw pw pw'), await service.verify(${JSON.stringify(php)}, 'rasmuslerdorf')]));`;
    const prelude = `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);`;
    for (const load of ["require('tesserajs/auth')", "await import('tesserajs/auth')"]) {
      const out = run(['--input-type=module', '-e', prelude + script(load)]);
      assert.deepEqual(JSON.parse(out), [0, 'argon2id', true, true], load);
    }
  });

  it('tesserajs/cookie-session is required like cookie-session: module.exports is the middleware factory', () => {
    const script = `
      const cookieSession = require('tesserajs/cookie-session');
      const middleware = cookieSession({ keys: ['k'] });
      console.log(JSON.stringify([typeof cookieSession, cookieSession.default === cookieSession, typeof middleware, middleware.length]));`;
    assert.deepEqual(JSON.parse(run(['-e', script])), ['function', true, 'function', 3]);
    const esm = `import cookieSession from 'tesserajs/cookie-session'; console.log(typeof cookieSession);`;
    assert.equal(run(['--input-type=module', '-e', esm]), 'function');
  });

  it('loading the core (and the express-session drop-in) loads no framework and no database driver', () => {
    const script = `
      require('tesserajs'); require('tesserajs/node'); require('tesserajs/fetch'); require('tesserajs/hono'); require('tesserajs/fastify'); require('tesserajs/express');
      require('tesserajs/cookie-session'); require('tesserajs/express-session'); require('tesserajs/stores/redis');
      require('tesserajs/stores/postgres'); require('tesserajs/stores/sqlite'); require('tesserajs/auth');
      require('tesserajs/users/sqlite'); require('tesserajs/users/postgres');
      require('tesserajs/auth/redis');
      const loaded = Object.keys(require.cache).filter((p) => /node_modules[\\\\/](ioredis|redis|pg|better-sqlite3|express|express-session|connect|hono|fastify|@node-rs|bcryptjs)[\\\\/]/.test(p));
      console.log(JSON.stringify(loaded));`;
    assert.deepEqual(JSON.parse(run(['-e', script])), []);
  });

  it('isTesseraError recognises an error thrown by the other format', () => {
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const cjs = require('tesserajs');
      const esm = await import('tesserajs');
      let fromCjs;
      try { new cjs.SessionEngine({ secrets: ['keyboard cat'] }); } catch (e) { fromCjs = e; }
      console.log(JSON.stringify([esm.isTesseraError(fromCjs), fromCjs instanceof esm.TesseraError, fromCjs.code]));`;
    assert.deepEqual(JSON.parse(run(['--input-type=module', '-e', script])), [
      true,
      false,
      'WEAK_SECRET',
    ]);
  });
});
