import { DEPLOYMENT_NAME, SECRET_NAME } from '../../shared/model';

/**
 * What every reader produces: a value found somewhere else, with what the source says about
 * it. Readers never decide where it lands in the vault; the plan does (src/main/interchange/
 * plan.ts), against the inventory, and the user confirms it.
 */
export interface Candidate {
  /** Suggested secret name (already a valid Rekey name). */
  name: string;
  value: string;
  /** The source's grouping when it has one that fits a deployment name (folder, group). */
  deployment: string | null;
  service: string;
  notes: string;
  /** Where it was found, for people: `compose.yaml: services.db.environment.POSTGRES_PASSWORD`. */
  source: string;
}

/** Something a reader saw but could not turn into a candidate, and why. */
export interface SourceProblem {
  source: string;
  reason: string;
}

export interface ReadResult {
  candidates: Candidate[];
  problems: SourceProblem[];
}

/**
 * A name from another tool ("GitHub Token", "db/postgres (prod)") made into a valid Rekey
 * secret name, keeping it recognisable: runs of other characters become one `-`.
 */
export function safeName(raw: string): string | null {
  const cleaned = raw
    .trim()
    .replace(/[^A-Za-z0-9._:@/-]+/g, '-')
    .replace(/\/{2,}/g, '/')
    .replace(/^[^A-Za-z0-9_]+/, '')
    .replace(/[-/]+$/, '')
    .slice(0, 128);
  return SECRET_NAME.test(cleaned) ? cleaned : null;
}

/** A folder or group name as a deployment, when it can be one. */
export function safeDeployment(raw: string | undefined | null): string | null {
  if (!raw) return null;
  const cleaned = raw
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 64);
  return DEPLOYMENT_NAME.test(cleaned) ? cleaned : null;
}

/**
 * Gives every candidate a distinct name within one import: a second `API_KEY` becomes
 * `API_KEY-2`, so two entries never silently collapse into one secret.
 */
export function distinctNames(candidates: Candidate[]): Candidate[] {
  const seen = new Map<string, number>();
  return candidates.map((candidate) => {
    const key = `${candidate.deployment ?? ''}/${candidate.name}`;
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    return count === 1 ? candidate : { ...candidate, name: `${candidate.name}-${count}` };
  });
}
