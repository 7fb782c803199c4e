// Builds the package twice from one TypeScript source:
// - dist/esm: `tsc` output (ES modules + .d.ts), the canonical build;
// - dist/cjs: the same files transformed to CommonJS by esbuild, file by file (no bundling,
//   so every class exists once per format), with the .d.ts files copied beside them and a
//   package.json that marks the folder as CommonJS.
// Why not a bundler: bundled CJS entry points would each carry their own copy of shared
// classes, and the npm mirror here lacks rollup's platform packages, which breaks `npm ci`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { transformSync } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const esmDir = join(root, 'dist/esm');
const cjsDir = join(root, 'dist/cjs');

rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

for (const file of walk(esmDir)) {
  const target = join(cjsDir, relative(esmDir, file));
  mkdirSync(dirname(target), { recursive: true });
  if (file.endsWith('.d.ts')) {
    copyFileSync(file, target);
  } else if (file.endsWith('.js')) {
    const { code } = transformSync(readFileSync(file, 'utf8'), {
      format: 'cjs',
      target: 'node20',
      platform: 'node',
    });
    writeFileSync(target, code);
  }
}
writeFileSync(join(esmDir, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
writeFileSync(join(cjsDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
console.log('built dist/esm and dist/cjs');
