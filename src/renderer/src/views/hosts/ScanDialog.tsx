import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { MethodInput, MethodOutput, ScanFinding } from '../../../../shared/api';
import { LOCAL_HOST, deploymentNameSchema } from '../../../../shared/model';
import { call, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { Icon } from '../../components/icons';
import { useHosts } from '../../stores/hosts';
import { useSecrets } from '../../stores/secrets';
import { ScanForm, directoriesProblem, directoryLines, parseMaxDepth } from './ScanForm';
import { ScanResults } from './ScanResults';
import { rememberedScan, useScanMemory } from './scanMemory';
import { findingId, pickProblems } from './scanPicks';

type ScanRequest = MethodInput<'hosts.scan'>;
type ScanReport = MethodOutput<'hosts.scan'>;
type AdoptReport = MethodOutput<'hosts.adopt'>;

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
  const [adopting, setAdopting] = useState(false);
  const [adoptError, setAdoptError] = useState<string | null>(null);
  const [adopted, setAdopted] = useState<AdoptReport | null>(null);
  const loadSecrets = useSecrets((state) => state.load);
  const secretsLoaded = useSecrets((state) => state.loaded);
  const secrets = useSecrets((state) => state.items);
  const loadHosts = useHosts((state) => state.load);
  const remember = useScanMemory((state) => state.remember);

  // Clashes with the inventory are checked here, so the inventory must be known.
  useEffect(() => {
    if (!secretsLoaded) void loadSecrets();
  }, [secretsLoaded, loadSecrets]);

  const directories = directoryLines(directoriesText);
  const directoriesError = directoriesProblem(directories);
  const maxDepth = parseMaxDepth(maxDepthText);
  const refs = useMemo(() => new Set(secrets.map((secret) => secret.ref)), [secrets]);
  const problems = pickProblems({
    picked: picks.picked,
    nameOf: picks.nameOf,
    deployment: deployment.error ? null : deployment.name,
    existingRefs: refs,
  });
  const busy = scan.running || adopting;

  const changeHost = (next: string) => {
    const remembered = rememberedScan(next);
    setHost(next);
    setDirectoriesText(remembered.directories.join('\n'));
    setMaxDepthText(String(remembered.maxDepth));
    setAdopted(null);
    setAdoptError(null);
    scan.clear();
  };

  const runScan = async () => {
    setTriedToScan(true);
    if (busy || directoriesError || maxDepth === null) return;
    remember(host, { directories, maxDepth });
    setAdopted(null);
    setAdoptError(null);
    await scan.run({ name: host, directories, maxDepth });
  };

  const addSelected = async () => {
    const report = scan.report;
    if (!report || busy || picks.picked.length === 0) return;
    deployment.touch();
    if (deployment.error || problems.size > 0) return;
    setAdoptError(null);
    setAdopting(true);
    try {
      const result = await call('hosts.adopt', {
        name: report.host,
        deployment: deployment.name,
        picks: picks.picked.map((finding) => ({
          path: finding.path,
          format: finding.format,
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
    // Look again, so what was just added shows as tracked and cannot be picked twice.
    await scan.again();
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

/**
 * Which findings are ticked and what each is to be called. Names are kept by file and key, so
 * a name the user typed survives a second scan of the same files.
 */
function usePicks(report: ScanReport | null) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [names, setNames] = useState<Readonly<Record<string, string>>>({});
  const selectable = (report?.findings ?? []).filter((finding) => finding.trackedBy === null);
  const picked = selectable.filter((finding) => chosen.has(findingId(finding)));

  return {
    chosen,
    picked,
    nameOf: (finding: ScanFinding) => names[findingId(finding)] ?? finding.suggestedName,
    toggle(id: string) {
      const next = new Set(chosen);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      setChosen(next);
    },
    toggleAll() {
      setChosen(
        picked.length === selectable.length ? new Set() : new Set(selectable.map(findingId)),
      );
    },
    rename(id: string, name: string) {
      setNames({ ...names, [id]: name });
    },
    clear() {
      setChosen(new Set());
    },
  };
}

/** Marks "create a new deployment" in the select; no deployment name can start with "+". */
const NEW_DEPLOYMENT = '+new';

/**
 * The deployment picked findings join: one of the vault's (the first that runs on the scanned
 * host is preselected) or a new one, typed.
 */
function useDeploymentChoice(host: string) {
  const deployments = useHosts((state) => state.deployments);
  const [choice, setChoice] = useState(
    () => deployments.find((item) => item.hosts.includes(host))?.name ?? NEW_DEPLOYMENT,
  );
  const [typed, setTyped] = useState('');
  const [touched, setTouched] = useState(false);
  const name = choice === NEW_DEPLOYMENT ? typed.trim() : choice;
  const parsed = deploymentNameSchema.safeParse(name);
  const invalid =
    name === ''
      ? 'Name the deployment these secrets belong to, e.g. synctv-prod'
      : parsed.success
        ? null
        : (parsed.error.issues[0]?.message ?? 'not a valid name');

  return {
    deployments,
    choice,
    typed,
    name,
    isNew: !deployments.some((item) => item.name === name),
    error: invalid,
    /** Only shown once the user typed or tried to add. */
    shownError: touched || typed !== '' ? invalid : null,
    choose(next: string) {
      setChoice(next);
    },
    type(next: string) {
      setTyped(next);
    },
    touch() {
      setTouched(true);
    },
    /** After adding: a deployment typed as new exists now; show it as the one chosen. */
    settle() {
      if (choice === NEW_DEPLOYMENT && name) {
        setChoice(name);
        setTyped('');
      }
    },
  };
}

type DeploymentChoice = ReturnType<typeof useDeploymentChoice>;

function DeploymentField({ choice }: { choice: DeploymentChoice }) {
  const selectId = useId();
  const hint = choice.isNew
    ? 'New: Rekey creates it with the first secret.'
    : `${choice.deployments.find((item) => item.name === choice.name)?.secrets ?? 0} secrets so far`;
  return (
    <div className="adopt-bar" data-testid="scan-deployment">
      {choice.deployments.length ? (
        <label className="field" htmlFor={selectId}>
          <span>Add to deployment</span>
          <select
            id={selectId}
            className="select"
            value={choice.choice}
            onChange={(event) => choice.choose(event.target.value)}
            data-testid="scan-deployment-select"
          >
            {choice.deployments.map((item) => (
              <option key={item.name} value={item.name}>
                {item.name}
              </option>
            ))}
            <option value={NEW_DEPLOYMENT}>New deployment…</option>
          </select>
        </label>
      ) : null}
      {choice.choice === NEW_DEPLOYMENT ? (
        <Field
          label={choice.deployments.length ? 'New deployment' : 'Add to a new deployment'}
          error={choice.shownError}
          hint={hint}
        >
          <input
            className="input mono"
            value={choice.typed}
            placeholder="e.g. synctv-prod"
            spellCheck={false}
            aria-invalid={choice.shownError ? true : undefined}
            onChange={(event) => choice.type(event.target.value)}
            data-testid="scan-deployment-name"
          />
        </Field>
      ) : (
        <span className="field-hint">{hint}</span>
      )}
    </div>
  );
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

/**
 * Close, Scan (again) and, once there are findings, Add. The buttons keep their order in both
 * states: a button React had to recreate would take the keyboard focus (and Esc) with it.
 */
function ScanActions(props: {
  scanned: boolean;
  scanning: boolean;
  adopting: boolean;
  pickedCount: number;
  onScan(): void;
  onAdd(): void;
  onClose(): void;
}) {
  return (
    <>
      <button className="button" onClick={props.onClose}>
        {props.scanned ? 'Close' : 'Cancel'}
      </button>
      <button
        className={props.scanned ? 'button' : 'button primary'}
        aria-busy={props.scanning}
        onClick={props.onScan}
        data-testid="scan-run"
      >
        <Icon name={props.scanned ? 'refresh' : 'search'} /> {props.scanned ? 'Scan again' : 'Scan'}
      </button>
      {props.scanned ? (
        <button
          className="button primary"
          // aria-disabled, not disabled: after adding, nothing is ticked, and a disabled button
          // would drop the keyboard focus out of the dialog (and Esc with it).
          aria-disabled={props.pickedCount === 0}
          aria-busy={props.adopting}
          onClick={props.onAdd}
          data-testid="scan-add"
        >
          <Icon name="plus" />{' '}
          {props.pickedCount ? `Add ${props.pickedCount} selected` : 'Add selected'} to the
          inventory
        </button>
      ) : null}
    </>
  );
}

/** What adding did, kept in place: the new secrets, the new places of existing ones, refusals. */
function AdoptSummary({ result }: { result: AdoptReport }) {
  // The user clicked Add at the bottom of a long dialog: bring the answer into view.
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' });
  }, [result]);
  const headline =
    result.added.length || result.targetAdded.length
      ? [
          result.added.length
            ? `Added ${result.added.length} ${result.added.length === 1 ? 'secret' : 'secrets'}`
            : null,
          result.targetAdded.length
            ? `${result.targetAdded.length} new ${result.targetAdded.length === 1 ? 'target' : 'targets'}`
            : null,
        ]
          .filter(Boolean)
          .join(' and ')
      : 'Nothing added';
  return (
    <div className="adopt-result" role="status" ref={box} data-testid="adopt-result">
      <strong>
        <Icon name={result.skipped.length ? 'alert' : 'check'} /> {headline}
      </strong>
      <dl className="meta-list">
        {result.added.length ? (
          <>
            <dt>New secrets</dt>
            <dd>
              <ul className="ref-list" data-testid="adopt-added">
                {result.added.map((ref) => (
                  <li key={ref} className="mono" data-ref={ref}>
                    {ref}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {result.targetAdded.length ? (
          <>
            <dt>Also lives in</dt>
            <dd>
              <ul className="ref-list" data-testid="adopt-targets">
                {result.targetAdded.map((ref) => (
                  <li key={ref} data-ref={ref}>
                    <span className="mono">{ref}</span>{' '}
                    <span className="faint">one more file it is written to</span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {result.skipped.length ? (
          <>
            <dt>Not added</dt>
            <dd>
              <ul className="ref-list" data-testid="adopt-skipped">
                {result.skipped.map((item) => (
                  <li key={item.name} data-ref={item.name}>
                    <span className="mono">{item.name}</span>{' '}
                    <span className="faint">{item.reason}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}
