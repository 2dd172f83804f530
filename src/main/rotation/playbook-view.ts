import type { PlaybookDetail, PlaybookSummary } from '../../shared/api';
import { checklistItem } from './checklist';
import type { Playbook } from './playbook-schema';
import { describeStep } from './step-description';

/** Playbooks in the contract's JSON shapes, for the wizard, `rekey playbook` and the web host. */

export type PlaybookSource = PlaybookSummary['source'];

export function playbookSummary(playbook: Playbook, source: PlaybookSource): PlaybookSummary {
  return {
    id: playbook.id,
    name: playbook.name,
    service: playbook.service,
    description: playbook.description,
    source,
    secrets: playbook.secrets.map((secret) => ({
      name: secret.name,
      difficulty: secret.difficulty,
      guarded: secret.guarded,
    })),
  };
}

export function playbookDetail(playbook: Playbook, source: PlaybookSource): PlaybookDetail {
  return {
    id: playbook.id,
    name: playbook.name,
    service: playbook.service,
    description: playbook.description,
    source,
    variables: Object.entries(playbook.variables).map(([name, variable]) => ({
      name,
      description: variable.description,
      default: variable.default ?? null,
    })),
    secrets: playbook.secrets.map((secret) => ({
      name: secret.name,
      description: secret.description,
      impact: secret.impact,
      difficulty: secret.difficulty,
      handling: secret.handling,
      policy: secret.policy,
      generator: secret.generator,
      tags: secret.tags,
      guarded: secret.guarded,
      guardReason: secret.guard_reason ?? null,
      targets: secret.targets.map((target) => ({
        id: target.id,
        service: target.service ?? playbook.service,
        format: target.format,
        path: target.path,
        key: target.key ?? '',
      })),
      checklist: [...playbook.checklist, ...secret.checklist].map(checklistItem),
      steps: secret.steps.map((step) => ({ kind: step.kind, ...describeStep(step, secret) })),
    })),
  };
}
