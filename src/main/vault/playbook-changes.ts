import { RekeyError } from '../../shared/errors';
import { LOCAL_HOST } from '../../shared/model';
import type { Transaction } from './transaction';

/**
 * The user's own playbooks and which playbook each deployment rotates by. The text of a
 * playbook is checked by the caller (src/main/rotation) before it is saved: the vault only
 * keeps it, so a deployment's procedure travels with the vault and its history.
 */

export function savePlaybook(transaction: Transaction, id: string, text: string): void {
  const replaced = transaction.state.playbooks.has(id);
  transaction.record(
    { kind: 'playbook.saved', data: { id, text } },
    { summary: `Playbook ${id} ${replaced ? 'replaced' : 'added'}` },
  );
}

export function removePlaybook(transaction: Transaction, id: string): void {
  if (!transaction.state.playbooks.has(id)) {
    throw new RekeyError('NOT_FOUND', `No playbook ${id} in this vault`);
  }
  const users = [...transaction.state.deployments.values()].filter(
    (deployment) => deployment.playbook?.id === id,
  );
  if (users.length > 0) {
    throw new RekeyError(
      'INVALID_INPUT',
      `Playbook ${id} is used by ${users.map((deployment) => deployment.name).join(', ')}`,
    );
  }
  transaction.record(
    { kind: 'playbook.removed', data: { id } },
    { summary: `Playbook ${id} removed` },
  );
}

export interface PlaybookBinding {
  playbook: string | null;
  variables: Record<string, string>;
  targetHosts: Record<string, string>;
}

export function setDeploymentPlaybook(
  transaction: Transaction,
  deployment: string,
  binding: PlaybookBinding,
): void {
  if (!transaction.state.deployments.has(deployment)) {
    throw new RekeyError('NOT_FOUND', `No deployment ${deployment}`);
  }
  for (const host of Object.values(binding.targetHosts)) {
    if (host !== LOCAL_HOST && !transaction.state.hosts.has(host)) {
      throw new RekeyError('NOT_FOUND', `No host ${host}`);
    }
  }
  const names = Object.keys(binding.variables);
  transaction.record(
    { kind: 'deployment.playbook-set', data: { name: deployment, ...binding } },
    {
      summary:
        binding.playbook === null
          ? `Deployment ${deployment} rotates by its secrets' targets (no playbook)`
          : `Deployment ${deployment} rotates by playbook ${binding.playbook}${
              names.length > 0 ? ` (variables ${names.join(', ')})` : ''
            }`,
    },
  );
}
