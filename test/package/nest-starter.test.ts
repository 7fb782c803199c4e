/**
 * The packed package in a project made the way `nest new` makes one (Nest 11): the
 * starter's tsconfig.json as generated, `import { SessionModule } from 'tesserajs/nest'`
 * (no `require()` workaround), compiled by `tsc` to CommonJS, run with `node`, and
 * answering requests with a session; then its e2e test. Two starters: the classic one
 * (`module: commonjs`, resolved through `typesVersions`) and the current one
 * (`module: nodenext` in a CommonJS package, resolved through `exports`).
 *
 * The starter's e2e test uses Jest and supertest; here the same test (the Nest testing
 * module, `createNestApplication()`, requests over HTTP) runs under node:test with
 * `fetch`, to spare the repository Jest's install. The starter pins TypeScript 5 and
 * this repository has 6, so `tsc` gets two flags that keep TypeScript 5's behaviour
 * with the file as generated: `--ignoreDeprecations 6.0` (its `baseUrl` is deprecated
 * in 6) and `--types node` (5 included every installed `@types` package by default).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CookieJar } from '../support/http.js';
import { consumerProject, packPackage, ROOT } from '../support/packed.js';
import { startStarterApp } from '../support/starter-app.js';

/** The starter's options after `nest new` (non-strict answers). */
const STARTER_OPTIONS = {
  declaration: true,
  removeComments: true,
  emitDecoratorMetadata: true,
  experimentalDecorators: true,
  allowSyntheticDefaultImports: true,
  target: 'ES2023',
  sourceMap: true,
  outDir: './dist',
  baseUrl: './',
  incremental: true,
  skipLibCheck: true,
  strictNullChecks: true,
  forceConsistentCasingInFileNames: true,
  noImplicitAny: false,
  strictBindCallApply: false,
  noFallthroughCasesInSwitch: false,
};

const STARTERS = {
  'module commonjs (classic starter)': { module: 'commonjs', ...STARTER_OPTIONS },
  'module nodenext (current starter)': {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    resolvePackageJsonExports: true,
    esModuleInterop: true,
    isolatedModules: true,
    ...STARTER_OPTIONS,
  },
};

const MAIN = `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule, { logger: ['error'] });
  await app.listen(process.env.PORT ?? 3000, '127.0.0.1');
  console.log(\`listening on \${await app.getUrl()}\`);
}
bootstrap();
`;

const MODULE = `import { Module } from '@nestjs/common';
import { secretsFromEnv } from 'tesserajs';
import { SessionModule } from 'tesserajs/nest';
import { AppController } from './app.controller';
import { AppService } from './app.service';

declare module 'tesserajs' {
  interface SessionData {
    visits: number;
  }
}

@Module({
  imports: [
    SessionModule.forRoot({ secrets: secretsFromEnv('SESSION_SECRET'), cookie: { secure: false } }),
  ],
  controllers: [AppController],
  providers: [AppService],
})
export class AppModule {}
`;

const SERVICE = `import { Injectable } from '@nestjs/common';

@Injectable()
export class AppService {
  greeting(visits: number): string {
    return \`Hello World! Visit \${visits}\`;
  }
}
`;

// Nest's @Session() and Tessera's typed pieces side by side; AppService is injected by
// its type (emitDecoratorMetadata, as the starter does), the engine by its token.
const CONTROLLER = `import { Controller, Get, Inject, Post, Session, UseGuards } from '@nestjs/common';
import {
  CurrentSession,
  CurrentUserId,
  Session as TesseraSession,
  SessionEngine,
  SignedInGuard,
  TESSERA_SESSIONS,
} from 'tesserajs/nest';
import { AppService } from './app.service';

@Controller()
export class AppController {
  constructor(
    private readonly appService: AppService,
    @Inject(TESSERA_SESSIONS) private readonly sessions: SessionEngine,
  ) {}

  @Get()
  getHello(@Session() session: TesseraSession): string {
    session.data.visits = (session.data.visits ?? 0) + 1;
    return this.appService.greeting(session.data.visits);
  }

  @Post('sign-in')
  signIn(@CurrentSession() session: TesseraSession): { mode: string } {
    session.setUser('demo');
    return { mode: this.sessions.mode };
  }

  @Get('me')
  @UseGuards(SignedInGuard)
  me(@CurrentUserId() userId: string): { userId: string } {
    return { userId };
  }
}
`;

const E2E = `import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { INestApplication } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { AppModule } from './../src/app.module';

describe('AppController (e2e)', () => {
  let app: INestApplication;
  let url: string;

  before(async () => {
    const moduleFixture: TestingModule = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();
    app = moduleFixture.createNestApplication({ logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  after(async () => {
    await app.close();
  });

  it('/ (GET) counts visits in the session', async () => {
    const first = await fetch(url + '/');
    assert.equal(first.status, 200);
    assert.equal(await first.text(), 'Hello World! Visit 1');
    const cookie = first.headers.getSetCookie()[0]!.split(';')[0]!;
    const second = await fetch(url + '/', { headers: { cookie } });
    assert.equal(await second.text(), 'Hello World! Visit 2');
  });

  it('/me (GET) needs a signed-in session', async () => {
    assert.equal((await fetch(url + '/me')).status, 401);
    const signIn = await fetch(url + '/sign-in', { method: 'POST' });
    assert.equal(signIn.status, 201);
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const me = await fetch(url + '/me', { headers: { cookie } });
    assert.deepEqual(await me.json(), { userId: 'demo' });
  });
});
`;

const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
const secret = randomBytes(32).toString('base64url');

function compile(dir: string): void {
  try {
    execFileSync(
      process.execPath,
      [tsc, '-p', 'tsconfig.json', '--ignoreDeprecations', '6.0', '--types', 'node'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    assert.fail(`tsc failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

describe('a Nest 11 starter project using tesserajs/nest', { timeout: 240_000 }, () => {
  let base: string;
  let tarball: string;

  before(() => {
    base = mkdtempSync(join(tmpdir(), 'tessera-nest-starter-'));
    tarball = packPackage(base);
  });
  after(() => {
    rmSync(base, { recursive: true, force: true });
  });

  for (const [label, compilerOptions] of Object.entries(STARTERS)) {
    describe(label, () => {
      let dir: string;

      before(() => {
        dir = join(base, label.split(' ')[1]!);
        consumerProject(dir, tarball, {
          'package.json': JSON.stringify({ name: 'starter', version: '0.0.1', private: true }),
          'tsconfig.json': JSON.stringify({ compilerOptions }, null, 2),
          'src/main.ts': MAIN,
          'src/app.module.ts': MODULE,
          'src/app.service.ts': SERVICE,
          'src/app.controller.ts': CONTROLLER,
          'test/app.e2e-spec.ts': E2E,
        });
      });

      it('compiles with tsc and the generated tsconfig.json', () => {
        compile(dir);
      });

      it('runs with node: the session counts visits', async () => {
        const { child, url } = await startStarterApp(dir, secret);
        try {
          const jar = new CookieJar();
          const first = await jar.send(`${url}/`);
          assert.equal(first.body, 'Hello World! Visit 1');
          assert.equal(first.setCookie.length, 1);
          assert.equal((await jar.send(`${url}/`)).body, 'Hello World! Visit 2');
        } finally {
          child.kill();
          await once(child, 'exit');
        }
      });

      it('its e2e test passes', () => {
        try {
          execFileSync(process.execPath, ['--test', 'dist/test/app.e2e-spec.js'], {
            cwd: dir,
            env: { ...process.env, SESSION_SECRET: secret },
            encoding: 'utf8',
          });
        } catch (error) {
          const { stdout, stderr } = error as { stdout?: string; stderr?: string };
          assert.fail(`the e2e test failed:\n${stdout ?? ''}${stderr ?? ''}`);
        }
      });
    });
  }
});
