import { useEffect, useMemo, useState } from 'react';
import type { MethodOutput } from '../../../../shared/api';
import type { ClusterScanReport, ClusterSummary } from '../../../../shared/cluster-api';
import { call, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { useHosts } from '../../stores/hosts';
import { useSecrets } from '../../stores/secrets';
import { ClusterScanResults } from './ClusterScanResults';
import {
  AdoptSummary,
  DeploymentField,
  ScanActions,
  useDeploymentChoice,
  usePicks,
} from './scanAdopt';
import { pickProblems } from './scanPicks';

type AdoptReport = MethodOutput<'clusters.adopt'>;

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
  const [adopting, setAdopting] = useState(false);
  const [adoptError, setAdoptError] = useState<string | null>(null);
  const [adopted, setAdopted] = useState<AdoptReport | null>(null);
  const picks = usePicks(report);
  const deployment = useDeploymentChoice(cluster.name);
  const loadSecrets = useSecrets((state) => state.load);
  const secretsLoaded = useSecrets((state) => state.loaded);
  const secrets = useSecrets((state) => state.items);
  const loadHosts = useHosts((state) => state.load);

  useEffect(() => {
    if (!secretsLoaded) void loadSecrets();
  }, [secretsLoaded, loadSecrets]);

  const refs = useMemo(() => new Set(secrets.map((secret) => secret.ref)), [secrets]);
  const problems = pickProblems({
    picked: picks.picked,
    nameOf: picks.nameOf,
    deployment: deployment.error ? null : deployment.name,
    existingRefs: refs,
  });
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
    if (!report || busy || picks.picked.length === 0) return;
    deployment.touch();
    if (deployment.error || problems.size > 0) return;
    setAdoptError(null);
    setAdopting(true);
    try {
      const result = await call('clusters.adopt', {
        name: report.host,
        deployment: deployment.name,
        picks: picks.picked.map((finding) => ({
          path: finding.path,
          key: finding.key,
          name: picks.nameOf(finding),
        })),
      });
      setAdopted(result);
      picks.clear();
      await Promise.all([loadSecrets(), loadHosts()]);
      deployment.settle();
    } catch (failure) {
      setAdoptError(errorMessage(failure));
      return;
    } finally {
      setAdopting(false);
    }
    await scan();
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
