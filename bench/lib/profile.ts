/**
 * `--cpu-prof` support: where server profiles go, and a short self-time summary so the
 * hot functions of a row show up in the terminal without opening DevTools.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/**
 * Node flags that make a server write its profiles into `dir` when it exits. Every
 * thread writes one (tsx runs its loader hooks on a worker thread), so names keep
 * Node's default `CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile` pattern.
 */
export function cpuProfileArgs(dir: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/** The main thread's (tid 0) profile in `dir`, where the requests were served. */
export function mainThreadProfile(dir: string): string | null {
  const file = readdirSync(dir).find((name) =>
    /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(name),
  );
  return file === undefined ? null : join(dir, file);
}

/** Line numbers where each bundled module starts (esbuild marks them `// src/x.ts`). */
function moduleStarts(file: string): { line: number; source: string }[] {
  const starts: { line: number; source: string }[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const match = /^\/\/ ((?:src|bench)\/\S+\.ts)$/.exec(text);
      if (match) starts.push({ line: i, source: match[1]! });
    });
  return starts;
}

/** Names a frame "function source.ts", mapping built server files back to their sources. */
function frameNamer(root: string): (node: ProfileNode) => string {
  const bundles = new Map<string, { line: number; source: string }[]>();
  return ({ callFrame: { functionName, url, lineNumber } }) => {
    const name = functionName || '(anonymous)';
    if (!url.startsWith('file://')) return `${name} ${url}${url ? `:${lineNumber + 1}` : ''}`;
    const path = new URL(url).pathname;
    if (!path.includes('/servers/') || !path.endsWith('.js')) {
      return `${name} ${relative(root, path)}:${lineNumber + 1}`;
    }
    if (!bundles.has(path)) bundles.set(path, moduleStarts(path));
    const source = bundles.get(path)!.findLast((start) => start.line <= lineNumber)?.source;
    return `${name} ${source ?? 'server'} (built line ${lineNumber + 1})`;
  };
}

/**
 * The `count` functions with the most self time, as "share  name file:line" lines. Idle
 * time is left out, so shares are of the time the server was actually busy.
 */
export function topSelfTime(file: string, root: string, count: number): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const frameName = frameNamer(root);
  const self = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') return;
    const name = frameName(node);
    self.set(name, (self.get(name) ?? 0) + dt);
    busy += dt;
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => `${((100 * us) / busy).toFixed(1).padStart(5)}%  ${name}`);
}
