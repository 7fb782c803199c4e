/**
 * The packed package in a Nest 12 project: ESM (`"type": "module"`, `module: nodenext`,
 * imports with `.js`), Nest 12 from its own install in test/fixtures/nest12 (it cannot
 * share node_modules with the repository's Nest 11), `import { SessionModule } from
 * 'tesserajs/nest'` compiled by `tsc`, run with `node`, answering with a session, and
 * its e2e test (Nest's testing module, under node:test with `fetch`): the app signs users
 * up and in with `provideAuth` and memory users, and the test reads `@CurrentUser()`,
 * signs out and is refused by the guards (401 for an API call, 303 for a page).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CookieJar } from '../support/http.js';
import { consumerProject, packPackage, ROOT } from '../support/packed.js';
import { ACCOUNT_CONTROLLER, STARTER_PASSWORD } from '../support/starter-account.js';
import { startStarterApp } from '../support/starter-app.js';

const FIXTURE = join(ROOT, 'test/fixtures/nest12/node_modules');
const installed = existsSync(join(FIXTURE, '@nestjs/core/package.json'));
const missing =
  'Nest 12 is not installed in test/fixtures/nest12 (npm ci --prefix test/fixtures/nest12)';
if (!installed && process.env.TESSERA_REQUIRE_SERVICES === '1') {
  throw new Error(`${missing}; TESSERA_REQUIRE_SERVICES=1 requires it`);
}
if (!installed) console.warn(`SKIPPING the Nest 12 starter: ${missing}`);

const TSCONFIG = {
  compilerOptions: {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    resolvePackageJsonExports: true,
    esModuleInterop: true,
    isolatedModules: true,
    declaration: true,
    removeComments: true,
    emitDecoratorMetadata: true,
    experimentalDecorators: true,
    allowSyntheticDefaultImports: true,
    target: 'ES2023',
    outDir: './dist',
    skipLibCheck: true,
    strictNullChecks: true,
    forceConsistentCasingInFileNames: true,
    noImplicitAny: false,
    types: ['node'],
  },
};

const MAIN = `import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

const app = await NestFactory.create(AppModule, { logger: ['error'] });
await app.listen(process.env.PORT ?? 3000, '127.0.0.1');
console.log(\`listening on \${await app.getUrl()}\`);
`;

const MODULE = `import { Module } from '@nestjs/common';
import { secretsFromEnv } from 'tesserajs';
import { memoryUsers } from 'tesserajs/auth';
import { provideAuth, SessionModule } from 'tesserajs/nest';
import { AccountController } from './account.controller.js';
import { AppController } from './app.controller.js';

@Module({
  imports: [
    SessionModule.forRoot({ secrets: secretsFromEnv('SESSION_SECRET'), cookie: { secure: false } }),
  ],
  controllers: [AppController, AccountController],
  providers: provideAuth({ users: memoryUsers() }, { signInPath: '/sign-in' }),
})
export class AppModule {}
`;

const CONTROLLER = `import { Controller, Get, Session } from '@nestjs/common';
import { Session as TesseraSession } from 'tesserajs/nest';

@Controller()
export class AppController {
  @Get()
  hello(@Session() session: TesseraSession): string {
    const visits = Number(session.data.visits ?? 0) + 1;
    session.data.visits = visits;
    return \`Hello World! Visit \${visits}\`;
  }
}
`;

const E2E = `import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../src/app.module.js';

describe('AppController (e2e)', () => {
  let app: INestApplication;
  let url: string;
  before(async () => {
    const moduleFixture = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleFixture.createNestApplication({ logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  after(async () => {
    await app.close();
  });

  it('signs up, signs in, reads the current user, signs out and is refused', async () => {
    const credentials = { email: 'ann@example.com', password: '${STARTER_PASSWORD}' };
    const post = (path: string, body: object, cookie = '') =>
      fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', cookie },
        body: JSON.stringify(body),
      });
    const get = (path: string, cookie: string, accept = 'application/json') =>
      fetch(url + path, { headers: { accept, cookie }, redirect: 'manual' });
    const cookieOf = (response: Response) => response.headers.getSetCookie()[0]!.split(';')[0]!;

    const signUp = await post('/sign-up', credentials);
    assert.equal(signUp.status, 201);
    const { id } = (await signUp.json()) as { id: string };

    assert.equal((await get('/me', '')).status, 401);
    assert.equal((await post('/sign-in', { ...credentials, password: 'not the password' })).status, 401);
    const signIn = await post('/sign-in', credentials);
    assert.equal(signIn.status, 200);
    assert.deepEqual(await signIn.json(), { id });
    const cookie = cookieOf(signIn);
    const me = await get('/me', cookie);
    assert.equal(me.status, 200);
    assert.deepEqual(await me.json(), { id, email: credentials.email });
    assert.deepEqual(await (await get('/user-id', cookie)).json(), { userId: id, mode: 'cookie' });

    const signOut = await post('/sign-out', {}, cookie);
    assert.equal(signOut.status, 200);
    const signedOut = cookieOf(signOut);
    const api = await get('/me', signedOut);
    assert.equal(api.status, 401);
    assert.equal(((await api.json()) as { error: string }).error, 'NOT_SIGNED_IN');
    const page = await get('/me', signedOut, 'text/html');
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/sign-in?returnTo=%2Fme');
    assert.equal((await get('/user-id', signedOut)).status, 401);
  });
});
`;

const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
const secret = randomBytes(32).toString('base64url');

/** Runs `node <args>` in `dir`; returns its stdout, fails the test when it exits non-zero. */
function run(dir: string, args: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env, SESSION_SECRET: secret };
  // A `node --test` child of this test runner would report to it (and exit 0 whatever its
  // tests do) instead of running as the project's own test command.
  delete env.NODE_TEST_CONTEXT;
  try {
    return execFileSync(process.execPath, args, { cwd: dir, env, encoding: 'utf8' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    assert.fail(`${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

describe('a Nest 12 (ESM) project using tesserajs/nest', {
  timeout: 240_000,
  skip: installed ? false : missing,
}, () => {
  let base: string;
  let dir: string;

  before(() => {
    base = mkdtempSync(join(tmpdir(), 'tessera-nest12-'));
    const tarball = packPackage(base);
    dir = join(base, 'app');
    consumerProject(dir, tarball, {
      'package.json': JSON.stringify({
        name: 'app',
        version: '0.0.1',
        private: true,
        type: 'module',
      }),
      'tsconfig.json': JSON.stringify(TSCONFIG, null, 2),
      'src/main.ts': MAIN,
      'src/app.module.ts': MODULE,
      'src/app.controller.ts': CONTROLLER,
      'src/account.controller.ts': ACCOUNT_CONTROLLER,
      'test/app.e2e-spec.ts': E2E,
    });
    // Nest 12 and what it brings, instead of the repository's Nest 11.
    for (const name of ['@nestjs', 'reflect-metadata', 'rxjs']) {
      rmSync(join(dir, 'node_modules', name), { recursive: true, force: true });
      symlinkSync(join(FIXTURE, name), join(dir, 'node_modules', name));
    }
  });
  after(() => {
    if (base !== undefined) rmSync(base, { recursive: true, force: true });
  });

  it('resolves Nest 12 and the packed tesserajs', async () => {
    const { readFileSync } = await import('node:fs');
    const core = JSON.parse(
      readFileSync(join(dir, 'node_modules/@nestjs/core/package.json'), 'utf8'),
    ) as { version: string };
    assert.match(core.version, /^12\./);
    assert.equal(
      existsSync(join(dir, 'node_modules/tesserajs/dist/esm/adapters/nest/index.js')),
      true,
    );
  });

  it('compiles with tsc as an ES module project', () => {
    run(dir, [tsc, '-p', 'tsconfig.json']);
  });

  it('runs with node: the session counts visits', async () => {
    const { child, url } = await startStarterApp(dir, secret);
    try {
      const jar = new CookieJar();
      assert.equal((await jar.send(`${url}/`)).body, 'Hello World! Visit 1');
      assert.equal((await jar.send(`${url}/`)).body, 'Hello World! Visit 2');
    } finally {
      child.kill();
      await once(child, 'exit');
    }
  });

  it('its e2e test passes', () => {
    const report = run(dir, ['--test', '--test-reporter=tap', 'dist/test/app.e2e-spec.js']);
    assert.match(report, /^# pass 1$/m, report);
    assert.match(report, /^# fail 0$/m, report);
  });
});
