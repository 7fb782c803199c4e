/**
 * The packed package in a project made the way `nest new` makes one (Nest 11): the
 * starter's tsconfig.json as generated, `import { SessionModule } from 'tesserajs/nest'`
 * (no `require()` workaround), compiled by `tsc` to CommonJS, run with `node`, and
 * answering requests with a session; then its e2e test, `test/app.e2e-spec.ts` with
 * supertest, run by Jest through ts-jest with the starter's `test/jest-e2e.json`, as
 * `npm run test:e2e` runs it. Two starters: the classic one (`module: commonjs`,
 * resolved through `typesVersions`) and the current one (`module: nodenext` in a
 * CommonJS package, resolved through `exports`; Jest resolves with the `require`
 * condition). The app signs users up and in with `provideAuth` and memory users; the
 * e2e test reads `@CurrentUser()` and is refused by the guards once signed out. A second
 * spec loads tesserajs's optional packages (argon2, an SQLite driver) inside Jest's
 * CommonJS sandbox, where `import()` is refused.
 *
 * Nest 11, Jest, ts-jest, supertest, their `@types` and TypeScript 5 come from the
 * starter's own install in test/fixtures/nest11 (the repository has TypeScript 6 and no
 * Jest); the other modules are linked from the repository's node_modules.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CookieJar } from '../support/http.js';
import { consumerProject, packPackage, ROOT } from '../support/packed.js';
import { ACCOUNT_CONTROLLER, STARTER_PASSWORD } from '../support/starter-account.js';
import { startStarterApp } from '../support/starter-app.js';

const FIXTURE = join(ROOT, 'test/fixtures/nest11/node_modules');
const installed = existsSync(join(FIXTURE, 'jest/package.json'));
const missing =
  'the Nest 11 starter is not installed in test/fixtures/nest11 (npm ci --prefix test/fixtures/nest11)';
if (!installed && process.env.TESSERA_REQUIRE_SERVICES === '1') {
  throw new Error(`${missing}; TESSERA_REQUIRE_SERVICES=1 requires it`);
}
if (!installed) console.warn(`SKIPPING the Nest 11 starter: ${missing}`);

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
import { memoryUsers } from 'tesserajs/auth';
import { provideAuth, SessionModule } from 'tesserajs/nest';
import { AccountController } from './account.controller';
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
  controllers: [AppController, AccountController],
  providers: [AppService, ...provideAuth({ users: memoryUsers() }, { signInPath: '/sign-in' })],
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

// Nest's @Session() with Tessera's session; AppService is injected by its type
// (emitDecoratorMetadata, as the starter does).
const CONTROLLER = `import { Controller, Get, Session } from '@nestjs/common';
import { Session as TesseraSession } from 'tesserajs/nest';
import { AppService } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Get()
  getHello(@Session() session: TesseraSession): string {
    session.data.visits = (session.data.visits ?? 0) + 1;
    return this.appService.greeting(session.data.visits);
  }
}
`;

/**
 * `test/app.e2e-spec.ts` as `nest new` writes it (its imports, `beforeEach` with
 * `app.init()`, supertest on `app.getHttpServer()`), with the session and accounts
 * cases; `supertest` is imported the way each starter's generator imports it.
 */
const e2eSpec = (
  importSupertest: string,
): string => `import { Test, TestingModule } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
${importSupertest}
import { App } from 'supertest/types';
import { AppModule } from './../src/app.module';

describe('AppController (e2e)', () => {
  let app: INestApplication<App>;

  beforeEach(async () => {
    const moduleFixture: TestingModule = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();

    app = moduleFixture.createNestApplication({ logger: ['error'] });
    await app.init();
  });

  it('/ (GET) counts visits in the session', async () => {
    const agent = request.agent(app.getHttpServer());
    await agent.get('/').expect(200).expect('Hello World! Visit 1');
    await agent.get('/').expect(200).expect('Hello World! Visit 2');
  });

  it('signs up, signs in, reads the current user, signs out and is refused', async () => {
    const credentials = { email: 'ann@example.com', password: '${STARTER_PASSWORD}' };
    const signUp = await request(app.getHttpServer()).post('/sign-up').send(credentials).expect(201);
    const id: string = signUp.body.id;
    expect(id).toEqual(expect.any(String));

    const agent = request.agent(app.getHttpServer());
    await agent.get('/me').set('Accept', 'application/json').expect(401);
    await agent.post('/sign-in').send({ ...credentials, password: 'not the password' }).expect(401);
    await agent.post('/sign-in').send(credentials).expect(200, { id });
    await agent.get('/me').expect(200, { id, email: credentials.email });
    await agent.get('/user-id').expect(200, { userId: id, mode: 'cookie' });

    await agent.post('/sign-out').expect(200, { ok: true });
    const api = await agent.get('/me').set('Accept', 'application/json').expect(401);
    expect(api.body.error).toBe('NOT_SIGNED_IN');
    await agent
      .get('/me')
      .set('Accept', 'text/html')
      .expect(303)
      .expect('Location', '/sign-in?returnTo=%2Fme');
    await agent.get('/user-id').expect(401);
  });

  afterEach(async () => {
    await app.close();
  });
});
`;

/**
 * A second spec beside the starter's: tesserajs's optional packages (a password hasher,
 * an SQLite driver) load inside Jest, whose CommonJS sandbox refuses `import()`.
 */
const DRIVERS_SPEC = `import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { secretsFromEnv } from 'tesserajs';
import { createPasswordHasher } from 'tesserajs/auth';
import { SessionModule } from 'tesserajs/nest';
import { sqliteStore } from 'tesserajs/stores/sqlite';

describe('optional packages (e2e)', () => {
  it('hashes with argon2id (@node-rs/argon2)', async () => {
    const passwords = await createPasswordHasher({ algorithm: 'argon2id' });
    expect(await passwords.hash('${STARTER_PASSWORD}')).toMatch(/^\\$argon2id\\$/);
  });

  it('starts with an SQLite session store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'starter-sqlite-'));
    @Module({
      imports: [
        SessionModule.forRoot({
          secrets: secretsFromEnv('SESSION_SECRET'),
          store: sqliteStore({ filename: join(dir, 'sessions.db') }),
        }),
      ],
    })
    class StoreModule {}
    const moduleFixture = await Test.createTestingModule({ imports: [StoreModule] }).compile();
    const app = moduleFixture.createNestApplication({ logger: false });
    try {
      await app.init();
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
`;

/** The supertest import of each starter's e2e test. */
const SUPERTEST_IMPORTS = {
  commonjs: "import * as request from 'supertest';",
  nodenext: "import request from 'supertest';",
};

/** The starter's `test/jest-e2e.json` as generated. */
const JEST_E2E = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: '.e2e-spec.ts$',
  transform: { '^.+\\.(t|j)s$': 'ts-jest' },
};

// What the starter installs, from its own install instead of the repository's.
const STARTER_MODULES = [
  '@nestjs',
  '@types',
  'jest',
  'reflect-metadata',
  'rxjs',
  'supertest',
  'ts-jest',
  'typescript',
];

const secret = randomBytes(32).toString('base64url');

/** Runs `node <args>` in `dir`; fails the test with the output when it exits non-zero. */
function run(dir: string, args: string[], what: string): string {
  try {
    return execFileSync(process.execPath, args, {
      cwd: dir,
      env: { ...process.env, SESSION_SECRET: secret },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    assert.fail(`${what} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

describe('a Nest 11 starter project using tesserajs/nest', {
  timeout: 240_000,
  skip: installed ? false : missing,
}, () => {
  let base: string;
  let tarball: string;

  before(() => {
    base = mkdtempSync(join(tmpdir(), 'tessera-nest-starter-'));
    tarball = packPackage(base);
  });
  after(() => {
    if (base !== undefined) rmSync(base, { recursive: true, force: true });
  });

  for (const [label, compilerOptions] of Object.entries(STARTERS)) {
    describe(label, () => {
      const kind = label.split(' ')[1] as keyof typeof SUPERTEST_IMPORTS;
      let dir: string;

      before(() => {
        dir = join(base, kind);
        consumerProject(dir, tarball, {
          'package.json': JSON.stringify({ name: 'starter', version: '0.0.1', private: true }),
          'tsconfig.json': JSON.stringify({ compilerOptions }, null, 2),
          'src/main.ts': MAIN,
          'src/app.module.ts': MODULE,
          'src/app.service.ts': SERVICE,
          'src/app.controller.ts': CONTROLLER,
          'src/account.controller.ts': ACCOUNT_CONTROLLER,
          'test/app.e2e-spec.ts': e2eSpec(SUPERTEST_IMPORTS[kind]),
          'test/drivers.e2e-spec.ts': DRIVERS_SPEC,
          'test/jest-e2e.json': `${JSON.stringify(JEST_E2E, null, 2)}\n`,
        });
        for (const name of STARTER_MODULES) {
          rmSync(join(dir, 'node_modules', name), { recursive: true, force: true });
          symlinkSync(join(FIXTURE, name), join(dir, 'node_modules', name));
        }
      });

      it('resolves the starter’s Nest 11, TypeScript 5 and Jest', () => {
        const version = (name: string) =>
          (
            JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as {
              version: string;
            }
          ).version;
        assert.match(version('@nestjs/core'), /^11\./);
        assert.match(version('typescript'), /^5\./);
        assert.match(version('jest'), /^\d+\./);
      });

      it('compiles with tsc and the generated tsconfig.json', () => {
        run(dir, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], 'tsc');
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

      it('its e2e test passes under Jest (npm run test:e2e)', () => {
        const jest = spawnSync(
          process.execPath,
          [
            'node_modules/jest/bin/jest.js',
            '--config',
            './test/jest-e2e.json',
            '--cacheDirectory',
            join(base, 'jest-cache'),
          ],
          { cwd: dir, env: { ...process.env, SESSION_SECRET: secret }, encoding: 'utf8' },
        );
        const output = `${jest.stdout}${jest.stderr}`;
        assert.equal(jest.status, 0, `jest failed:\n${output}`);
        // Jest's summary: every case ran (none skipped, none filtered out).
        assert.match(jest.stderr, /Tests:\s+4 passed, 4 total/, output);
      });
    });
  }
});
