import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layering of DESIGN.md is a lint rule; these cases prove the rule bites. */
describe('layering lint rule', () => {
  const eslint = new ESLint();

  async function rulesHit(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).map((m) => m.ruleId ?? 'parse-error');
  }

  it.each([
    [
      'src/main/vault/example.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
      'no-restricted-imports',
    ],
    [
      'src/main/app/example.ts',
      "import { x } from '../../renderer/src/main';\nexport const a = x;\n",
      'import-x/no-restricted-paths',
    ],
    [
      'src/renderer/src/example.ts',
      "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n",
      'no-restricted-imports',
    ],
    [
      'src/renderer/src/example.ts',
      "import { Vault } from '../../main/vault/vault';\nexport const a = Vault;\n",
      'import-x/no-restricted-paths',
    ],
    [
      'src/shared/example.ts',
      "import { Vault } from '../main/vault/vault';\nexport const a = Vault;\n",
      'import-x/no-restricted-paths',
    ],
  ])('%s: refuses %j', async (filePath, code, rule) => {
    expect(await rulesHit(filePath, code)).toContain(rule);
  });

  it.each([
    ['src/main/electron/example.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    [
      'src/renderer/src/example.ts',
      "import { contract } from '../../shared/api';\nexport const a = contract;\n",
    ],
    [
      'src/main/app/example.ts',
      "import { contract } from '../../shared/api';\nexport const a = contract;\n",
    ],
  ])('%s: allows %j', async (filePath, code) => {
    expect(await rulesHit(filePath, code)).toEqual([]);
  });
});
