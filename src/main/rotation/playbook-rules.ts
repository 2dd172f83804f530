import { type ChecklistItemInput, checklistItem } from './checklist';
import type { FieldPath } from './playbook-errors';
import type { Step } from './playbook-steps';
import { placeholdersIn, usesSecret } from './templates';

/**
 * The rules of a playbook that span several fields: references between steps and targets, the
 * place of the generate step, names that must be unique, variables that must be declared.
 * Each returns its problems with the field path they point at.
 */

export interface RuleProblem {
  path: FieldPath;
  message: string;
}

interface SecretFields {
  guarded: boolean;
  guard_reason?: string | undefined;
  generator: object | null;
  targets: readonly { id: string }[];
  steps: readonly Step[];
}

interface PlaybookFields {
  checklist: readonly ChecklistItemInput[];
  secrets: readonly {
    name: string;
    checklist: readonly ChecklistItemInput[];
    on_exposure: readonly { id: string; rotate: readonly string[] }[];
  }[];
}

export function secretProblems(secret: SecretFields): RuleProblem[] {
  return [...guardProblems(secret), ...targetProblems(secret), ...newValueOrderProblems(secret)];
}

export function playbookProblems(playbook: PlaybookFields): RuleProblem[] {
  return [
    ...duplicates(
      playbook.secrets.map((secret) => secret.name),
      (index) => ['secrets', index, 'name'],
      'another secret of this playbook has the same name',
    ),
    ...checklistProblems(playbook),
    ...undefinedVariables(playbook),
    ...exposureProblems(playbook),
  ];
}

/** A leak response names other secrets of the same playbook, each step id once. */
function exposureProblems(playbook: PlaybookFields): RuleProblem[] {
  const names = playbook.secrets.map((secret) => secret.name);
  return playbook.secrets.flatMap((secret, secretIndex) => [
    ...duplicates(
      secret.on_exposure.map((step) => step.id),
      (index) => ['secrets', secretIndex, 'on_exposure', index, 'id'],
      'another exposure step of this secret has the same id',
    ),
    ...secret.on_exposure.flatMap((step, stepIndex) =>
      step.rotate.flatMap((name, index) =>
        names.includes(name)
          ? []
          : [
              {
                path: ['secrets', secretIndex, 'on_exposure', stepIndex, 'rotate', index],
                message: `no secret of this playbook is named ${name}`,
              },
            ],
      ),
    ),
  ]);
}

function guardProblems(secret: SecretFields): RuleProblem[] {
  if (secret.guarded && secret.guard_reason === undefined) {
    return [
      {
        path: ['guard_reason'],
        message: 'a guarded secret needs a guard_reason: the wizard shows it',
      },
    ];
  }
  if (!secret.guarded && secret.guard_reason !== undefined) {
    return [
      {
        path: ['guard_reason'],
        message: 'guard_reason is only for guarded secrets (guarded: true)',
      },
    ];
  }
  return [];
}

function targetProblems(secret: SecretFields): RuleProblem[] {
  const ids = secret.targets.map((target) => target.id);
  const problems = duplicates(
    ids,
    (index) => ['targets', index, 'id'],
    'another target of this secret has the same id',
  );
  secret.steps.forEach((step, index) => {
    for (const reference of targetReferences(step)) {
      if (!ids.includes(reference.id)) {
        problems.push({
          path: ['steps', index, ...reference.path],
          message: `no target of this secret has that id; expected one of ${ids.join(', ')}`,
        });
      }
    }
  });
  return problems;
}

/** Target ids a step names (`targets`, `on`, in its check and probe too), with where. */
function targetReferences(step: Step): { id: string; path: FieldPath }[] {
  const found: { id: string; path: FieldPath }[] = [];
  const visit = (node: unknown, path: FieldPath) => {
    if (!isRecord(node)) return;
    if (typeof node['on'] === 'string') found.push({ id: node['on'], path: [...path, 'on'] });
    const targets = node['targets'];
    if (Array.isArray(targets)) {
      targets.forEach((id, index) => {
        if (typeof id === 'string') found.push({ id, path: [...path, 'targets', index] });
      });
    }
    visit(node['check'], [...path, 'check']);
    visit(node['probe'], [...path, 'probe']);
  };
  visit(step, []);
  return found;
}

/** One generate step, before every step that writes, sends or compares the new value. */
function newValueOrderProblems(secret: SecretFields): RuleProblem[] {
  const problems: RuleProblem[] = [];
  let generated = false;
  secret.steps.forEach((step, index) => {
    const path = ['steps', index, 'kind'];
    if (step.kind !== 'generate') {
      if (!generated && usesNewValue(step)) {
        problems.push({
          path,
          message: 'this step uses the new value, so a generate step must come before it',
        });
      }
      return;
    }
    if (generated) problems.push({ path, message: 'a secret has one generate step' });
    if (secret.generator === null) {
      problems.push({
        path,
        message: 'generate needs the secret to have a generator, e.g. { kind: hex, length: 32 }',
      });
    }
    generated = true;
  });
  return problems;
}

const NEW_VALUE_STEPS: ReadonlySet<string> = new Set(['write', 'sql', 'redis', 'migrate']);
const NEW_VALUE_CHECKS: ReadonlySet<string> = new Set(['fingerprint', 'sql-login', 'old-rejected']);

function usesNewValue(step: Step): boolean {
  if (NEW_VALUE_STEPS.has(step.kind)) return true;
  if (step.kind === 'verify' && NEW_VALUE_CHECKS.has(step.check.type)) return true;
  return stringsIn(step, []).some(({ value }) => usesSecret(value));
}

function checklistProblems(playbook: PlaybookFields): RuleProblem[] {
  const shared = playbook.checklist.map((item) => checklistItem(item).id);
  const problems = duplicates(shared, (index) => ['checklist', index], 'listed twice');
  playbook.secrets.forEach((secret, secretIndex) => {
    const seen = new Set(shared);
    secret.checklist.forEach((item, index) => {
      const { id } = checklistItem(item);
      if (seen.has(id)) {
        problems.push({
          path: ['secrets', secretIndex, 'checklist', index],
          message: 'this item is already on the checklist',
        });
      }
      seen.add(id);
    });
  });
  return problems;
}

/** The second and later occurrences of each value, at `pathOf(index)`. */
function duplicates(
  values: readonly string[],
  pathOf: (index: number) => FieldPath,
  message: string,
): RuleProblem[] {
  return values.flatMap((value, index) =>
    values.indexOf(value) < index ? [{ path: pathOf(index), message }] : [],
  );
}

/**
 * Every `${name}` in targets and steps names a declared variable. Works on any document, valid
 * or not, so a file with other mistakes still hears about its undefined variables.
 */
export function undefinedVariables(document: unknown): RuleProblem[] {
  const record = isRecord(document) ? document : {};
  const declared = new Set(isRecord(record['variables']) ? Object.keys(record['variables']) : []);
  const secrets = Array.isArray(record['secrets']) ? (record['secrets'] as unknown[]) : [];
  const problems: RuleProblem[] = [];
  secrets.forEach((secret, index) => {
    if (!isRecord(secret)) return;
    const templates = [
      ...stringsIn(secret['targets'], ['secrets', index, 'targets']),
      ...stringsIn(secret['steps'], ['secrets', index, 'steps']),
    ];
    for (const { value, path } of templates) {
      const found = placeholdersIn(value);
      if (!found.ok) continue;
      for (const placeholder of found.placeholders) {
        if (placeholder.kind === 'variable' && !declared.has(placeholder.name)) {
          problems.push({
            path,
            message: `undefined variable \${${placeholder.name}}; declare it under variables`,
          });
        }
      }
    }
  });
  return problems;
}

/** Every string below `node`, with its path. */
function stringsIn(node: unknown, path: FieldPath): { value: string; path: FieldPath }[] {
  if (typeof node === 'string') return [{ value: node, path }];
  if (Array.isArray(node)) return node.flatMap((item, index) => stringsIn(item, [...path, index]));
  if (isRecord(node)) {
    return Object.entries(node).flatMap(([key, value]) => stringsIn(value, [...path, key]));
  }
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
