import { useRef, useState } from 'react';
import type { MethodInput, MethodOutput } from '../../../../shared/api';
import { LOCAL_HOST } from '../../../../shared/model';
import { call, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/Field';
import { ScanForm, directoriesProblem, directoryLines, parseMaxDepth } from './ScanForm';
import { ScanResults } from './ScanResults';
import { rememberedScan, useScanMemory } from './scanMemory';
import {
  AdoptSummary,
  DeploymentField,
  ScanActions,
  useDeploymentChoice,
  usePicks,
} from './scanAdopt';
import { useAdoption } from './useAdoption';

type ScanRequest = MethodInput<'hosts.scan'>;
type ScanReport = MethodOutput<'hosts.scan'>;

/**
 * "Scan for secrets": reads the config files under some directories of a host (read-only),
 * lists what looks like a secret with its strength and fingerprint (never its value: that
 * stays in the core), and adds the picked ones to the inventory with their targets.
 */
export function ScanDialog({ initialHost, onClose }: { initialHost: string; onClose(): void }) {
  const [host, setHost] = useState(initialHost);
  const [directoriesText, setDirectoriesText] = useState(() =>
    rememberedScan(initialHost).directories.join('\n'),
  );
  const [maxDepthText, setMaxDepthText] = useState(() =>
    String(rememberedScan(initialHost).maxDepth),
  );
  const [triedToScan, setTriedToScan] = useState(false);
  const scan = useScanRun();
  const picks = usePicks(scan.report);
  const deployment = useDeploymentChoice(host);
  const adoption = useAdoption(picks, deployment);
  const { problems, adopting, adoptError, adopted } = adoption;
  const remember = useScanMemory((state) => state.remember);

  const directories = directoryLines(directoriesText);
  const directoriesError = directoriesProblem(directories);
  const maxDepth = parseMaxDepth(maxDepthText);
  const busy = scan.running || adopting;

  const changeHost = (next: string) => {
    const remembered = rememberedScan(next);
    setHost(next);
    setDirectoriesText(remembered.directories.join('\n'));
    setMaxDepthText(String(remembered.maxDepth));
    adoption.reset();
    scan.clear();
  };

  const runScan = async () => {
    setTriedToScan(true);
    if (busy || directoriesError || maxDepth === null) return;
    remember(host, { directories, maxDepth });
    adoption.reset();
    await scan.run({ name: host, directories, maxDepth });
  };

  const addSelected = async () => {
    const report = scan.report;
    if (!report || scan.running) return;
    const added = await adoption.add((picked) =>
      call('hosts.adopt', {
        name: report.host,
        deployment: deployment.name,
        picks: picked.map((finding) => ({
          path: finding.path,
          format: finding.format,
          key: finding.key,
          name: picks.nameOf(finding),
        })),
      }),
    );
    // Look again, so what was just added shows as tracked and cannot be picked twice.
    if (added) await scan.again();
  };

  return (
    <Dialog
      title="Scan for secrets"
      onClose={onClose}
      testId="scan-dialog"
      footer={
        <ScanActions
          scanned={scan.report !== null}
          scanning={scan.running}
          adopting={adopting}
          pickedCount={picks.picked.length}
          onScan={() => void runScan()}
          onAdd={() => void addSelected()}
          onClose={onClose}
        />
      }
    >
      <div
        className="stack scan"
        aria-busy={busy}
        data-scans={scan.finished}
        data-testid="scan-body"
      >
        <p className="muted">
          Rekey reads the config files under these directories on{' '}
          {host === LOCAL_HOST ? 'this machine' : <span className="mono">{host}</span>} and lists
          what looks like a secret. Nothing there changes, and values never leave Rekey&apos;s core:
          you see their strength and a fingerprint.
        </p>
        <ScanForm
          host={host}
          onHostChange={changeHost}
          directoriesText={directoriesText}
          onDirectoriesChange={setDirectoriesText}
          directoriesError={
            triedToScan || directories.some((line) => !line.startsWith('/'))
              ? directoriesError
              : null
          }
          maxDepthText={maxDepthText}
          onMaxDepthChange={setMaxDepthText}
          onSubmit={() => void runScan()}
        />
        {scan.running ? <ScanProgress host={host} directories={directories} /> : null}
        <FormError message={scan.error} />
        {scan.report ? (
          <ScanResults
            report={scan.report}
            chosen={picks.chosen}
            nameOf={picks.nameOf}
            problems={problems}
            onToggle={picks.toggle}
            onToggleAll={picks.toggleAll}
            onRename={picks.rename}
          />
        ) : null}
        {scan.report?.findings.length ? <DeploymentField choice={deployment} /> : null}
        {adopted ? <AdoptSummary result={adopted} /> : null}
        <FormError message={adoptError} />
      </div>
    </Dialog>
  );
}

/** The latest scan: its report, whether one is running, and how it last failed. */
function useScanRun() {
  const [report, setReport] = useState<ScanReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Scans finished (either way): lets a reader, human or test, tell a new answer from the last.
  const [finished, setFinished] = useState(0);
  const last = useRef<ScanRequest | null>(null);

  const run = async (request: ScanRequest) => {
    last.current = request;
    setError(null);
    setRunning(true);
    try {
      setReport(await call('hosts.scan', request));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setRunning(false);
      setFinished((count) => count + 1);
    }
  };

  return {
    report,
    running,
    error,
    finished,
    run,
    async again() {
      if (last.current) await run(last.current);
    },
    clear() {
      last.current = null;
      setReport(null);
      setError(null);
    },
  };
}

function ScanProgress({ host, directories }: { host: string; directories: string[] }) {
  return (
    <div className="scan-progress" role="status" data-testid="scan-progress">
      <span>
        Reading config files under <span className="mono">{directories.join(', ')}</span> on{' '}
        <span className="mono">{host}</span>…
      </span>
      <div className="progress indeterminate">
        <span />
      </div>
    </div>
  );
}
