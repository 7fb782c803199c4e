/**
 * The app's configuration, from the environment only (see the README's table): where
 * data lives, which port, which session mode and store, and the secrets.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { secretsFromEnv } from '../../src/index.js';

/** Where sessions live: sealed in the cookie, or by id in one of the stores. */
export type SessionMode = 'sqlite' | 'cookie' | 'redis' | 'postgres';

const MODES: readonly SessionMode[] = ['sqlite', 'cookie', 'redis', 'postgres'];

/** Everything the app reads from the environment, checked. */
export interface AppConfig {
  readonly port: number;
  /** Interface to listen on; `undefined` listens on every interface (Node's default). */
  readonly host: string | undefined;
  readonly production: boolean;
  readonly dataDir: string;
  /** The SQLite file of users (and of sessions in `sqlite` and `cookie` mode). */
  readonly databaseFile: string;
  readonly mode: SessionMode;
  readonly redisUrl: string;
  readonly databaseUrl: string;
  /** Newest first. */
  readonly secrets: readonly string[];
}

/** A configuration problem: the app prints the message (one line) and exits with 1. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function portOf(text: string | undefined): number {
  if (text === undefined || text === '') return 3000;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number (0 to 65535), not "${text}"`);
  }
  return port;
}

function modeOf(text: string | undefined): SessionMode {
  const mode = (text ?? 'sqlite').trim().toLowerCase();
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(`SESSION_MODE must be one of ${MODES.join(', ')}, not "${text}"`);
  }
  return mode as SessionMode;
}

/**
 * `TESSERA_SECRETS` when set. Otherwise, in development, the secret kept in the data
 * folder (generated on first run, so sessions survive restarts), with a warning; in
 * production a missing secret is a start-up error, never a generated one.
 */
function secretsOf(
  env: NodeJS.ProcessEnv,
  production: boolean,
  dataDir: string,
  warn: (message: string) => void,
): string[] {
  if (env.TESSERA_SECRETS !== undefined && env.TESSERA_SECRETS.trim() !== '') {
    try {
      return secretsFromEnv('TESSERA_SECRETS', env);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
  }
  if (production) {
    throw new ConfigError(
      'TESSERA_SECRETS is not set: in production the app needs its secrets (comma-separated, ' +
        "newest first), e.g. TESSERA_SECRETS=$(node -e \"console.log(require('crypto')" +
        ".randomBytes(32).toString('base64url'))\")",
    );
  }
  const file = join(dataDir, 'secret');
  if (!existsSync(file)) {
    // `wx`: never overwrite a secret another process has just written.
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    warn(`TESSERA_SECRETS is not set: generated a development secret in ${file}`);
  } else {
    warn(`TESSERA_SECRETS is not set: using the development secret in ${file}`);
  }
  return [readFileSync(file, 'utf8').trim()];
}

/**
 * Reads and checks the environment, creating the data folder if needed.
 * @throws ConfigError naming the variable at fault.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = console.warn,
): AppConfig {
  const production = env.NODE_ENV === 'production';
  const port = portOf(env.PORT);
  const mode = modeOf(env.SESSION_MODE);
  const dataDir = resolve(env.TESSERA_DATA_DIR || './data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return {
    port,
    host: env.HOST || undefined,
    production,
    dataDir,
    databaseFile: join(dataDir, 'tessera.sqlite'),
    mode,
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    databaseUrl: env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    secrets: secretsOf(env, production, dataDir, warn),
  };
}
