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
  'tesserajs/express-session',
  'tesserajs/stores/memory',
  'tesserajs/stores/sqlite',
  'tesserajs/stores/redis',
  'tesserajs/stores/postgres',
  'tesserajs/stores/connect',
  'tesserajs/testing',
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
    assert.match(cjs['tesserajs/stores/memory'], /MemoryStore/);
    assert.match(cjs['tesserajs/express-session'], /^Cookie,MemoryStore,Session,Store,session$/);
  });

  it('loading the core (and the express-session drop-in) loads no framework and no database driver', () => {
    const script = `
      require('tesserajs'); require('tesserajs/node'); require('tesserajs/stores/redis');
      require('tesserajs/stores/postgres'); require('tesserajs/stores/sqlite');
      require('tesserajs/express-session');
      const loaded = Object.keys(require.cache).filter((p) => /node_modules[\\\\/](ioredis|redis|pg|better-sqlite3|express|express-session|connect)[\\\\/]/.test(p));
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
