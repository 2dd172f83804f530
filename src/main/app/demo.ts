import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { DemoReport, MethodInput, MethodName, MethodOutput } from '../../shared/api';
import { RekeyError } from '../../shared/errors';
import { LOCAL_HOST } from '../../shared/model';
import {
  DEMO_DEPLOYMENT,
  DEMO_FILES,
  DEMO_PLAYBOOK_FILE,
  DEMO_PLAYBOOK_TEXT,
  bindingVariables,
  demoPlaybook,
  demoSecrets,
} from '../demo/definition';
import { type DemoFiles, checkDemoFolder, createDemo, removeDemo } from '../demo/files';
import { demoService, freeLoopbackPort, nodeRuntime, startDemoService } from '../demo/service';
import { identityOf } from '../vault/file-io';
import { lockPathFor } from '../vault/lock';
import { Vault } from '../vault/vault';
import type { Implementation } from './handle';
import type { AppSession } from './session';
import { resolveKdf } from './vault';

/** A call of the contract from inside the core: validated like any other, errors thrown. */
export type InnerCall = <M extends MethodName>(
  method: M,
  input: MethodInput<M>,
) => Promise<MethodOutput<M>>;

/**
 * "Try it without a server": a demo folder with config files and a local service that reads
 * them, and a vault that knows the secrets and rotates them by the demo playbook. The vault
 * is filled through the contract's own methods (secrets.add, playbooks.add,
 * deployments.setPlaybook), so the demo is what a user would have built by hand. Anything
 * that fails takes the whole demo away again: files, vault and service.
 */
export function demoMethods(
  session: AppSession,
  call: InnerCall,
): Pick<Implementation, 'demo.create'> {
  return {
    'demo.create': async ({ dir, password, port, vaultPath, kdf }) => {
      const folder = await checkDemoFolder(resolve(dir));
      const vaultFile = resolve(vaultPath ?? join(folder.dir, DEMO_FILES.vault));
      if (await identityOf(vaultFile)) {
        throw new RekeyError('ALREADY_EXISTS', `A vault already exists at ${vaultFile}`);
      }
      const cost = await resolveKdf(kdf, (fraction) =>
        session.emit({ type: 'kdf.progress', fraction }),
      );
      const chosenPort = port ?? (await freeLoopbackPort());
      const made = await createDemo(folder.dir, { port: chosenPort });
      const previousPath = session.vaultPath;
      session.lock(session.vault ? 'user' : null);
      let vault: Vault | null = null;
      try {
        vault = await Vault.create(vaultFile, password, cost, session.vaultOptions());
        // Filled before any window hears of it (session.opened tells them): they see the
        // demo vault complete, and nothing at all of one that failed half-way.
        session.vault = vault;
        session.vaultPath = vaultFile;
        const report = await fill(made, call);
        await session.preferences.save({ lastVaultPath: vaultFile });
        session.vault = null;
        session.opened(vault);
        return report;
      } catch (error) {
        if (session.vault === vault) session.vault = null;
        vault?.close();
        session.vaultPath = previousPath;
        await demoService(made.dir, 'stop').catch(() => undefined);
        await removeDemo(made);
        if (vault && dirname(vaultFile) !== made.dir) {
          await rm(vaultFile, { force: true });
          await rm(lockPathFor(vaultFile), { force: true });
        }
        throw error;
      }
    },
  };
}

/** Puts the demo's secrets, playbook and deployment into the open vault; starts the service. */
async function fill(made: DemoFiles, call: InnerCall): Promise<DemoReport> {
  const { node } = nodeRuntime();
  const variables = { dir: made.dir, port: made.port, node };
  const refs: string[] = [];
  for (const { name, metadata } of demoSecrets(variables)) {
    const value = made.values.get(name);
    if (value === undefined) throw new RekeyError('INTERNAL', `The demo has no value for ${name}`);
    const ref = `${DEMO_DEPLOYMENT}/${name}`;
    await call('secrets.add', { ref, metadata, value: { kind: 'enter', value } });
    refs.push(ref);
  }
  await call('deployments.setHosts', { name: DEMO_DEPLOYMENT, hosts: [LOCAL_HOST] });
  const playbook = await call('playbooks.add', {
    text: DEMO_PLAYBOOK_TEXT,
    fileName: DEMO_PLAYBOOK_FILE,
  });
  await call('deployments.setPlaybook', {
    name: DEMO_DEPLOYMENT,
    playbook: playbook.id,
    variables: bindingVariables(variables),
  });
  const pid = await startDemoService(made.dir);
  return {
    dir: made.dir,
    vault: await call('vault.status', {}),
    deployment: DEMO_DEPLOYMENT,
    playbook: demoPlaybook().id,
    secrets: refs,
    files: made.files,
    service: {
      url: `http://127.0.0.1:${made.port}`,
      port: made.port,
      pid,
      script: made.script,
      node,
    },
  };
}
