// Bundles the `rekey` CLI into one ESM file so it starts fast. Native addons stay external.
import { readFile, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

/** `import text from './file.txt?raw'`, as Vite understands it. */
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

await rm('out/cli', { recursive: true, force: true });

await build({
  entryPoints: { rekey: 'src/main/cli/main.ts' },
  outdir: 'out/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  mainFields: ['module', 'main'],
  target: 'node20',
  sourcemap: true,
  minify: true,
  external: ['@node-rs/argon2', 'fs-native-extensions', 'ssh2', 'cpu-features'],
  define: { REKEY_VERSION: JSON.stringify(pkg.version) },
  banner: {
    // Bundled CommonJS dependencies may still call require().
    js: "import { createRequire as __rekeyCreateRequire } from 'node:module'; const require = __rekeyCreateRequire(import.meta.url);",
  },
  plugins: [rawText],
  logLevel: 'warning',
});
