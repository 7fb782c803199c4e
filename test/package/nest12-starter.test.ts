/**
 * The packed package in a Nest 12 project: ESM (`"type": "module"`, `module: nodenext`,
 * imports with `.js`), Nest 12 from its own install in test/fixtures/nest12 (it cannot
 * share node_modules with the repository's Nest 11), `import { SessionModule } from
 * 'tesserajs/nest'` compiled by `tsc`, run with `node`, answering with a session, and
 * its e2e test (Nest's testing module, under node:test with `fetch`).
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
import { SessionModule } from 'tesserajs/nest';
import { AppController } from './app.controller.js';

@Module({
  imports: [
    SessionModule.forRoot({ secrets: secretsFromEnv('SESSION_SECRET'), cookie: { secure: false } }),
  ],
  controllers: [AppController],
})
export class AppModule {}
`;

const CONTROLLER = `import { Controller, Get, Post, Session, UseGuards } from '@nestjs/common';
import { CurrentSession, CurrentUserId, Session as TesseraSession, SignedInGuard } from 'tesserajs/nest';

@Controller()
export class AppController {
  @Get()
  hello(@Session() session: TesseraSession): string {
    const visits = Number(session.data.visits ?? 0) + 1;
    session.data.visits = visits;
    return \`Hello World! Visit \${visits}\`;
  }

  @Post('sign-in')
  signIn(@CurrentSession() session: TesseraSession): { ok: boolean } {
    session.setUser('demo');
    return { ok: true };
  }

  @Get('me')
  @UseGuards(SignedInGuard)
  me(@CurrentUserId() userId: string): { userId: string } {
    return { userId };
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

  it('/me needs a signed-in session', async () => {
    assert.equal((await fetch(url + '/me')).status, 401);
    const signIn = await fetch(url + '/sign-in', { method: 'POST' });
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    assert.deepEqual(await (await fetch(url + '/me', { headers: { cookie } })).json(), { userId: 'demo' });
  });
});
`;

const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
const secret = randomBytes(32).toString('base64url');

function run(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  try {
    execFileSync(process.execPath, args, {
      cwd: dir,
      env: { ...process.env, SESSION_SECRET: secret, ...env },
      encoding: 'utf8',
    });
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
    run(dir, ['--test', 'dist/test/app.e2e-spec.js']);
  });
});
