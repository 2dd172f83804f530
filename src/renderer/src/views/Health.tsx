import { useEffect, useState } from 'react';
import type { Finding } from '../../../shared/health-api';
import { call } from '../api/client';
import { Icon } from '../components/icons';
import { saveExport } from '../components/save-export';
import { Shell } from '../components/Shell';
import { useHealth } from '../stores/health';
import { useSecrets } from '../stores/secrets';
import { useSession } from '../stores/session';
import { FindingCard } from './health/FindingCard';
import { TightenDialog } from './health/TightenDialog';

/**
 * Health: findings about secrets (weak, reused, due, without a backup...) and, when the user
 * runs them, host checks over SSH (exposed ports, readable secret files, `.env` in git),
 * grouped by secret and host, each with why it matters, how to fix it and the fix Rekey can
 * start. Exports as Markdown. No value ever reaches this view: findings carry none.
 */

function subjectKey(finding: Finding): string {
  return finding.subject.type === 'secret'
    ? `secret:${finding.subject.ref}`
    : `host:${finding.subject.name}`;
}

export function Health() {
  const report = useHealth((state) => state.report);
  const loading = useHealth((state) => state.loading);
  const error = useHealth((state) => state.error);
  const progress = useHealth((state) => state.progress);
  const load = useHealth((state) => state.load);
  const revision = useSession((state) => state.revision);
  const navigate = useSession((state) => state.navigate);
  const selectSecret = useSecrets((state) => state.select);
  const [tighten, setTighten] = useState<{ host: string; path: string } | null>(null);

  useEffect(() => {
    void load();
  }, [load, revision]);

  const groups = new Map<string, Finding[]>();
  for (const finding of report?.findings ?? []) {
    const key = subjectKey(finding);
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  const counted = (report?.findings ?? []).filter((finding) => !finding.snoozed);

  const openSubject = async (finding: Finding) => {
    if (finding.subject.type === 'secret') {
      navigate('inventory');
      await selectSecret(finding.subject.ref);
    } else navigate('hosts');
  };

  return (
    <Shell
      actions={
        <>
          <button
            className="button"
            onClick={() => void load({ hosts: true })}
            disabled={loading}
            data-testid="health-check-hosts"
          >
            <Icon name="server" /> Check hosts
          </button>
          <button
            className="button"
            disabled={!report}
            onClick={() => report && void saveExport(() => call('health.export', { report }))}
            data-testid="health-export"
          >
            <Icon name="download" /> Export Markdown
          </button>
        </>
      }
    >
      <div data-testid="screen-health" className="stack">
        {error ? <div className="form-error">{error}</div> : null}
        {progress ? (
          <div className="card" role="status" aria-live="polite" data-testid="health-progress">
            Checking hosts over SSH (read-only)
            {progress.total > 0 ? `: ${progress.done} of ${progress.total}` : '…'}
            {progress.host ? <span className="mono"> {progress.host}</span> : null}
            <progress max={Math.max(progress.total, 1)} value={progress.done} />
          </div>
        ) : null}
        <p className="faint" data-testid="health-summary">
          {report
            ? `${counted.length} finding${counted.length === 1 ? '' : 's'} for ${report.secrets} secrets` +
              (report.hosts
                ? `, ${report.hosts.length} host${report.hosts.length === 1 ? '' : 's'} checked`
                : '; hosts not checked yet (Check hosts connects over SSH, read-only)')
            : loading
              ? 'Looking…'
              : ''}
        </p>
        {report && report.findings.length === 0 ? (
          <div className="empty">
            <Icon name="shield" size={28} />
            <span>No findings. Well kept.</span>
          </div>
        ) : null}
        {[...groups].map(([key, findings]) => {
          const first = findings[0] as Finding;
          const label =
            first.subject.type === 'secret' ? first.subject.ref : `Host ${first.subject.name}`;
          return (
            <section className="card" key={key} data-testid="health-group" data-subject={key}>
              <div className="card-header">
                <h2>
                  <button className="link mono" onClick={() => void openSubject(first)}>
                    {label}
                  </button>
                </h2>
              </div>
              <ul className="health-findings">
                {findings.map((finding) => (
                  <FindingCard
                    key={finding.id}
                    finding={finding}
                    onTighten={(host, path) => setTighten({ host, path })}
                  />
                ))}
              </ul>
            </section>
          );
        })}
      </div>
      {tighten ? (
        <TightenDialog host={tighten.host} path={tighten.path} onClose={() => setTighten(null)} />
      ) : null}
    </Shell>
  );
}
