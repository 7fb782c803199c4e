/**
 * Tessera's reference app: accounts, sessions you can see and revoke, CSRF-protected
 * forms and a JSON API, on Express. `npm start` runs it; open http://localhost:3000.
 *
 * Configured by the environment only (the README lists every variable): `PORT`,
 * `HOST`, `TESSERA_DATA_DIR`, `TESSERA_SECRETS`, `SESSION_MODE` (`sqlite`, `cookie`,
 * `redis`, `postgres`), `REDIS_URL`, `DATABASE_URL`, `NODE_ENV`.
 *
 * Ctrl-C (SIGINT) or SIGTERM closes the server, then the stores, and exits.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { createBackends } from './backends.js';
import { ConfigError, loadConfig } from './config.js';

/** How long open connections may take to finish before they are cut at shutdown. */
const SHUTDOWN_GRACE_MS = 5000;

async function main(): Promise<void> {
  const config = loadConfig();
  const backends = createBackends(config);
  const { app, sessions } = createApp(config, backends);
  try {
    // A missing driver, an unreachable database or a bad file fails here, once.
    await sessions.ready();
    await backends.users.ready?.();
  } catch (error) {
    await backends.close().catch(() => {});
    throw error;
  }

  const server: Server = await new Promise((resolve, reject) => {
    const done = (error?: Error) => (error ? reject(error) : resolve(listening));
    const listening =
      config.host === undefined
        ? app.listen(config.port, done)
        : app.listen(config.port, config.host, done);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === undefined || config.host === '::' ? 'localhost' : config.host;
  // Handlers first: a Ctrl-C sent as soon as the banner is read must shut down cleanly.
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Idle keep-alive connections would hold close() open; busy ones get a grace period.
    server.closeIdleConnections();
    const cut = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    cut.unref();
    await closed;
    console.log('server closed');
    await backends.close();
    console.log('stores closed');
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop(signal).catch((error: unknown) => {
        console.error('shutdown failed:', error);
        process.exitCode = 1;
      });
    });
  }

  // One write, so a process reading the banner sees all of it at once.
  console.log(
    [
      `Tessera reference app on http://${shownHost}:${port}`,
      `  mode:     ${backends.description.mode}${config.production ? ' (production)' : ''}`,
      `  sessions: ${backends.description.sessions}`,
      `  users:    ${backends.description.users}`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  // A configuration problem is one line; anything else shows its code and message.
  if (error instanceof ConfigError) console.error(`Cannot start: ${error.message}`);
  else {
    const code = (error as { code?: unknown }).code;
    console.error(
      `Cannot start: ${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message}`,
    );
  }
  process.exitCode = 1;
});
