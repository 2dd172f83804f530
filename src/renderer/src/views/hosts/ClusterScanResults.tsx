import type {
  ClusterFinding,
  ClusterScanReport,
  ClusterSecret,
  WorkloadUse,
} from '../../../../shared/cluster-api';
import { StrengthCell } from './ScanResults';
import { findingId } from './scanPicks';

/**
 * What a cluster scan found, Secret by Secret: its type, owners and the workloads that read
 * it, then one row per key with a checkbox, the inventory name, strength, fingerprint, who
 * reads that key and how it relates to the inventory. No value is ever here.
 */
export function ClusterScanResults(props: {
  report: ClusterScanReport;
  chosen: ReadonlySet<string>;
  nameOf(finding: ClusterFinding): string;
  problems: ReadonlyMap<string, string>;
  onToggle(id: string): void;
  onRename(id: string, name: string): void;
}) {
  const { report } = props;
  const systemSkipped = report.skipped.filter((item) => !item.path.includes('#'));
  const weak = report.findings.filter((finding) => finding.strength.rating === 'weak').length;
  const tracked = report.findings.filter((finding) => finding.trackedBy !== null).length;
  return (
    <section className="stack scan-results" aria-label="Findings" data-testid="scan-results">
      <div className="scan-summary" data-testid="scan-summary">
        <span>
          {report.secrets.length} {report.secrets.length === 1 ? 'Secret' : 'Secrets'} in{' '}
          <span className="mono">{report.namespace}</span>
        </span>
        <span>
          {report.findings.length} {report.findings.length === 1 ? 'key' : 'keys'}
        </span>
        {tracked ? <span>{tracked} already tracked</span> : null}
        {weak ? <span className="danger-text">{weak} weak</span> : null}
        {systemSkipped.length ? (
          <span title={systemSkipped.map((item) => `${item.path}: ${item.reason}`).join('\n')}>
            {systemSkipped.length} system {systemSkipped.length === 1 ? 'Secret' : 'Secrets'}{' '}
            skipped
          </span>
        ) : null}
      </div>
      {report.workloadsError ? (
        <div className="form-error" role="alert" data-testid="scan-workloads-error">
          Workloads not listed: {report.workloadsError}
        </div>
      ) : null}
      {report.findings.length === 0 ? (
        <div className="empty-note" data-testid="scan-nothing-found">
          No Secret of this namespace holds a key Rekey could adopt.
        </div>
      ) : (
        <table className="candidates findings" data-testid="scan-findings">
          <thead>
            <tr>
              <th>
                <span className="sr-only">Add</span>
              </th>
              <th>Key</th>
              <th>Name in the inventory</th>
              <th>Strength</th>
              <th>Fingerprint</th>
              <th>Read by</th>
              <th>Status</th>
            </tr>
          </thead>
          {report.secrets
            .filter((secret) => report.findings.some((finding) => finding.path === secret.path))
            .map((secret) => (
              <tbody key={secret.path} data-secret={secret.path}>
                <SecretHeader secret={secret} />
                {report.findings
                  .filter((finding) => finding.path === secret.path)
                  .map((finding) => (
                    <KeyRow key={findingId(finding)} finding={finding} {...props} />
                  ))}
              </tbody>
            ))}
        </table>
      )}
    </section>
  );
}

function uses(workloads: readonly WorkloadUse[]): string {
  return workloads.map((use) => `${use.kind} ${use.name} (${use.via.join(', ')})`).join(', ');
}

function SecretHeader({ secret }: { secret: ClusterSecret }) {
  return (
    <tr className="file-row">
      <th colSpan={7} scope="rowgroup">
        <span className="mono">{secret.path}</span>
        <span className="faint">
          {secret.type}
          {secret.owners.length
            ? ` · owned by ${secret.owners.map((owner) => `${owner.kind} ${owner.name}`).join(', ')}`
            : ''}
          {' · '}
          <span data-testid="secret-workloads">
            {secret.workloads.length ? `read by ${uses(secret.workloads)}` : 'no workload reads it'}
          </span>
        </span>
      </th>
    </tr>
  );
}

function KeyRow(props: {
  finding: ClusterFinding;
  chosen: ReadonlySet<string>;
  nameOf(finding: ClusterFinding): string;
  problems: ReadonlyMap<string, string>;
  onToggle(id: string): void;
  onRename(id: string, name: string): void;
}) {
  const { finding } = props;
  const id = findingId(finding);
  const tracked = finding.trackedBy !== null;
  const chosen = props.chosen.has(id) && !tracked;
  const problem = props.problems.get(id) ?? null;
  const where = `${finding.path}#${finding.key}`;
  return (
    <tr
      className={tracked ? 'tracked' : undefined}
      data-path={finding.path}
      data-key={finding.key}
      data-selected={chosen}
      data-weak={finding.strength.rating === 'weak'}
    >
      <td>
        <input
          type="checkbox"
          aria-label={`Add ${where}`}
          checked={chosen}
          disabled={tracked}
          onChange={() => props.onToggle(id)}
        />
      </td>
      <td className="mono finding-key" data-testid="finding-key">
        {finding.key}
      </td>
      <td className="finding-name">
        <input
          className="input compact mono"
          value={tracked ? (finding.trackedBy ?? '') : props.nameOf(finding)}
          disabled={tracked}
          spellCheck={false}
          aria-label={`Name in the inventory for ${where}`}
          aria-invalid={problem ? true : undefined}
          onChange={(event) => props.onRename(id, event.target.value)}
          data-testid="finding-name"
        />
        {problem ? (
          <span className="field-error" data-testid="finding-problem">
            {problem}
          </span>
        ) : null}
      </td>
      <td>
        <StrengthCell strength={finding.strength} />
      </td>
      <td className="mono faint nowrap" data-testid="finding-fingerprint">
        fp:{finding.fingerprint}
      </td>
      <td className="muted" data-testid="finding-workloads">
        {finding.workloads.length ? uses(finding.workloads) : '–'}
      </td>
      <td>
        <div className="finding-status" data-testid="finding-status">
          {finding.trackedBy ? (
            <span className="badge ok">
              tracked by <span className="mono">{finding.trackedBy}</span>
            </span>
          ) : finding.sameValueAs.length ? (
            <span className="badge accent">
              same value as <span className="mono">{finding.sameValueAs.join(', ')}</span>
            </span>
          ) : (
            <span className="badge">new</span>
          )}
          {finding.sameValueIn.length ? (
            <span className="faint twins">
              same value in <span className="mono">{finding.sameValueIn.join(', ')}</span>
            </span>
          ) : null}
        </div>
      </td>
    </tr>
  );
}
