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
import { loadConfig } from './config.js';
import { printBanner, reportStartFailure, shutDownOnSignals } from './console.js';

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
  // Handlers first: a Ctrl-C sent as soon as the banner is read must shut down cleanly.
  shutDownOnSignals(async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Idle keep-alive connections would hold close() open; busy ones get a grace period.
    server.closeIdleConnections();
    const cut = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    cut.unref();
    await closed;
  }, backends);

  printBanner('Tessera reference app', port, config, backends);
}

main().catch(reportStartFailure);
