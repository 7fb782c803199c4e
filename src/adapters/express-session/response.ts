/**
 * The two hooks the middleware needs on a `ServerResponse`: run code right before the
 * headers go out (express-session uses `on-headers`), and hold `end()` until the store
 * write finished.
 */
import type { ServerResponse } from 'node:http';

/** Calls `listener` once, right before the response's headers are written. */
export function beforeHeaders(res: ServerResponse, listener: () => void): void {
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadWithSession(this: ServerResponse, ...args: unknown[]) {
    res.writeHead = writeHead;
    // Headers given to writeHead() would replace those the listener sets: set them
    // first (as on-headers does), then run the listener.
    const at = typeof args[1] === 'string' ? 2 : 1;
    const given = args[at];
    if (given !== null && typeof given === 'object' && !Array.isArray(given)) {
      for (const [key, value] of Object.entries(given)) {
        res.setHeader(key, value as string | number | readonly string[]);
      }
      args.splice(at, 1);
    }
    listener();
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
}

/**
 * On the first `end()`, calls `work(done)`. When it returns `false` the response ends at
 * once; otherwise it ends when `done()` is called. `done(error)` instead hands the error
 * to `onFailure` with `end` restored: nothing was sent yet, so the app's error handler
 * can answer; if the app already streamed part of the body, the connection is cut.
 */
export function holdEnd(
  res: ServerResponse,
  work: (done: (error?: unknown) => void) => boolean,
  onFailure: (error: unknown) => void,
): void {
  const end = res.end;
  let ended = false;
  res.end = function endWithSession(this: ServerResponse, ...args: unknown[]) {
    if (ended) return res;
    ended = true;
    const send = (): void => {
      (end as (...a: unknown[]) => ServerResponse).apply(res, args);
    };
    const done = (error?: unknown): void => {
      if (error === undefined || error === null) {
        send();
        return;
      }
      res.end = end;
      if (res.headersSent) res.destroy();
      onFailure(error);
    };
    if (!work(done)) send();
    return res;
  } as ServerResponse['end'];
}
