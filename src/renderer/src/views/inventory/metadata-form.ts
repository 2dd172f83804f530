import type { GeneratorSpec, Policy, SecretMetadata } from '../../../../shared/model';
import { GENERATOR_KINDS } from '../../../../shared/model';

/** The editable metadata as form fields (all strings), and back with validation. */
export interface MetadataDraft {
  service: string;
  description: string;
  impact: string;
  difficulty: SecretMetadata['difficulty'];
  handling: string;
  policyKind: Policy['kind'];
  policyDays: string;
  generator: string;
  tags: string;
  compromised: boolean;
}

export function draftFrom(metadata: SecretMetadata): MetadataDraft {
  return {
    service: metadata.service,
    description: metadata.description,
    impact: metadata.impact,
    difficulty: metadata.difficulty,
    handling: metadata.handling,
    policyKind: metadata.policy.kind,
    policyDays: metadata.policy.kind === 'interval' ? String(metadata.policy.days) : '90',
    generator: metadata.generator ? formatSpec(metadata.generator) : '',
    tags: metadata.tags.join(', '),
    compromised: metadata.compromised,
  };
}

export function formatSpec(spec: GeneratorSpec): string {
  return spec.kind === 'ed25519' ? 'ed25519' : `${spec.kind}:${spec.length}`;
}

export function parseSpec(text: string): GeneratorSpec | string {
  const [kind = '', length] = text.trim().toLowerCase().split(':');
  if (!(GENERATOR_KINDS as readonly string[]).includes(kind)) {
    return `Use one of ${GENERATOR_KINDS.join(', ')}, e.g. base64:32`;
  }
  if (kind === 'ed25519') return { kind: 'ed25519', length: 0 };
  const count = length === undefined ? 32 : Number(length);
  if (!/^\d+$/.test(length ?? '32') || count < 1 || count > 4096)
    return 'The length is a whole number, e.g. base64:32';
  return { kind: kind as GeneratorSpec['kind'], length: count };
}

export type DraftErrors = Partial<Record<keyof MetadataDraft, string>>;

/** Everything the form edits; targets are the connectors' and are never touched here. */
export type EditableMetadata = Omit<SecretMetadata, 'targets'>;

export function metadataFrom(
  draft: MetadataDraft,
): { metadata: EditableMetadata } | { errors: DraftErrors } {
  const errors: DraftErrors = {};
  let policy: Policy = { kind: draft.policyKind } as Policy;
  if (draft.policyKind === 'interval') {
    const days = Number(draft.policyDays);
    if (!Number.isInteger(days) || days < 1 || days > 36500)
      errors.policyDays = 'Days between 1 and 36500';
    else policy = { kind: 'interval', days };
  }
  let generator: GeneratorSpec | null = null;
  if (draft.generator.trim()) {
    const parsed = parseSpec(draft.generator);
    if (typeof parsed === 'string') errors.generator = parsed;
    else generator = parsed;
  }
  const tags = [
    ...new Set(
      draft.tags
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
  if (tags.some((tag) => tag.length > 64)) errors.tags = 'Tags are at most 64 characters';
  if (draft.service.length > 200) errors.service = 'At most 200 characters';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    metadata: {
      service: draft.service.trim(),
      description: draft.description,
      impact: draft.impact,
      difficulty: draft.difficulty,
      handling: draft.handling,
      policy,
      generator,
      tags,
      compromised: draft.compromised,
    },
  };
}
