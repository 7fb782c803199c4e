// The project's test command (`npm test`): builds the package, runs every test file
// (unit tests beside the code in src/, cross-cutting suites in test/) with node's test
// runner through tsx, then checks the packed package with publint and
// @arethetypeswrong/cli. Exits non-zero on the first failing step.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules/.bin', name);

function* testFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* testFiles(path);
    else if (entry.name.endsWith('.test.ts')) yield relative(root, path);
  }
}

function run(label, command, args) {
  console.log(`\n# ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    console.error(`# ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

const filter = process.argv.slice(2);
const files = [
  ...testFiles(join(root, 'src')),
  ...testFiles(join(root, 'test')),
  ...testFiles(join(root, 'bench')),
]
  .filter((file) => filter.length === 0 || filter.some((f) => file.includes(f)))
  .sort();

run('build', process.execPath, [join(root, 'scripts/build.mjs')]);
run(`tests (${files.length} files, node ${process.version})`, process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=2',
  ...files,
]);
if (filter.length === 0) {
  run('publint', bin('publint'), ['--strict']);
  run('attw', bin('attw'), ['--pack', '.']);
}
