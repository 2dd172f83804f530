#!/usr/bin/env node
// The `rekey` command. `npm install` builds out/cli/rekey.js (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../out/cli/rekey.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(
    'rekey: the CLI is not built yet; run `npm run build:cli` in the Rekey folder\n',
  );
  process.exit(1);
}
await import(bundle);
