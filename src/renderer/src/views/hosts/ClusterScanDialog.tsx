import { useState } from 'react';
import type { ClusterScanReport, ClusterSummary } from '../../../../shared/cluster-api';
import { call, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { ClusterScanResults } from './ClusterScanResults';
import {
  AdoptSummary,
  DeploymentField,
  ScanActions,
  useDeploymentChoice,
  usePicks,
} from './scanAdopt';
import { useAdoption } from './useAdoption';

/**
 * "Scan cluster": lists the keys of a namespace's Secrets (read-only) with strength,
 * fingerprint and the workloads that read them, and adds the picked ones to the inventory
 * with kubernetes targets. Values stay in Rekey's core.
 */
export function ClusterScanDialog({
  cluster,
  onClose,
}: {
  cluster: ClusterSummary;
  onClose(): void;
}) {
  const [namespace, setNamespace] = useState(cluster.namespace);
  const [report, setReport] = useState<ClusterScanReport | null>(null);
  const [scanning, setScanning] = useState(false);
  const [finished, setFinished] = useState(0);
  const [scanError, setScanError] = useState<string | null>(null);
  const picks = usePicks(report);
  const deployment = useDeploymentChoice(cluster.name);
  const adoption = useAdoption(picks, deployment);
  const { problems, adopting, adoptError, adopted } = adoption;
  const busy = scanning || adopting;

  const scan = async () => {
    if (busy) return;
    setScanError(null);
    setScanning(true);
    try {
      const ns = namespace.trim();
      setReport(
        await call('clusters.scan', { name: cluster.name, ...(ns ? { namespace: ns } : {}) }),
      );
    } catch (failure) {
      setScanError(errorMessage(failure));
    } finally {
      setScanning(false);
      setFinished((count) => count + 1);
    }
  };

  const addSelected = async () => {
    if (!report || scanning) return;
    const added = await adoption.add((picked) =>
      call('clusters.adopt', {
        name: report.host,
        deployment: deployment.name,
        picks: picked.map((finding) => ({
          path: finding.path,
          key: finding.key,
          name: picks.nameOf(finding),
        })),
      }),
    );
    // Look again, so what was just added shows as tracked and cannot be picked twice.
    if (added) await scan();
  };

  return (
    <Dialog
      title={`Scan cluster ${cluster.name}`}
      onClose={onClose}
      testId="cluster-scan-dialog"
      footer={
        <ScanActions
          scanned={report !== null}
          scanning={scanning}
          adopting={adopting}
          pickedCount={picks.picked.length}
          onScan={() => void scan()}
          onAdd={() => void addSelected()}
          onClose={onClose}
        />
      }
    >
      <div className="stack scan" aria-busy={busy} data-scans={finished} data-testid="scan-body">
        <p className="muted">
          Rekey lists the Secrets of a namespace of <span className="mono">{cluster.name}</span> and
          the workloads that read them. Nothing in the cluster changes, and values never leave
          Rekey&apos;s core: you see their strength and a fingerprint. Service-account tokens and
          Helm release records are left out.
        </p>
        <Field label="Namespace">
          <input
            className="input mono"
            value={namespace}
            spellCheck={false}
            onChange={(event) => setNamespace(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                void scan();
              }
            }}
            data-testid="scan-namespace"
          />
        </Field>
        {scanning ? (
          <div className="scan-progress" role="status" data-testid="scan-progress">
            Listing the Secrets of <span className="mono">{namespace}</span>…
          </div>
        ) : null}
        <FormError message={scanError} />
        {report ? (
          <ClusterScanResults
            report={report}
            chosen={picks.chosen}
            nameOf={picks.nameOf}
            problems={problems}
            onToggle={picks.toggle}
            onRename={picks.rename}
          />
        ) : null}
        {report?.findings.length ? <DeploymentField choice={deployment} /> : null}
        {adopted ? <AdoptSummary result={adopted} /> : null}
        <FormError message={adoptError} />
      </div>
    </Dialog>
  );
}
