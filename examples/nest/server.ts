/**
 * Tessera's reference app on NestJS: the same accounts, sessions you can see and
 * revoke, CSRF-protected forms and JSON API as `npm start` (examples/app), built the Nest
 * way: `SessionModule`, Nest's own `@Session()`, `provideAuth`, `UserGuard` and
 * `@CurrentUser()` (app.module.ts and the controllers). The pages, the messages and the
 * storage are the reference app's own. Run it with
 *
 *   npm run example:nest
 *
 * and open http://localhost:3000.
 *
 * Configured by the environment, as the reference app (the README lists the variables):
 * `PORT`, `HOST`, `TESSERA_DATA_DIR`, `TESSERA_SECRETS`, `SESSION_MODE` (`sqlite`,
 * `cookie`, `redis`, `postgres`), `REDIS_URL`, `DATABASE_URL`, `NODE_ENV`; and
 *   PLATFORM  `express` (default) or `fastify`: the HTTP platform Nest runs on
 *
 * Ctrl-C (SIGINT) or SIGTERM closes the server, then the stores, and exits.
 *
 * Imported as ES modules, like any Nest code: no `require()`. Every provider is injected
 * by an explicit token (`@Inject()`), so the app runs under tsx, which emits no
 * decorator metadata.
 */
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { createBackends } from '../app/backends.js';
import { type AppConfig, ConfigError, loadConfig } from '../app/config.js';
import { printBanner, reportStartFailure, shutDownOnSignals } from '../app/console.js';
import { AppModule } from './app.module.js';

/** Request bodies are forms and small JSON objects: 8 KiB, as in the Express app. */
const BODY_LIMIT = 8 * 1024;

function platformOf(text: string | undefined): 'express' | 'fastify' {
  const platform = (text || 'express').trim().toLowerCase();
  if (platform !== 'express' && platform !== 'fastify') {
    throw new ConfigError(`PLATFORM must be express or fastify, not "${text}"`);
  }
  return platform;
}

async function createNestApp(
  platform: 'express' | 'fastify',
  module: DynamicModule,
): Promise<INestApplication> {
  // Connections left open (a browser's keep-alive) must not hold up shutdown.
  const options = { logger: ['error' as const, 'warn' as const], forceCloseConnections: true };
  if (platform === 'fastify') {
    return NestFactory.create(module, new FastifyAdapter({ bodyLimit: BODY_LIMIT }), options);
  }
  const app = await NestFactory.create<NestExpressApplication>(module, new ExpressAdapter(), {
    ...options,
    bodyParser: false,
  });
  app.disable('x-powered-by');
  app.useBodyParser('urlencoded', { extended: false, limit: BODY_LIMIT });
  app.useBodyParser('json', { limit: BODY_LIMIT });
  return app;
}

async function main(): Promise<void> {
  const platform = platformOf(process.env.PLATFORM);
  const config: AppConfig = loadConfig();
  const backends = createBackends(config);
  let app: INestApplication;
  try {
    app = await createNestApp(platform, AppModule.forRoot(config, backends));
    // SessionModule checks the session store during init; the users' store is ours.
    await app.init();
    await backends.users.ready?.();
  } catch (error) {
    await backends.close().catch(() => {});
    throw error;
  }
  await (config.host === undefined
    ? app.listen(config.port)
    : app.listen(config.port, config.host));
  // Before the banner: whoever reads it may send Ctrl-C at once.
  shutDownOnSignals(() => app.close(), backends);
  const { port } = new URL(await app.getUrl());
  printBanner(`Tessera reference app on NestJS (${platform})`, port, config, backends);
}

main().catch(reportStartFailure);
