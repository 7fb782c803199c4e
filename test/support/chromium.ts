/**
 * The browser of the browser tests: Debian's Chromium (`apt-get install -y chromium`),
 * driven by playwright-core, never a browser downloaded by Playwright. Without it the
 * suites skip with the reason; with `TESSERA_REQUIRE_SERVICES=1` (CI) they fail.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { unavailable } from './services.js';

/** The Chromium executable. @default '/usr/bin/chromium' */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `false` when Chromium runs, else why not (see {@link unavailable}). */
export function probeChromium(): string | false {
  if (!existsSync(CHROMIUM_PATH)) {
    return unavailable(
      `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium): the browser tests need it`,
    );
  }
  const probe = spawnSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  if (probe.status !== 0) {
    return unavailable(`Chromium at ${CHROMIUM_PATH} does not run: ${probe.stderr || probe.error}`);
  }
  return false;
}

/** A headless Chromium; close it in an `after` hook. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // The sandbox needs user namespaces, which containers (and root) often lack.
    args: ['--no-sandbox'],
  });
}
