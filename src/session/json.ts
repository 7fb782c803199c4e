import { InvalidSessionDataError } from '../errors.js';

/** A value JSON can carry unchanged: what session data is made of. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * Refuses a value that JSON would change on the way through: `Date` (comes back as a
 * string), `Map`/`Set` (come back as `{}`), class instances, `NaN`/`Infinity` (come back
 * as `null`), functions and symbols (vanish), holes and `undefined` in arrays (become
 * `null`). The error names the key and the path, so the mistake is found at once.
 * `undefined` object properties are dropped, as JSON does.
 */
export function assertJsonValue(key: string, value: unknown): void {
  const problem = findProblem(value, 0);
  if (problem === null) return;
  const at = problem.path === '' ? '' : ` at ${key}${problem.path}`;
  throw new InvalidSessionDataError(
    `session key "${key}" holds ${problem.what}${at}, which JSON cannot store unchanged; ` +
      'store strings, finite numbers, booleans, null, arrays and plain objects',
  );
}

interface Problem {
  readonly what: string;
  readonly path: string;
}

// Bounded well above MAX_DEPTH; deeper values are refused by the serializer anyway.
const WALK_LIMIT = 64;

function findProblem(value: unknown, depth: number): Problem | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : { what: String(value), path: '' };
    case 'object':
      break;
    case 'undefined':
      return { what: 'undefined', path: '' };
    default:
      return { what: `a ${typeof value}`, path: '' };
  }
  if (value === null || depth > WALK_LIMIT) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return { what: 'an array hole', path: `[${i}]` };
      const inner = findProblem(value[i], depth + 1);
      if (inner !== null) return { what: inner.what, path: `[${i}]${inner.path}` };
    }
    return null;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name;
    return { what: name ? `a ${name}` : 'a non-plain object', path: '' };
  }
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    const item = record[name];
    if (item === undefined) continue;
    const inner = findProblem(item, depth + 1);
    if (inner !== null) {
      const step = /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
      return { what: inner.what, path: `${step}${inner.path}` };
    }
  }
  return null;
}
