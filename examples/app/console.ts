/**
 * What the example apps print on the console: the start-up banner and the one-line
 * reason a start failed. Shared by examples/app and examples/nest.
 */
import type { Backends } from './backends.js';
import { type AppConfig, ConfigError } from './config.js';

/** Prints where the app listens, its mode and its stores, in one write. */
export function printBanner(
  title: string,
  port: number | string,
  config: AppConfig,
  backends: Backends,
): void {
  const shownHost = config.host === undefined || config.host === '::' ? 'localhost' : config.host;
  // One write, so a process reading the banner sees all of it at once.
  console.log(
    [
      `${title} on http://${shownHost}:${port}`,
      `  mode:     ${backends.description.mode}${config.production ? ' (production)' : ''}`,
      `  sessions: ${backends.description.sessions}`,
      `  users:    ${backends.description.users}`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
}

/** Reports a failed start in one line and sets a failing exit code. */
export function reportStartFailure(error: unknown): void {
  // A configuration problem is one line; anything else shows its code and message.
  if (error instanceof ConfigError) console.error(`Cannot start: ${error.message}`);
  else {
    const code = (error as { code?: unknown }).code;
    console.error(
      `Cannot start: ${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message}`,
    );
  }
  process.exitCode = 1;
}

/**
 * On Ctrl-C (SIGINT) or SIGTERM, once: closes the server, then the stores, saying each
 * on the console; a failure is printed and sets a failing exit code.
 */
export function shutDownOnSignals(
  closeServer: () => Promise<void>,
  backends: Pick<Backends, 'close'>,
): void {
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    await closeServer();
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
}
