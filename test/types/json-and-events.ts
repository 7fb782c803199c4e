/**
 * Type-level tests: session values are JSON, and modules extend the event union.
 * (`tsc -p test/types`, part of `npm run typecheck`.)
 */
import type { JsonValue, Session, TesseraEvent } from '../../src/index.js';

declare module '../../src/index.js' {
  interface TesseraEventMap {
    'billing.charged': { readonly cents: number };
  }
}

export function json(s: Session<Record<string, JsonValue>>): void {
  s.data.name = 'a';
  s.data.list = [1, 'two', null, { nested: true }];
  // @ts-expect-error a Date is not JSON (it would come back as a string)
  s.data.when = new Date();
  // @ts-expect-error a Map is not JSON (it would come back as {})
  s.data.map = new Map();
  // @ts-expect-error functions are not JSON
  s.data.fn = () => 1;
}

export function events(event: TesseraEvent): number | string {
  switch (event.type) {
    case 'billing.charged':
      return event.cents;
    case 'session.rejected':
      return event.reason;
    default:
      return event.type;
  }
}
