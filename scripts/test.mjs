// The project's test command (`npm test`): builds the package, runs every test file
// (unit tests beside the code in src/, cross-cutting suites in test/) with node's test
// runner through tsx, lists the tests and suites that were skipped and why, then checks
// the packed package with publint and @arethetypeswrong/cli. Exits non-zero on the first
// failing step.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules/.bin', name);

function* testFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // The fixtures' installs hold other packages' own tests (Jest ships some as .test.ts).
    if (entry.isDirectory() && entry.name === 'node_modules') continue;
    if (entry.isDirectory()) yield* testFiles(path);
    else if (entry.name.endsWith('.test.ts')) yield relative(root, path);
  }
}

/** Runs one step with inherited stdio; returns its exit status (signals count as failure). */
function runStep(label, command, args) {
  console.log(`\n# ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  const status = result.status ?? 1;
  if (status !== 0) console.error(`# ${label} failed (exit ${result.status ?? result.signal})`);
  return status;
}

function run(label, command, args) {
  const status = runStep(label, command, args);
  if (status !== 0) process.exit(status);
}

/** Undoes the escaping node's TAP reporter applies to names and directive reasons. */
function tapUnescape(text) {
  const named = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };
  return text.replace(/\\(.)/g, (_, c) => named[c] ?? c);
}

/**
 * The skipped tests and suites in a TAP report, as `{ name, reason }` with the name
 * qualified by its enclosing suites (`suite > test`). Node's summary counts only skipped
 * tests, not skipped suites, so without this a whole skipped store suite goes unnoticed.
 */
function skippedInTap(tap) {
  const path = [];
  const skipped = [];
  for (const line of tap.split('\n')) {
    const subtest = /^( *)# Subtest: (.*)$/.exec(line);
    if (subtest) {
      const depth = subtest[1].length / 4;
      path.length = depth;
      path[depth] = tapUnescape(subtest[2]);
      continue;
    }
    // An unescaped `#` starts the directive; `#` inside names is written `\#`.
    const result = /^( *)(?:not )?ok \d+ - ((?:[^#\\]|\\.)*?) # SKIP(?: (.*))?$/.exec(line);
    if (result) {
      const depth = result[1].length / 4;
      const name = [...path.slice(0, depth), tapUnescape(result[2])].join(' > ');
      skipped.push({ name, reason: result[3] === undefined ? '' : tapUnescape(result[3]) });
    }
  }
  return skipped;
}

const filter = process.argv.slice(2);
const files = [
  ...testFiles(join(root, 'src')),
  ...testFiles(join(root, 'test')),
  ...testFiles(join(root, 'bench')),
]
  .filter((file) => filter.length === 0 || filter.some((f) => file.includes(f)))
  .sort();

// The Nest starter tests have installs of their own: Nest 12 (test/fixtures/nest12)
// cannot share node_modules with the repository's Nest 11, and the Nest 11 starter
// (test/fixtures/nest11) brings Jest, ts-jest, supertest and TypeScript 5, which the
// repository does not use. A fresh checkout gets them here.
for (const [fixture, probe] of [
  ['test/fixtures/nest11', 'jest/package.json'],
  ['test/fixtures/nest12', '@nestjs/core'],
]) {
  if (!existsSync(join(root, fixture, 'node_modules', probe))) {
    run(`npm ci (${fixture})`, 'npm', [
      'ci',
      '--prefix',
      join(root, fixture),
      '--no-audit',
      '--no-fund',
    ]);
  }
}
run('build', process.execPath, [join(root, 'scripts/build.mjs')]);
// The console keeps node's own default (spec on a terminal, TAP otherwise, whose closing
// `# tests` / `# pass` / `# fail` lines CI reads); a second TAP copy goes to a file so
// the skipped tests can be listed afterwards.
const scratch = mkdtempSync(join(tmpdir(), 'tessera-test-'));
const tapFile = join(scratch, 'report.tap');
const status = runStep(`tests (${files.length} files, node ${process.version})`, process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=2',
  `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`,
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tapFile}`,
  ...files,
]);
let tap = '';
try {
  tap = readFileSync(tapFile, 'utf8');
} catch {
  // No report (the runner died before writing one): nothing to list.
}
rmSync(scratch, { recursive: true, force: true });
const skipped = skippedInTap(tap);
console.log(`\n# skipped (${skipped.length}):`);
for (const { name, reason } of skipped) console.log(`#   ${name}${reason ? ` — ${reason}` : ''}`);
if (status !== 0) process.exit(status);
if (filter.length === 0) {
  run('publint', bin('publint'), ['--strict']);
  run('attw', bin('attw'), ['--pack', '.']);
}
