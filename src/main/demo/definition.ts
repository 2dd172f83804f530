import playbookText from '../../../resources/demo/demo-playbook.yaml?raw';
import serviceScript from '../../../resources/demo/demo-service.mjs?raw';
import { RekeyError } from '../../shared/errors';
import { LOCAL_HOST, type SecretMetadata } from '../../shared/model';
import { plannedTarget } from '../rotation/plan-steps';
import { type Playbook, checkPlaybook } from '../rotation/playbook';
import { resolveVariables } from '../rotation/playbook-variables';

/**
 * What the demo is made of: its playbook (resources/demo/demo-playbook.yaml, kept in the demo
 * vault like a user's own) and its service (resources/demo/demo-service.mjs, copied into the
 * demo folder so it runs without Rekey's sources). Both are bundled as text at build time,
 * like the built-in playbooks, so the desktop app, the CLI bundle and the tests share them.
 */

export const DEMO_PLAYBOOK_TEXT: string = playbookText;
export const DEMO_PLAYBOOK_FILE = 'demo-playbook.yaml';
export const DEMO_SERVICE_SCRIPT: string = serviceScript;

export const DEMO_DEPLOYMENT = 'demo';
/** The LiveKit API key the demo files its secret under (a public identifier, not a secret). */
export const DEMO_LIVEKIT_KEY = 'APIRekeyDemo';

/** Files of the demo folder, relative to it. */
export const DEMO_FILES = {
  script: 'demo-service.mjs',
  pid: 'demo-service.pid',
  log: 'demo-service.log',
  synctvConfig: 'synctv/config.yaml',
  livekitConfig: 'livekit/livekit.yaml',
  livekitEnv: 'livekit/.env',
  vault: 'demo.rekey',
} as const;

let parsed: Playbook | null = null;

/** The demo playbook, parsed once; a broken one is Rekey's bug, reported as INTERNAL. */
export function demoPlaybook(): Playbook {
  if (parsed) return parsed;
  const checked = checkPlaybook(DEMO_PLAYBOOK_TEXT, DEMO_PLAYBOOK_FILE);
  if (!checked.ok) {
    throw new RekeyError(
      'INTERNAL',
      `The demo playbook is invalid:\n${checked.problems.map((p) => p.text).join('\n')}`,
    );
  }
  parsed = checked.playbook;
  return parsed;
}

/** The variables the demo deployment binds its playbook with. */
export interface DemoVariables {
  dir: string;
  port: number;
  node: string;
}

export function bindingVariables(variables: DemoVariables): Record<string, string> {
  return { dir: variables.dir, port: String(variables.port), node: variables.node };
}

/**
 * Each demo secret's inventory metadata, taken from the playbook (what it protects, how hard
 * it is to rotate, its policy and generator) with its targets on `local` in the demo folder.
 */
export function demoSecrets(
  variables: DemoVariables,
): { name: string; metadata: SecretMetadata }[] {
  const playbook = demoPlaybook();
  const binding = {
    secretId: '',
    playbookId: playbook.id,
    variables: resolveVariables(playbook, bindingVariables(variables)),
    hostOf: () => LOCAL_HOST,
  };
  return playbook.secrets.map((secret) => ({
    name: secret.name,
    metadata: {
      service: secret.targets[0]?.service ?? playbook.service,
      description: secret.description,
      impact: secret.impact,
      difficulty: secret.difficulty,
      handling: secret.handling,
      policy: secret.policy,
      generator: secret.generator,
      tags: secret.tags,
      compromised: false,
      targets: secret.targets.map((target) => {
        const planned = plannedTarget(secret, target.id, binding);
        return { host: LOCAL_HOST, path: planned.path, format: planned.format, key: planned.key };
      }),
    },
  }));
}
