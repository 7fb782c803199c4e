/**
 * Injection tokens of `tesserajs/nest`. Symbols, injected with `@Inject(TOKEN)`, so
 * nothing depends on emitted decorator metadata (`emitDecoratorMetadata`, which
 * esbuild-based runners and ESM builds often lack).
 */

/** The application's `SessionEngine`: `@Inject(TESSERA_SESSIONS) sessions: SessionEngine`. */
export const TESSERA_SESSIONS: unique symbol = Symbol('tesserajs.nest.sessions');

/** The options `SessionModule.forRoot()` or `forRootAsync()`'s factory gave. */
export const TESSERA_SESSION_OPTIONS: unique symbol = Symbol('tesserajs.nest.options');

/** The module's error reporter (the options' `onError`, each error reported once). */
export const TESSERA_REPORT: unique symbol = Symbol('tesserajs.nest.report');
