import { isTesseraError } from '../errors.js';

const MAX_CAUSES = 8;

/**
 * The default `onError` of every adapter: one line per error with its `code` and
 * message, then its `cause` chain (a store outage says what the driver said), and for
 * errors that are not Tessera's own (a bug in a handler) the stack. To the server log
 * only: nothing of it reaches the client. Tessera's messages never contain secrets,
 * cookie values or session ids.
 */
export function logError(error: unknown): void {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < MAX_CAUSES; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    const label =
      typeof code === 'string' ? code : current instanceof Error ? current.name : 'ERROR';
    const text = typeof message === 'string' ? message : String(current);
    lines.push(`${depth === 0 ? '[tessera] ' : '  caused by '}${label}: ${text}`);
    if (depth === 0 && current instanceof Error && !isTesseraError(current) && current.stack) {
      lines.push(current.stack.split('\n').slice(1).join('\n'));
    }
    current = (current as { cause?: unknown }).cause;
  }
  console.error(lines.join('\n'));
}
