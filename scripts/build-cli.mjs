// Bundles the `rekey` CLI into out/cli so it starts fast.
import { readFile } from 'node:fs/promises';
import { bundleNode } from './bundle.mjs';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

await bundleNode({
  entryPoints: { rekey: 'src/main/cli/main.ts' },
  outdir: 'out/cli',
  define: { REKEY_VERSION: JSON.stringify(pkg.version) },
});
