import type {
  Finding,
  FindingKind,
  FixAction,
  HealthSeverity,
  Snooze,
} from '../../shared/health-api';

/** Builds findings with stable ids, so a report run twice names the same finding the same. */

interface Text {
  title: string;
  why: string;
  fix: string;
}

export function secretFinding(
  kind: FindingKind,
  severity: HealthSeverity,
  ref: string,
  text: Text,
  options: { fixAction?: FixAction | null; snoozed?: Snooze | null; detail?: string } = {},
): Finding {
  return {
    id: `${kind}:${ref}${options.detail ? `:${options.detail}` : ''}`,
    kind,
    severity,
    ...text,
    subject: { type: 'secret', ref },
    fixAction: options.fixAction ?? null,
    snoozed: options.snoozed ?? null,
  };
}

export function hostFinding(
  kind: FindingKind,
  severity: HealthSeverity,
  host: string,
  detail: string,
  text: Text,
  fixAction: FixAction | null = null,
): Finding {
  return {
    id: `${kind}:${host}:${detail}`,
    kind,
    severity,
    ...text,
    subject: { type: 'host', name: host },
    fixAction,
    snoozed: null,
  };
}

export function rotateAction(ref: string): FixAction {
  return { kind: 'rotate', ref };
}
