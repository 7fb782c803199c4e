import type { IncomingMessage } from 'node:http';
import type { ModuleMetadata } from '@nestjs/common';
import { InvalidOptionsError } from '../../errors.js';
import type { SessionEngine } from '../../session/engine.js';
import type { SessionOptions } from '../../session/options.js';
import type { DefaultSessionData } from '../../session/session.js';
import { logError } from '../log-error.js';

/** What the module adds to the engine's options, on either platform. */
export interface SessionModuleAdapterOptions {
  /**
   * Express platform: whether to believe `X-Forwarded-Proto` and `X-Forwarded-For`, as
   * in `tesserajs/express` (omitted: Express's own `trust proxy` setting decides). On the
   * Fastify platform, Fastify's `trustProxy` option decides and this one is not read.
   */
  trustProxy?: boolean;
  /**
   * Called once with every error Tessera answered with a 500 or 503 (a store outage, a
   * session too large for its cookies, data that is not JSON), and the raw Node request.
   * Messages carry no secrets.
   * @default logs code, message and cause chain to `console.error`
   */
  onError?: (error: unknown, request: IncomingMessage) => void;
}

/** `SessionModule.forRoot(options)`: the engine's options plus the module's own. */
export interface SessionModuleOptions
  extends SessionOptions<DefaultSessionData>,
    SessionModuleAdapterOptions {}

/** `SessionModule.forRoot({ engine })`: an engine the application made itself. */
export interface SessionModuleEngineOptions extends SessionModuleAdapterOptions {
  /** The engine to serve requests with (and to provide as `TESSERA_SESSIONS`). */
  engine: SessionEngine<DefaultSessionData>;
}

/** What `forRoot()` takes and `forRootAsync()`'s factory returns. */
export type SessionModuleConfig = SessionModuleOptions | SessionModuleEngineOptions;

/** `SessionModule.forRootAsync()`: options from injected providers (configuration). */
export interface SessionModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Tokens whose providers are passed to `useFactory`, in this order. */
  // biome-ignore lint/suspicious/noExplicitAny: Nest's own type for provider tokens.
  inject?: any[];
  /** Builds the configuration from the injected providers. */
  // biome-ignore lint/suspicious/noExplicitAny: receives whatever `inject` names.
  useFactory: (...args: any[]) => SessionModuleConfig | Promise<SessionModuleConfig>;
}

/** Reports an error once, however many paths (adapter, filter) it took. */
export type Report = (error: unknown, request: IncomingMessage) => void;

/** Refuses a configuration of the wrong shape, naming what is wrong. */
export function checkConfig(config: SessionModuleConfig): void {
  if (config === null || typeof config !== 'object') {
    throw new InvalidOptionsError(
      'SessionModule needs options (at least `secrets`) or `{ engine }`',
    );
  }
  const { trustProxy, onError } = config as { trustProxy?: unknown; onError?: unknown };
  if (trustProxy !== undefined && typeof trustProxy !== 'boolean') {
    throw new InvalidOptionsError('trustProxy must be true, false or omitted');
  }
  if (onError !== undefined && typeof onError !== 'function') {
    throw new InvalidOptionsError('onError must be a function');
  }
}

/** The engine options without the module's own. */
export function engineOptions(config: SessionModuleOptions): SessionOptions<DefaultSessionData> {
  const { trustProxy: _trustProxy, onError: _onError, ...options } = config;
  return options;
}

/**
 * The reporter: the options' `onError` (or the default log) called once per error. A
 * load failure on Express reaches the module's exception filter after the middleware saw
 * it; on Fastify the plugin reports before the filter runs.
 */
export function reporter(config: SessionModuleConfig): Report {
  const onError = config.onError ?? logError;
  const reported = new WeakSet<object>();
  return (error, request) => {
    if (error !== null && typeof error === 'object') {
      if (reported.has(error)) return;
      reported.add(error);
    }
    onError(error, request);
  };
}
