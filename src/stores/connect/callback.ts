/** Calls one connect-store method and waits for its callback, within a deadline. */
import { withDeadline } from '../deadline.js';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Invokes `method` with a Node-style callback and resolves with the callback's value.
 *
 * Connect stores differ in how they answer: some call back synchronously, some later,
 * some (connect-redis v8+) also return a promise; a buggy one may call back twice or
 * never. The first answer wins, a rejected returned promise counts as an error (and is
 * never left unhandled), and no answer within `timeout` ms is a SessionStoreError, so one
 * stuck call cannot stall a request or the per-key queue behind it.
 */
export function callStore<T>(
  operation: string,
  timeout: number,
  method: (callback: (error?: unknown, value?: T) => void) => unknown,
): Promise<T | undefined> {
  return withDeadline(
    operation,
    timeout,
    () =>
      new Promise<T | undefined>((resolve, reject) => {
        let settled = false;
        const callback = (error?: unknown, value?: T): void => {
          if (settled) return;
          settled = true;
          if (error !== null && error !== undefined) reject(error);
          else resolve(value);
        };
        try {
          const returned = method(callback);
          if (isThenable(returned)) {
            returned.then(undefined, (error: unknown) => callback(error ?? new Error('rejected')));
          }
        } catch (error) {
          callback(error ?? new Error('threw'));
        }
      }),
  );
}
