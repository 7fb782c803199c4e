/**
 * The package as users install it: `npm pack` of the built package, unpacked as
 * `node_modules/tesserajs` of a fresh consumer project whose other modules (Nest,
 * drivers, @types, typescript) are symlinks to this checkout's node_modules. The same
 * layout scripts/check-docs.mjs gives its projects. `npm test` builds before running the
 * tests; run alone, a test builds once if dist/ is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname;

/** Packs the built package into `dir`; returns the tarball's path. */
export function packPackage(dir: string): string {
  if (!existsSync(join(ROOT, 'dist/cjs/index.js'))) {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT });
  }
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const [packed] = JSON.parse(out) as { filename: string }[];
  return join(dir, packed!.filename);
}

/**
 * A consumer project in `dir`: `files` written (paths relative to `dir`), the tarball
 * unpacked as node_modules/tesserajs, every other module linked from this checkout.
 */
export function consumerProject(
  dir: string,
  tarball: string,
  files: Readonly<Record<string, string>>,
): void {
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, 'tesserajs'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', join(modules, 'tesserajs'), '--strip-components=1']);
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry === 'tesserajs' || entry.startsWith('.')) continue;
    symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}
