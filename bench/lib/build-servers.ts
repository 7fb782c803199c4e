/**
 * Compiles each server (with the Tessera sources it imports) into one plain JavaScript
 * file, so servers run on bare `node` with no loader in the way.
 *
 * Why not `node --import tsx`: tsx compiles with esbuild's `keepNames`, which wraps every
 * function expression in a `__name(fn, "name")` call. Tessera creates closures per request,
 * so under tsx it paid a few µs per request that a published build does not, while peers
 * (plain JavaScript in node_modules, left untransformed) paid nothing. Bundling our own
 * code without `keepNames` measures what users will run.
 *
 * Packages stay external and are imported by absolute path, so every peer runs exactly
 * the code it ships, resolved from the project's node_modules.
 */
import { basename, join } from 'node:path';
import { build, type Plugin } from 'esbuild';

const externalPackages: Plugin = {
  name: 'external-packages-by-absolute-path',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      // Builtins (node:http) come back external and keep their specifier.
      return { path: resolved.external ? args.path : resolved.path, external: true };
    });
  },
};

/** One server's build: the JavaScript file to run, or why it could not be built. */
export type BuiltServer = { readonly js: string } | { readonly error: string };

async function buildOne(root: string, server: string, outdir: string): Promise<BuiltServer> {
  const js = join(outdir, basename(server).replace(/\.ts$/, '.js'));
  try {
    await build({
      absWorkingDir: root,
      entryPoints: [server],
      outfile: js,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node}`,
      keepNames: false,
      minify: false,
      sourcemap: false,
      logLevel: 'silent',
      plugins: [externalPackages],
    });
    return { js };
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string } }[] }).errors;
    const first = errors?.[0];
    return {
      error: first ? `build failed: ${first.location?.file ?? ''} ${first.text}` : String(error),
    };
  }
}

/**
 * Builds each server file (paths relative to `root`) into `outdir`, separately, so that
 * one broken server (say, Tessera mid-change) does not take the baselines down with it.
 */
export async function buildServers(
  root: string,
  servers: readonly string[],
  outdir: string,
): Promise<Map<string, BuiltServer>> {
  const unique = [...new Set(servers)];
  const built = await Promise.all(unique.map((server) => buildOne(root, server, outdir)));
  return new Map(unique.map((server, i) => [server, built[i]!]));
}
