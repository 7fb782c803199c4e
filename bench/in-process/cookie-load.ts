/**
 * In process, no HTTP: what one cookie-mode `load` costs next to the AES-256-GCM decrypt
 * at its heart. Run by bench/run.ts as a child process (pinned like the servers); prints
 * one JSON object, {@link InProcessResult}, on stdout.
 *
 * Each operation runs in rounds of `BENCH_ROUND_OPS` calls, alternating with the others,
 * and its CPU time per call is taken per round, so drift on a shared machine affects all
 * of them alike. The uncached load rotates through 5,000 sessions, far more than the
 * verified-cookie cache holds, so every call pays the full unseal.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { unseal } from '../../src/crypto/seal.js';
import { SessionEngine } from '../../src/session/engine.js';
import type { Session } from '../../src/session/session.js';

/** Per operation: CPU µs per call in each round. */
export interface InProcessResult {
  readonly sessions: number;
  readonly cookieValueLength: number;
  readonly rounds: Readonly<Record<OperationName, readonly number[]>>;
}

export type OperationName = 'decrypt' | 'unseal' | 'loadUncached' | 'loadCached' | 'write';

const SESSIONS = 5000;
const rounds = Number(process.env.BENCH_ROUNDS ?? 25);
const roundOps = Number(process.env.BENCH_ROUND_OPS ?? 20_000);

type Data = { count?: number };
const engine = new SessionEngine<Data>({ secrets: [randomBytes(32).toString('base64url')] });
/** Cookie mode without a registry needs no I/O, so `load` returns the session itself. */
function loadNow(cookieHeader: string | undefined): Session<Data> {
  const loaded = engine.load({ cookieHeader, secure: false });
  if (loaded instanceof Promise) throw new Error('cookie mode without a registry is synchronous');
  return loaded;
}
const headers: string[] = [];
for (let i = 0; i < SESSIONS; i++) {
  const session = loadNow(undefined);
  session.data.count = i;
  headers.push(engine.commit(session).setCookie[0]!.split(';')[0]!);
}
const name = headers[0]!.slice(0, headers[0]!.indexOf('='));
const values = headers.map((header) => header.slice(name.length + 1));
const context = { purpose: 'session', name };
const keyring = engine.kernel.keyring;

// The raw decrypt works on a blob of the same size as the sessions' sealed values, with
// associated data as long as the seal's (37-byte header, then purpose and name).
const sealed = Buffer.from(values[0]!, 'base64url');
const plaintextBytes = sealed.length - 37 - 16;
const key = randomBytes(32);
const iv = randomBytes(12);
const aad = Buffer.alloc(37 + 4 + context.purpose.length + name.length);
const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
cipher.setAAD(aad);
const ciphertext = cipher.update(randomBytes(plaintextBytes));
cipher.final();
const tag = cipher.getAuthTag();

const operations: Record<OperationName, (i: number) => void> = {
  decrypt: () => {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    decipher.setAuthTag(tag);
    decipher.setAAD(aad);
    decipher.update(ciphertext);
    decipher.final();
  },
  unseal: (i) => {
    unseal(keyring, context, values[i % SESSIONS]!);
  },
  loadUncached: (i) => {
    loadNow(headers[i % SESSIONS]);
  },
  loadCached: () => {
    loadNow(headers[0]);
  },
  write: (i) => {
    const session = loadNow(headers[0]);
    session.data.count = i;
    engine.commit(session);
  },
};

const results = Object.fromEntries(
  Object.keys(operations).map((op) => [op, [] as number[]]),
) as Record<OperationName, number[]>;
let offset = 0;
for (let round = 0; round < rounds; round++) {
  for (const [op, run] of Object.entries(operations) as [OperationName, (i: number) => void][]) {
    for (let i = 0; i < roundOps / 10; i++) run(offset + i); // settle after the switch
    const start = process.cpuUsage();
    for (let i = 0; i < roundOps; i++) run(offset + i);
    const used = process.cpuUsage(start);
    results[op].push((used.user + used.system) / roundOps);
  }
  offset += roundOps;
}
const result: InProcessResult = {
  sessions: SESSIONS,
  cookieValueLength: values[0]!.length,
  rounds: results,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
