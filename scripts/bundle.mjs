// Shared esbuild setup for Node bundles (the CLI, and test children that run in their own
// process): one ESM file per entry, native addons external, `?raw` text imports as in Vite.
import { readFile, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const rawText = {
  name: 'raw-text',
  setup(builder) {
    builder.onResolve({ filter: /\?raw$/ }, async (args) => {
      const resolved = await builder.resolve(args.path.slice(0, -4), {
        resolveDir: args.resolveDir,
        kind: args.kind,
      });
      return { path: resolved.path, namespace: 'raw-text' };
    });
    builder.onLoad({ filter: /.*/, namespace: 'raw-text' }, async (args) => ({
      contents: await readFile(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

export async function bundleNode({ entryPoints, outdir, define = {} }) {
  await rm(outdir, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    mainFields: ['module', 'main'],
    target: 'node20',
    sourcemap: true,
    minify: true,
    external: [
      '@node-rs/argon2',
      '@napi-rs/keyring',
      'fs-native-extensions',
      'ssh2',
      'cpu-features',
    ],
    define,
    banner: {
      // Bundled CommonJS dependencies may still call require().
      js: "import { createRequire as __rekeyCreateRequire } from 'node:module'; const require = __rekeyCreateRequire(import.meta.url);",
    },
    plugins: [rawText],
    logLevel: 'warning',
  });
}
