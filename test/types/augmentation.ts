/**
 * Type-level test, compiled on its own (`tsc -p test/types`, part of `npm run typecheck`):
 * declaring `SessionData` once types `session.data` everywhere. Kept out of the main
 * program because the augmentation is global.
 */
import type { Session } from '../../src/index.js';

declare module '../../src/index.js' {
  interface SessionData {
    views: number;
  }
}

export function f(s: Session): number {
  const v: number | undefined = s.data.views;
  // @ts-expect-error unknown keys are refused once SessionData is declared
  s.data.nope = 1;
  return v ?? 0;
}
