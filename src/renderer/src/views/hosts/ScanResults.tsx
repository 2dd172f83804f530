import type { MethodOutput, ScanFinding } from '../../../../shared/api';
import type { Strength } from '../../../../shared/model';
import { StrengthBadge } from '../../components/badges';
import { fileName, findingId, groupByFile } from './scanPicks';

type ScanReport = MethodOutput<'hosts.scan'>;

/** What a scan found, file by file, with a checkbox and an editable inventory name per key. */
export function ScanResults(props: {
  report: ScanReport;
  chosen: ReadonlySet<string>;
  nameOf(finding: ScanFinding): string;
  problems: ReadonlyMap<string, string>;
  onToggle(id: string): void;
  onToggleAll(): void;
  onRename(id: string, name: string): void;
}) {
  const { report } = props;
  return (
    <section className="stack scan-results" aria-label="Findings" data-testid="scan-results">
      <ScanSummary report={report} />
      {report.findings.length ? (
        <FindingTable {...props} />
      ) : (
        <div className="empty-note" data-testid="scan-nothing-found">
          Nothing that looks like a secret. Rekey reads compose <span className="mono">.env</span>{' '}
          files, <span className="mono">config</span>, <span className="mono">settings</span> and{' '}
          <span className="mono">secrets</span> files in YAML, JSON or TOML, and the config files of
          the services it knows.
        </div>
      )}
      <SkippedPaths skipped={report.skipped} />
    </section>
  );
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function ScanSummary({ report }: { report: ScanReport }) {
  const tracked = report.findings.filter((finding) => finding.trackedBy !== null).length;
  const weak = report.findings.filter((finding) => finding.strength.rating === 'weak').length;
  return (
    <div className="scan-summary" data-testid="scan-summary">
      <span>{plural(report.filesRead, 'file read', 'files read')}</span>
      <span>{plural(report.findings.length, 'secret found', 'secrets found')}</span>
      {tracked ? <span>{tracked} already tracked</span> : null}
      {weak ? <span className="danger-text">{weak} weak</span> : null}
      {report.skipped.length ? (
        <span>{plural(report.skipped.length, 'path', 'paths')} not read</span>
      ) : null}
    </div>
  );
}

function FindingTable(props: Parameters<typeof ScanResults>[0]) {
  const { findings } = props.report;
  const selectable = findings.filter((finding) => finding.trackedBy === null);
  const chosenCount = selectable.filter((finding) => props.chosen.has(findingId(finding))).length;
  // The same value found twice in this scan (LiveKit's secret in livekit.yaml and the .env).
  const byFingerprint = new Map<string, ScanFinding[]>();
  for (const finding of findings) {
    byFingerprint.set(finding.fingerprint, [
      ...(byFingerprint.get(finding.fingerprint) ?? []),
      finding,
    ]);
  }

  return (
    <table className="candidates findings" data-testid="scan-findings">
      <thead>
        <tr>
          <th>
            <input
              type="checkbox"
              aria-label="Select every finding no secret tracks yet"
              checked={selectable.length > 0 && chosenCount === selectable.length}
              ref={(box) => {
                if (box) box.indeterminate = chosenCount > 0 && chosenCount < selectable.length;
              }}
              disabled={selectable.length === 0}
              onChange={props.onToggleAll}
              data-testid="scan-select-all"
            />
          </th>
          <th>Key</th>
          <th>Service</th>
          <th>Name in the inventory</th>
          <th>Strength</th>
          <th>Fingerprint</th>
          <th>Status</th>
        </tr>
      </thead>
      {groupByFile(findings).map(([path, items]) => (
        <tbody key={path} data-file={path}>
          <tr className="file-row">
            <th colSpan={7} scope="rowgroup">
              <span className="mono">{path}</span>
              <span className="faint">
                {items[0]?.format} · {plural(items.length, 'secret', 'secrets')}
              </span>
            </th>
          </tr>
          {items.map((finding) => (
            <FindingRow
              key={findingId(finding)}
              finding={finding}
              twins={(byFingerprint.get(finding.fingerprint) ?? []).filter(
                (other) => other !== finding,
              )}
              chosen={props.chosen.has(findingId(finding))}
              name={props.nameOf(finding)}
              problem={props.problems.get(findingId(finding)) ?? null}
              onToggle={() => props.onToggle(findingId(finding))}
              onRename={(name) => props.onRename(findingId(finding), name)}
            />
          ))}
        </tbody>
      ))}
    </table>
  );
}

function FindingRow(props: {
  finding: ScanFinding;
  /** Other findings of this scan with the same value. */
  twins: ScanFinding[];
  chosen: boolean;
  name: string;
  problem: string | null;
  onToggle(): void;
  onRename(name: string): void;
}) {
  const { finding } = props;
  const tracked = finding.trackedBy !== null;
  const where = `${fileName(finding.path)}:${finding.line}`;
  return (
    <tr
      className={tracked ? 'tracked' : undefined}
      data-path={finding.path}
      data-key={finding.key}
      data-selected={props.chosen && !tracked}
      data-weak={finding.strength.rating === 'weak'}
    >
      <td>
        <input
          type="checkbox"
          aria-label={`Add ${finding.key} from ${where}`}
          checked={props.chosen && !tracked}
          disabled={tracked}
          onChange={props.onToggle}
        />
      </td>
      <td>
        <div className="mono finding-key" data-testid="finding-key">
          {finding.key}
        </div>
        <div className="mono faint finding-where" data-testid="finding-where">
          {where}
        </div>
      </td>
      <td className="finding-service" data-testid="finding-service">
        {finding.service ?? '–'}
      </td>
      <td className="finding-name">
        <input
          className="input compact mono"
          value={tracked ? (finding.trackedBy ?? '') : props.name}
          disabled={tracked}
          spellCheck={false}
          aria-label={`Name in the inventory for ${finding.key} from ${where}`}
          aria-invalid={props.problem ? true : undefined}
          onChange={(event) => props.onRename(event.target.value)}
          data-testid="finding-name"
        />
        {props.problem ? (
          <span className="field-error" data-testid="finding-problem">
            {props.problem}
          </span>
        ) : null}
      </td>
      <td>
        <StrengthCell strength={finding.strength} />
      </td>
      <td className="mono faint nowrap" data-testid="finding-fingerprint">
        fp:{finding.fingerprint}
      </td>
      <td>
        <FindingStatus finding={finding} twins={props.twins} />
      </td>
    </tr>
  );
}

/** The rating; a weak value also says why, since that is what the user has to act on. */
export function StrengthCell({ strength }: { strength: Strength }) {
  const [first] = strength.problems;
  return (
    <div
      className="strength-cell"
      title={strength.problems.join('\n') || `about ${Math.round(strength.bits)} bits`}
      data-testid="finding-strength"
    >
      <StrengthBadge strength={strength.rating} />
      {strength.rating === 'weak' && first ? (
        <span className="strength-problem">{first}</span>
      ) : null}
    </div>
  );
}

function FindingStatus({ finding, twins }: { finding: ScanFinding; twins: ScanFinding[] }) {
  const [same, ...more] = finding.sameValueAs;
  return (
    <div className="finding-status" data-testid="finding-status">
      {finding.trackedBy ? (
        <span className="badge ok">
          tracked by <span className="mono">{finding.trackedBy}</span>
        </span>
      ) : same ? (
        <span
          className="badge accent"
          title={`The inventory holds this value as ${finding.sameValueAs.join(', ')}. Pick it under that name and deployment to record this file as one more place it lives.`}
        >
          same value as <span className="mono">{same}</span>
          {more.length ? ` +${more.length}` : ''}
        </span>
      ) : (
        <span className="badge">new</span>
      )}
      {twins.length ? (
        <span className="faint twins">
          same value in{' '}
          <span className="mono">
            {twins.map((twin) => `${fileName(twin.path)}:${twin.line}`).join(', ')}
          </span>
        </span>
      ) : null}
    </div>
  );
}

function SkippedPaths({ skipped }: { skipped: ScanReport['skipped'] }) {
  if (skipped.length === 0) return null;
  return (
    <div className="scan-skipped" data-testid="scan-skipped">
      <h3>Not read</h3>
      <ul>
        {skipped.map((item) => (
          <li key={`${item.path}\n${item.reason}`} data-path={item.path}>
            <span className="mono">{item.path}</span>
            <span className="faint">{item.reason}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
