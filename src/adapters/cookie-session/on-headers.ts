/**
 * Runs a listener once, just before a `ServerResponse` writes its head, as the
 * `on-headers` package does for cookie-session: `end()` and `write()` without an explicit
 * `writeHead()` go through `writeHead()` too (`_implicitHeader`), so one hook sees every
 * response. Headers passed to `writeHead(status, headers)` are applied first, so the
 * listener sees (and may extend) them.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

type WriteHead = ServerResponse['writeHead'];

export function onHeaders(res: ServerResponse, listener: () => void): void {
  const writeHead = res.writeHead as (...args: unknown[]) => ServerResponse;
  res.writeHead = function writeHeadWithListener(this: ServerResponse, ...args: unknown[]) {
    res.writeHead = writeHead as WriteHead;
    const [statusCode] = args;
    const headersAt = typeof args[1] === 'string' ? 2 : 1;
    const headers = args[headersAt];
    if (typeof statusCode === 'number') this.statusCode = statusCode;
    if (headers !== undefined && headers !== null && !Array.isArray(headers)) {
      for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) {
        if (value !== undefined) this.setHeader(name, value);
      }
      args = args.slice(0, headersAt);
    }
    listener();
    return writeHead.apply(this, args);
  } as WriteHead;
}
