import { RekeyError } from '../../shared/errors';
import type { Policy, SecretDetail, SecretSummary } from '../../shared/model';

/** Plain-text rendering for the terminal: aligned columns, no colour codes in pipes. */

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function describePolicy(policy: Policy): string {
  switch (policy.kind) {
    case 'none':
      return 'no policy';
    case 'manual':
      return 'do not rotate routinely';
    case 'interval':
      return `rotate every ${policy.days} days`;
  }
}

export function secretRows(secrets: readonly SecretSummary[]): string[][] {
  return secrets.map((secret) => [
    secret.ref,
    secret.service || '-',
    secret.ageDays === null ? '-' : `${secret.ageDays}d`,
    secret.rotation,
    secret.strength ?? '-',
    [secret.compromised ? 'COMPROMISED' : '', secret.weak ? 'weak' : '']
      .filter(Boolean)
      .join(',') || '-',
  ]);
}

export const SECRET_COLUMNS = ['SECRET', 'SERVICE', 'AGE', 'ROTATION', 'STRENGTH', 'FLAGS'];

export function describeSecret(secret: SecretDetail): string {
  const { metadata } = secret;
  const field = (name: string, value: string) => `${`${name}:`.padEnd(14)}${value || '-'}`;
  const lines = [
    field('secret', secret.ref),
    field('service', metadata.service),
    field('description', metadata.description),
    field('impact', metadata.impact),
    field('difficulty', metadata.difficulty),
    field('handling', metadata.handling),
    field('policy', `${describePolicy(metadata.policy)} (${secret.rotation})`),
    field(
      'generator',
      metadata.generator ? `${metadata.generator.kind}:${metadata.generator.length}` : '',
    ),
    field('tags', metadata.tags.join(', ')),
    field(
      'flags',
      [metadata.compromised ? 'compromised' : '', secret.weak ? 'weak' : '']
        .filter(Boolean)
        .join(', '),
    ),
    field('targets', metadata.targets.map((t) => `${t.host}:${t.path}#${t.key}`).join(', ')),
    field('created', secret.createdAt),
    '',
    'versions (newest first):',
  ];
  for (const version of secret.versions) {
    const labels = version.labels.length > 0 ? ` [${version.labels.join(', ')}]` : '';
    const problems =
      version.strength.problems.length > 0 ? ` - ${version.strength.problems.join('; ')}` : '';
    lines.push(
      `  fp:${version.fingerprint}  ${version.createdAt}  ${version.origin}, ${version.strength.rating} (${version.strength.bits} bits)${labels}${problems}`,
    );
  }
  return lines.join('\n');
}

/** `2026-01-31`, any ISO date-time, or a span back from now: `90m`, `24h`, `7d`, `2w`. */
export function parseWhen(text: string, now: Date): string {
  const span = /^(\d+)\s*([mhdw])$/.exec(text.trim());
  if (span) {
    const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[
      span[2] as 'm' | 'h' | 'd' | 'w'
    ];
    return new Date(now.getTime() - Number(span[1]) * unitMs).toISOString();
  }
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    throw new RekeyError(
      'INVALID_INPUT',
      `"${text}" is not a date (2026-01-31, an ISO time, or 7d / 24h / 30m)`,
    );
  }
  return new Date(time).toISOString();
}

export function parseDays(text: string): number {
  const match = /^(\d+)\s*(d|days?|w|weeks?|y|years?)?$/i.exec(text.trim());
  if (!match)
    throw new RekeyError(
      'INVALID_INPUT',
      `"${text}" is not a number of days (e.g. 90, 90d, 12w, 1y)`,
    );
  const count = Number(match[1]);
  const unit = (match[2] ?? 'd').toLowerCase()[0];
  return unit === 'w' ? count * 7 : unit === 'y' ? count * 365 : count;
}
