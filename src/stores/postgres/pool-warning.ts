/**
 * A one-time warning about a `pg.Pool` the application passes in without `query_timeout`.
 *
 * Without it a pooled connection that goes silent (half-open: a NAT or load balancer that
 * dropped its state) keeps its query, and its slot, forever; once every slot is such a
 * connection, each call waits for a free one and fails with 503 until restart. The store
 * does not own the pool, so it says so through `process.emitWarning` (Node's channel for
 * this: printed once, filterable by `code`) instead of refusing a working setup. Only a
 * `pg.Pool`, whose `options` the store can read, is judged.
 */
import type { PgPoolLike } from './pool.js';

/** The `code` of the warning. */
export const POOL_WARNING_CODE = 'TESSERA_PG_POOL_SETTINGS';

/** True when `pool` is a `pg.Pool` whose connections have no client-side query timeout. */
export function lacksQueryTimeout(pool: PgPoolLike): boolean {
  const view = pool as { readonly options?: unknown; readonly totalCount?: unknown };
  if (typeof view.options !== 'object' || view.options === null) return false;
  if (typeof view.totalCount !== 'number') return false;
  const timeout = (view.options as { readonly query_timeout?: unknown }).query_timeout;
  return !(typeof timeout === 'number' && timeout > 0);
}

const warned = new WeakSet<object>();

/**
 * Emits the warning once per pool when {@link lacksQueryTimeout}.
 * @param factory - who was given the pool, for the message. @default 'postgresStore'
 */
export function warnAboutPool(pool: PgPoolLike, factory = 'postgresStore'): void {
  if (warned.has(pool)) return;
  warned.add(pool);
  if (!lacksQueryTimeout(pool)) return;
  process.emitWarning(
    `${factory}: the pg.Pool passed in has no query_timeout: a pooled connection that ` +
      'goes silent (half-open) keeps its slot forever, and once all are such, every request ' +
      'that needs the pool fails with 503 until restart. Open the pool with query_timeout (e.g. the ' +
      "store's queryTimeout) (see the PostgreSQL store docs, Outages and timeouts).",
    { code: POOL_WARNING_CODE },
  );
}
