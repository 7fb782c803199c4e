// The docs check (`npm run check:docs`, run by CI): every ```ts block of README.md and
// docs/*.md must compile against the packed package, as a user would paste it, in three
// fresh consumer projects — ESM (`module: nodenext`), CommonJS (`module: nodenext` in a
// `"type": "commonjs"` package) and `moduleResolution: node10` (older NestJS setups) —
// and, in the ESM project, run.
//
// - The package is built and packed (`npm pack`); each project gets the tarball unpacked
//   as node_modules/tesserajs, exactly what `npm install <tarball>` puts there. Its
//   other modules (peers, @types, typescript) link to this checkout's node_modules.
// - One module per block. Blocks that augment a module (`declare module`, or importing a
//   subpath that augments a global request type: GLOBAL_TYPES, e.g. `tesserajs/express`,
//   which declares `req.session` as express-session's types do) get a program
//   of their own, since an augmentation applies to the whole program; the others share
//   one program per project.
// - Blocks with top-level `await` are checked in the ESM project only (CommonJS has
//   none).
// - NestJS blocks (importing `@nestjs/...` or `tesserajs/nest`) are compiled as a Nest
//   project is, with `experimentalDecorators` and `emitDecoratorMetadata` (in a program
//   of their own), and run with `experimentalDecorators` (tsx, like esbuild, emits no
//   decorator metadata: the blocks inject by token, as the docs recommend).
// - Running: each block runs on its own with tsx, in a fresh folder, with SESSION_SECRET,
//   REDIS_URL and DATABASE_URL set. A block that exits with an error within RUN_MS
//   fails; one still running then (a server) has started cleanly and is stopped.
// - A block that is deliberately partial is skipped: mark its fence ```ts partial.
//
// Exits 1 naming file and line of every failing block.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const RUN_MS = 4000;
// Modules whose types merge into a framework's global request type (drop-in subpaths,
// and the @types of the packages they replace, for "before" blocks of migration guides):
// a user's program holds one of them, never several, so a block importing one is
// compiled in a program of its own, like a `declare module`.
const GLOBAL_TYPES =
  /from '(?:tesserajs\/(?:express|cookie-session)|cookie-session|@fastify\/secure-session)'/;
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const NEST = /from '(?:@nestjs\/[a-z-]+|tesserajs\/nest)'/;
const NEST_OPTIONS = { experimentalDecorators: true, emitDecoratorMetadata: true };
// iron-session's own declarations import `CookieSerializeOptions`, which `cookie` 1.x
// (what a project with Tessera has) no longer declares: "before" blocks of the migration
// guide are compiled as such projects are, with `skipLibCheck`, in a program of their own.
const UNTYPED_PEERS = /from 'iron-session'/;

function sh(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

/** Every ```ts block: file, line, code, and whether it is marked partial. */
function blocks() {
  const files = ['README.md', ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`)]
    .filter((f) => f.endsWith('.md'))
    .sort();
  const found = [];
  for (const file of files) {
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^```ts(?:\s+(.*))?$/.exec(lines[i]);
      if (open === null) continue;
      const start = i + 1;
      const code = [];
      for (i++; i < lines.length && lines[i] !== '```'; i++) code.push(lines[i]);
      found.push({
        file,
        line: start,
        code: `${code.join('\n')}\n`,
        partial: (open[1] ?? '').split(/\s+/).includes('partial'),
      });
    }
  }
  return found;
}

function project(base, name, type, compilerOptions, tarballDir) {
  const dir = join(base, name);
  mkdirSync(join(dir, 'node_modules', 'tesserajs'), { recursive: true });
  sh('tar', [
    '-xzf',
    tarballDir,
    '-C',
    join(dir, 'node_modules', 'tesserajs'),
    '--strip-components=1',
  ]);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === 'tesserajs' || entry === '.bin' || entry.startsWith('.')) continue;
    const target = join(dir, 'node_modules', entry);
    if (!existsSync(target)) symlinkSync(join(root, 'node_modules', entry), target);
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `docs-${name}`, private: true, type }),
  );
  return { name, dir, compilerOptions };
}

function tsconfig(p, files, extraOptions) {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      strict: true,
      noEmit: true,
      types: ['node'],
      skipLibCheck: false,
      ...p.compilerOptions,
      ...extraOptions,
    },
    files,
  };
  const path = join(p.dir, `tsconfig.${randomBytes(4).toString('hex')}.json`);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

/** Compiles `group` (blocks) in project `p`; returns error text per block. */
function compile(p, group) {
  const files = group.map((b) => b.module);
  const extra = group[0].nest
    ? NEST_OPTIONS
    : UNTYPED_PEERS.test(group[0].code)
      ? { skipLibCheck: true }
      : {};
  const result = spawnSync(process.execPath, [tsc, '-p', tsconfig(p, files, extra)], {
    cwd: p.dir,
    encoding: 'utf8',
  });
  const errors = new Map();
  if (result.status === 0) return errors;
  const output = `${result.stdout}${result.stderr}`;
  for (const b of group) {
    const mine = output.split('\n').filter((l) => l.startsWith(b.module));
    if (mine.length > 0) errors.set(b, mine.join('\n'));
  }
  if (errors.size === 0) errors.set(group[0], output.trim());
  return errors;
}

/** Runs one block in the ESM project; resolves to an error text or null. */
function run(p, block, env) {
  return new Promise((resolve) => {
    const cwd = mkdtempSync(join(p.dir, 'run-'));
    writeFileSync(join(cwd, 'package.json'), '{"type":"module"}');
    if (block.nest) {
      writeFileSync(
        join(cwd, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { experimentalDecorators: true } }),
      );
    }
    const file = join(cwd, 'block.ts');
    writeFileSync(file, readFileSync(join(p.dir, block.module), 'utf8'));
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => {
      output += c;
    });
    child.stderr.on('data', (c) => {
      output += c;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, RUN_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL')
        resolve(null); // still running: a server that started
      else resolve(code === 0 ? null : `exit ${code}\n${output.trim()}`);
    });
  });
}

const base = mkdtempSync(join(tmpdir(), 'tessera-docs-'));
let failed = 0;
try {
  sh(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  const packed = JSON.parse(
    sh('npm', ['pack', '--json', '--pack-destination', base], { cwd: root }),
  );
  const tarball = join(base, packed[0].filename);
  const projects = [
    project(base, 'esm', 'module', { module: 'NodeNext', moduleResolution: 'NodeNext' }, tarball),
    project(base, 'cjs', 'commonjs', { module: 'NodeNext', moduleResolution: 'NodeNext' }, tarball),
    project(
      base,
      'node10',
      'commonjs',
      {
        module: 'CommonJS',
        moduleResolution: 'node10',
        esModuleInterop: true,
        ignoreDeprecations: '6.0',
      },
      tarball,
    ),
  ];
  const all = blocks();
  const checked = all.filter((b) => !b.partial);
  const perFile = new Map();
  for (const b of all) {
    const counts = perFile.get(b.file) ?? { checked: 0, partial: 0 };
    counts[b.partial ? 'partial' : 'checked']++;
    perFile.set(b.file, counts);
  }
  for (const [file, counts] of perFile) {
    console.log(`# ${file}: ${counts.checked} checked, ${counts.partial} partial (skipped)`);
  }
  checked.forEach((b, i) => {
    b.module = `block-${i}-${b.file.replace(/[^a-z0-9]+/gi, '-')}-L${b.line}.ts`;
    b.topLevelAwait = /^(?:export )?(?:const|let|await)\b.*\bawait\b|^await\b/m.test(b.code);
    b.augments =
      /^declare module /m.test(b.code) || GLOBAL_TYPES.test(b.code) || UNTYPED_PEERS.test(b.code);
    b.nest = NEST.test(b.code);
  });
  for (const p of projects) {
    const mine = checked.filter((b) => p.name === 'esm' || !b.topLevelAwait);
    for (const b of mine) writeFileSync(join(p.dir, b.module), b.code);
    const shared = mine.filter((b) => !b.augments && !b.nest);
    const nest = mine.filter((b) => !b.augments && b.nest);
    const groups = [shared, nest, ...mine.filter((b) => b.augments).map((b) => [b])].filter(
      (g) => g.length > 0,
    );
    let errors = 0;
    for (const group of groups) {
      for (const [b, text] of compile(p, group)) {
        errors++;
        failed++;
        console.error(`\nFAIL compile (${p.name}) ${b.file}:${b.line}\n${text}`);
      }
    }
    console.log(`# ${p.name}: compiled ${mine.length} blocks, ${errors} failing`);
  }
  const esm = projects[0];
  const env = {
    ...process.env,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  };
  let ran = 0;
  for (const b of checked) {
    const error = await run(esm, b, env);
    ran++;
    if (error !== null) {
      failed++;
      console.error(`\nFAIL run ${b.file}:${b.line}\n${error}`);
    }
  }
  console.log(`# ran ${ran} blocks in the ESM project`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
if (failed > 0) {
  console.error(`\n# docs check: ${failed} failure(s)`);
  process.exit(1);
}
console.log('# docs check: every block compiles and runs');
