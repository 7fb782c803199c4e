// Builds the package twice from one TypeScript source:
// - dist/esm: `tsc` output (ES modules + .d.ts), the canonical build;
// - dist/cjs: the same files transformed to CommonJS by esbuild, file by file (no bundling,
//   so every class exists once per format), `import()` of optional packages turned into
//   `require()`, with the .d.ts files copied beside them and a package.json that marks the
//   folder as CommonJS.
// Why not a bundler: bundled CJS entry points would each carry their own copy of shared
// classes, and the npm mirror here lacks rollup's platform packages, which breaks `npm ci`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { transformSync } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const esmDir = join(root, 'dist/esm');
const cjsDir = join(root, 'dist/cjs');
// Drop-in replacements of CommonJS packages whose `module.exports` IS the function
// (`const cookieSession = require('cookie-session')`): in the CJS build their default
// export becomes `module.exports`, keeping `.default` (and any named export) on it, so
// both `require(x)` and TypeScript's `import x from` (with or without esModuleInterop) work.
const CJS_DEFAULT_IS_MODULE = new Set(['adapters/cookie-session/index.js']);
const DEFAULT_AS_MODULE =
  '\nmodule.exports = Object.assign(module.exports.default, module.exports);\n';

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
      // The optional packages (drivers, hashers) are loaded with `import()` in the source;
      // in CommonJS that becomes `require()`. Jest runs CommonJS in a VM context where
      // `import()` throws without --experimental-vm-modules, so a default Nest project's
      // e2e test would find every installed driver "missing".
      supported: { 'dynamic-import': false },
    });
    const entry = relative(esmDir, file).split('\\').join('/');
    writeFileSync(target, CJS_DEFAULT_IS_MODULE.has(entry) ? code + DEFAULT_AS_MODULE : code);
  }
}
writeFileSync(join(esmDir, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
writeFileSync(join(cjsDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
console.log('built dist/esm and dist/cjs');
