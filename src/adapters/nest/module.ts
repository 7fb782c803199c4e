/**
 * `SessionModule`: a global module providing the engine (`TESSERA_SESSIONS`), the
 * session layer on the platform's requests, the exception filter for session failures
 * and {@link SignedInGuard}. Every constructor parameter names its token with
 * `@Inject()`, so applications need no `emitDecoratorMetadata`.
 */
import {
  type DynamicModule,
  Global,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { SessionEngine } from '../../session/engine.js';
import type { DefaultSessionData } from '../../session/session.js';
import { SessionErrorFilter } from './filter.js';
import { SignedInGuard } from './guard.js';
import { installOnPlatform } from './install.js';
import {
  checkConfig,
  engineOptions,
  type Report,
  reporter,
  type SessionModuleAsyncOptions,
  type SessionModuleConfig,
} from './options.js';
import { TESSERA_REPORT, TESSERA_SESSION_OPTIONS, TESSERA_SESSIONS } from './tokens.js';

function makeEngine(config: SessionModuleConfig): SessionEngine<DefaultSessionData> {
  checkConfig(config);
  return 'engine' in config ? config.engine : new SessionEngine(engineOptions(config));
}

/** The providers built from the options provider, for both `forRoot` and `forRootAsync`. */
const DERIVED: Provider[] = [
  { provide: TESSERA_SESSIONS, useFactory: makeEngine, inject: [TESSERA_SESSION_OPTIONS] },
  { provide: TESSERA_REPORT, useFactory: reporter, inject: [TESSERA_SESSION_OPTIONS] },
  { provide: APP_FILTER, useClass: SessionErrorFilter },
  SignedInGuard,
];

const EXPORTS = [TESSERA_SESSIONS, SignedInGuard];

@Global()
@Module({})
export class SessionModule implements NestModule, OnModuleInit {
  readonly #adapterHost: HttpAdapterHost;
  readonly #engine: SessionEngine<DefaultSessionData>;
  readonly #config: SessionModuleConfig;
  readonly #report: Report;

  constructor(
    @Inject(HttpAdapterHost) adapterHost: HttpAdapterHost,
    @Inject(TESSERA_SESSIONS) engine: SessionEngine<DefaultSessionData>,
    @Inject(TESSERA_SESSION_OPTIONS) config: SessionModuleConfig,
    @Inject(TESSERA_REPORT) report: Report,
  ) {
    this.#adapterHost = adapterHost;
    this.#engine = engine;
    this.#config = config;
    this.#report = report;
  }

  /**
   * Sessions from options (`secrets`, `store`, ...) or from `{ engine }`:
   * `imports: [SessionModule.forRoot({ secrets: secretsFromEnv('SESSION_SECRET') })]`.
   */
  static forRoot(config: SessionModuleConfig): DynamicModule {
    return {
      module: SessionModule,
      global: true,
      providers: [{ provide: TESSERA_SESSION_OPTIONS, useValue: config }, ...DERIVED],
      exports: EXPORTS,
    };
  }

  /**
   * Sessions configured from other providers, e.g. a configuration service:
   * `SessionModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService],
   * useFactory: (config) => ({ secrets: [config.get('SESSION_SECRET')] }) })`.
   */
  static forRootAsync(options: SessionModuleAsyncOptions): DynamicModule {
    return {
      module: SessionModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: TESSERA_SESSION_OPTIONS,
          useFactory: options.useFactory,
          inject: options.inject ?? [],
        },
        ...DERIVED,
      ],
      exports: EXPORTS,
    };
  }

  /** Installs the session layer before Nest registers the application's routes. */
  configure(consumer: MiddlewareConsumer): void {
    installOnPlatform(
      this.#adapterHost.httpAdapter,
      consumer,
      this.#engine,
      this.#config,
      this.#report,
    );
  }

  /** Checks the store (driver, connection, table) once, so `app.init()` fails clearly. */
  async onModuleInit(): Promise<void> {
    await this.#engine.ready();
  }
}
