/**
 * One measurement of the sign-in storm (bench/servers/tessera-auth.ts): does password
 * hashing at full speed starve the server's other requests? Three windows, each as long
 * as a row's:
 *
 * 1. `GET /me` alone (a cheap authenticated route): requests/s and p99;
 * 2. the storm alone (`POST /sign-in` with the right password on its own connections):
 *    sign-ins/s, p99, and the server's CPU time per sign-in;
 * 3. both at once, two wrk processes: the storm starts {@link STORM_LEAD_S} s ahead, so
 *    `GET /me` is measured against a storm in its steady state (every hashing slot busy,
 *    the queue filled), not against its first requests; how far `GET /me`'s p99 moves,
 *    and how many sign-ins still complete.
 *
 * Around the windows the same kind of check as the rows' cookie check: a sign-in must
 * answer 200 with a session cookie, `GET /me` must know the user with that cookie and
 * refuse a stranger (401), before and after the load.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { RowCheckError } from './check.js';
import { foreignShare, readCpuTicks } from './cpu-stat.js';
import { cookieHeader, probe } from './probe.js';
import type { ServerProcess } from './server-process.js';
import { runWrk, runWrkReport, type WrkRun } from './wrk.js';
import type { WrkResult } from './wrk-output.js';
import { parseStatusCounts, type StatusCounts, writePostScript } from './wrk-post-script.js';

/** The one user the server creates at start-up and the storm signs in as. */
export interface AuthCredentials {
  readonly email: string;
  readonly password: string;
}

/** Fresh credentials for a run (the password is random, never printed). */
export function authCredentials(): AuthCredentials {
  return { email: 'bench@example.com', password: randomBytes(18).toString('base64url') };
}

/** The server's environment for `credentials` (see bench/servers/tessera-auth.ts). */
export function authServerEnv(credentials: AuthCredentials): Record<string, string> {
  return { BENCH_AUTH_EMAIL: credentials.email, BENCH_AUTH_PASSWORD: credentials.password };
}

/** One window of `GET /me` load. */
export interface RouteWindow {
  readonly rps: number;
  readonly p99Us: number;
}

/** One window of the storm. */
export interface StormWindow {
  /** Completed sign-ins (200) per second of the storm's wrk run. */
  readonly signInsPerS: number;
  readonly p99Us: number;
  /** Sign-ins refused with 503 (the hasher's queue was full): load shedding, not errors. */
  readonly unavailable: number;
}

/** What one repetition of the storm measured. */
export interface AuthStormSample {
  readonly meAlone: RouteWindow;
  readonly stormAlone: StormWindow;
  /** Server CPU time (all threads, hashing included) per completed sign-in, in µs. */
  readonly cpuUsPerSignIn: number;
  readonly meDuringStorm: RouteWindow;
  readonly stormDuringMe: StormWindow;
  /**
   * Share of the server CPU's time that other processes took during the storm's run in
   * the third window (null: unknown); the event loop and the hashing threads are the
   * server's own.
   */
  readonly foreignCpuDuring: number | null;
}

/** Load settings of the run that the storm uses. */
export interface AuthStormSettings {
  readonly durationS: number;
  readonly warmupS: number;
  /** Connections of each wrk process (the `GET /me` load and the storm). */
  readonly connections: number;
  readonly loadCpu: string | null;
  readonly workDir: string;
  /** CPU the server is pinned to, whose counters tell how much else ran there. */
  readonly serverCpu: string | null;
}

/**
 * wrk's own 2 s would count queued sign-ins as timeouts on a slow machine: a sign-in
 * waits for up to `maxQueue / concurrency` hashes ahead of it, by design.
 */
const STORM_TIMEOUT_S = 10;

/**
 * Seconds the storm runs before `GET /me` joins it in the third window. A sign-in at the
 * back of a full queue waits `queued / concurrency` hashes, a second or more on a busy
 * machine: without a lead a short window would end before the storm got going.
 */
export const STORM_LEAD_S = 1;

function fail(what: string): never {
  throw new RowCheckError(what);
}

function checkSockets(what: string, result: WrkResult): void {
  const { connect, timeout } = result.socketErrors;
  if (connect > 0 || timeout > 0) {
    fail(`${what}: socket errors under load: ${JSON.stringify(result.socketErrors)}`);
  }
}

function routeWindow(what: string, result: WrkResult): RouteWindow {
  if (result.requests === 0) fail(`${what}: wrk completed no request`);
  if (result.non2xx > 0) fail(`${what}: ${result.non2xx} non-2xx responses`);
  checkSockets(what, result);
  return { rps: result.rps, p99Us: result.p99Us };
}

function stormWindow(what: string, report: { result: WrkResult; stdout: string }): StormWindow {
  const counts: StatusCounts = parseStatusCounts(report.stdout);
  if (counts.other > 0) fail(`${what}: ${counts.other} responses neither 2xx nor 503`);
  if (counts.ok === 0) fail(`${what}: no sign-in completed`);
  checkSockets(what, report.result);
  return {
    signInsPerS: counts.ok / report.result.durationS,
    p99Us: report.result.p99Us,
    unavailable: counts.unavailable,
  };
}

async function expectUser(port: number, cookie: string, email: string, when: string) {
  const me = await probe(port, '/me', cookie);
  if (me.status !== 200) fail(`GET /me ${when} with the session cookie answered ${me.status}`);
  const body = JSON.parse(me.body) as { email?: unknown };
  if (body.email !== email) fail(`GET /me ${when} did not answer the signed-in user`);
}

/** How long the hasher may take to work off what a stopped storm left queued. */
const DRAIN_TIMEOUT_MS = 60_000;
const DRAIN_RETRY_MS = 100;

/**
 * Waits until the sign-ins a finished wrk run left behind are done. wrk stops waiting at
 * the end of its window, but the server still hashes every sign-in it queued (up to
 * `concurrency + maxQueue` of them), and those would run into the next window: `GET /me
 * alone` measured during a leftover storm. The hasher's queue is first in, first out,
 * so one more sign-in returns only after all of them; a 503 (queue still full) or a
 * probe timeout means waiting some more.
 */
async function drainHasher(port: number, credentials: AuthCredentials): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  const body = { contentType: 'application/json', body: JSON.stringify(credentials) };
  for (;;) {
    const answer = await probe(port, '/sign-in', null, body).catch(() => null);
    if (answer?.status === 200) return;
    if (answer !== null && answer.status !== 503) {
      fail(`POST /sign-in after the storm answered ${answer.status}`);
    }
    if (Date.now() > deadline)
      fail(`the hasher was still busy ${DRAIN_TIMEOUT_MS} ms after the storm`);
    await new Promise((resolve) => setTimeout(resolve, DRAIN_RETRY_MS));
  }
}

/** Signs in once and proves the session is authenticated; returns its Cookie header. */
async function signedInCookie(port: number, credentials: AuthCredentials): Promise<string> {
  const stranger = await probe(port, '/me', null);
  if (stranger.status !== 401) fail(`GET /me without a session answered ${stranger.status}`);
  const signIn = await probe(port, '/sign-in', null, {
    contentType: 'application/json',
    body: JSON.stringify(credentials),
  });
  if (signIn.status !== 200) fail(`POST /sign-in answered ${signIn.status}`);
  if (signIn.setCookies.length === 0) fail('POST /sign-in set no cookie');
  const cookie = cookieHeader(signIn.setCookies);
  await expectUser(port, cookie, credentials.email, 'before the load');
  return cookie;
}

/** Measures the storm once against its running `server`; throws RowCheckError on errors. */
export async function measureAuthStorm(
  server: ServerProcess,
  credentials: AuthCredentials,
  load: AuthStormSettings,
): Promise<AuthStormSample> {
  const cookie = await signedInCookie(server.port, credentials);
  const script = join(load.workDir, 'auth-sign-in.lua');
  writePostScript(script, JSON.stringify(credentials), 'application/json');
  const base = { connections: load.connections, cpu: load.loadCpu };
  const me: Omit<WrkRun, 'durationS'> = {
    ...base,
    url: `http://127.0.0.1:${server.port}/me`,
    cookie,
    script: null,
  };
  const storm: Omit<WrkRun, 'durationS'> = {
    ...base,
    url: `http://127.0.0.1:${server.port}/sign-in`,
    cookie: null,
    script,
    timeoutS: STORM_TIMEOUT_S,
  };
  const window = { durationS: load.durationS };
  if (load.warmupS > 0) {
    const warm = { durationS: load.warmupS };
    await Promise.all([runWrk({ ...me, ...warm }), runWrk({ ...storm, ...warm })]);
    await drainHasher(server.port, credentials);
  }
  const meAlone = routeWindow('GET /me alone', await runWrk({ ...me, ...window }));
  const cpuBefore = await server.cpuUs();
  const stormAloneReport = await runWrkReport({ ...storm, ...window });
  // The window's CPU time over its completed sign-ins: the few hashes still running when
  // wrk stopped make it slightly high, by at most `concurrency` partial hashes.
  const cpuAfter = await server.cpuUs();
  await drainHasher(server.port, credentials);
  const stormAlone = stormWindow('sign-in storm alone', stormAloneReport);
  const ticksBefore = readCpuTicks(load.serverCpu);
  const cpuDuringBefore = await server.cpuUs();
  const [stormDuring, meDuring] = await Promise.all([
    runWrkReport({ ...storm, durationS: load.durationS + STORM_LEAD_S }),
    new Promise((resolve) => setTimeout(resolve, STORM_LEAD_S * 1000)).then(() =>
      runWrk({ ...me, ...window }),
    ),
  ]);
  const ticksAfter = readCpuTicks(load.serverCpu);
  const cpuDuringAfter = await server.cpuUs();
  await drainHasher(server.port, credentials);
  const exited = server.exited();
  if (exited !== null) fail(exited);
  const signIns = parseStatusCounts(stormAloneReport.stdout).ok;
  const sample: AuthStormSample = {
    meAlone,
    stormAlone,
    cpuUsPerSignIn: (cpuAfter - cpuBefore) / signIns,
    meDuringStorm: routeWindow('GET /me during the storm', meDuring),
    stormDuringMe: stormWindow('sign-in storm during GET /me', stormDuring),
    foreignCpuDuring: foreignShare(ticksBefore, ticksAfter, cpuDuringAfter - cpuDuringBefore),
  };
  // Thousands of sign-ins of the same user must not have ended this session.
  await expectUser(server.port, cookie, credentials.email, 'after the load');
  return sample;
}
