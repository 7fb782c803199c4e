/**
 * Events for logs and metrics, shared by every Tessera module. None carries a secret, a
 * session id or a cookie value: sessions are named by `sessionRef`, a short keyed hash
 * that correlates log lines without being usable as a credential (S-57).
 *
 * The set is open: a module declares its events by augmenting {@link TesseraEventMap}
 * (the session engine does so in `session/events.ts`; authentication, CSRF and
 * throttling add theirs), and {@link TesseraEvent} is the union of everything declared.
 *
 * ```ts
 * declare module 'tesserajs' {
 *   interface TesseraEventMap {
 *     'billing.charged': { readonly sessionRef: string; readonly cents: number };
 *   }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: modules add their events by augmentation.
export interface TesseraEventMap {}

/** One event: `{ type }` plus the fields its module declared for that type. */
export type TesseraEvent = {
  [K in keyof TesseraEventMap]: { readonly type: K } & TesseraEventMap[K];
}[keyof TesseraEventMap];

/** Names of every declared event type. */
export type TesseraEventType = TesseraEvent['type'];

/** Receives events; a listener that throws never breaks a request. */
export type EventListener = (event: TesseraEvent) => void;

/** Delivers events to the application's listener, shielding requests from its failures. */
export class EventSink {
  readonly #listener: EventListener | undefined;

  constructor(listener: EventListener | undefined) {
    this.#listener = listener;
  }

  /** Whether anyone listens: lets callers skip building an event (and its refs). */
  get active(): boolean {
    return this.#listener !== undefined;
  }

  emit(event: TesseraEvent): void {
    if (this.#listener === undefined) return;
    try {
      this.#listener(event);
    } catch {
      // A failing logger must never break a request.
    }
  }
}
