import genericFile from '../../../resources/playbooks/generic-file.yaml?raw';
import livekit from '../../../resources/playbooks/livekit.yaml?raw';
import livekitKubernetes from '../../../resources/playbooks/livekit-kubernetes.yaml?raw';
import postgresql from '../../../resources/playbooks/postgresql.yaml?raw';
import redis from '../../../resources/playbooks/redis.yaml?raw';
import synapse from '../../../resources/playbooks/synapse.yaml?raw';
import synapseKubernetes from '../../../resources/playbooks/synapse-kubernetes.yaml?raw';
import synctv from '../../../resources/playbooks/synctv.yaml?raw';
import synctvKubernetes from '../../../resources/playbooks/synctv-kubernetes.yaml?raw';
import { RekeyError } from '../../shared/errors';
import { type Playbook, checkPlaybook } from './playbook';

/**
 * The playbooks shipped with Rekey, bundled as text at build time (like the word list) so the
 * desktop app, the CLI bundle and the tests all read the same files from resources/playbooks.
 */

export const BUILTIN_PLAYBOOK_FILES: Readonly<Record<string, string>> = {
  'synctv.yaml': synctv,
  'synctv-kubernetes.yaml': synctvKubernetes,
  'livekit.yaml': livekit,
  'livekit-kubernetes.yaml': livekitKubernetes,
  'synapse.yaml': synapse,
  'synapse-kubernetes.yaml': synapseKubernetes,
  'postgresql.yaml': postgresql,
  'redis.yaml': redis,
  'generic-file.yaml': genericFile,
};

let loaded: readonly Playbook[] | null = null;

/** Parsed on first use; a broken built-in is Rekey's bug, reported as INTERNAL. */
export function builtinPlaybooks(): readonly Playbook[] {
  loaded ??= loadAll();
  return loaded;
}

export function builtinPlaybook(id: string): Playbook | undefined {
  return builtinPlaybooks().find((playbook) => playbook.id === id);
}

function loadAll(): Playbook[] {
  const playbooks: Playbook[] = [];
  for (const [fileName, text] of Object.entries(BUILTIN_PLAYBOOK_FILES)) {
    const checked = checkPlaybook(text, fileName);
    if (!checked.ok) {
      throw new RekeyError(
        'INTERNAL',
        `Built-in playbook is invalid:\n${checked.problems.map((p) => p.text).join('\n')}`,
      );
    }
    if (playbooks.some((playbook) => playbook.id === checked.playbook.id)) {
      throw new RekeyError('INTERNAL', `Two built-in playbooks have the id ${checked.playbook.id}`);
    }
    playbooks.push(checked.playbook);
  }
  return playbooks;
}
