import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { MethodOutput } from '../../../../shared/api';
import { call, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { Icon } from '../../components/icons';
import { useBackups } from '../../stores/backups';
import { useSession } from '../../stores/session';
import { BackupProgress, useBackupProgress } from './BackupProgress';
import { BackupResult, type CreatedBundle } from './BackupResult';
import { DatabaseChoices } from './DatabaseChoices';
import { useDatabaseChoices } from './use-database-choices';
import { destinationProblem, useDestinationCheck } from './use-destination-check';
import { type BackupStep, BackupStepper } from './BackupStepper';
import { formatBytes } from './format';
import { PassphraseFields } from './PassphraseFields';
import { type ConfigFile, fileKey, useDeploymentFiles } from './use-deployment-files';

type PgpKey = MethodOutput<'keys.list'>[number];

const toggle = (set: ReadonlySet<string>, key: string, on: boolean): ReadonlySet<string> => {
  const next = new Set(set);
  if (on) next.add(key);
  else next.delete(key);
  return next;
};

/**
 * Making a backup bundle in five steps: what goes in (a deployment's secrets, databases and
 * config files), how it is encrypted (a passphrase typed twice and/or OpenPGP keys), where it goes,
 * the run followed by `backup.progress`, and the result with the recipe to open it without
 * Rekey. The passphrase lives in this component's state only and is dropped once the bundle
 * is made (or with the dialog). While the bundle is being made the dialog does not close.
 */
export function BackupWizard() {
  const close = useBackups((state) => state.closeWizard);
  const reload = useBackups((state) => state.load);
  const vaultPath = useSession((state) => state.status?.path ?? '');
  const [step, setStep] = useState<BackupStep>('contents');
  const [error, setError] = useState<string | null>(null);

  const [deployments, setDeployments] = useState<string[] | null>(null);
  const [deployment, setDeployment] = useState('');
  const [includeSecrets, setIncludeSecrets] = useState(true);
  const { files, refs, error: filesError } = useDeploymentFiles(deployment);
  const [hosts, setHosts] = useState<string[]>(['local']);
  const databases = useDatabaseChoices(deployment, 'local');
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(new Set());
  const chosenFiles: ConfigFile[] = (files ?? []).filter((file) => !unticked.has(fileKey(file)));

  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [keys, setKeys] = useState<PgpKey[] | null>(null);
  const [recipients, setRecipients] = useState<ReadonlySet<string>>(new Set());

  const [destination, setDestination] = useState('');
  const { progress, follow } = useBackupProgress();
  const [bundle, setBundle] = useState<CreatedBundle | null>(null);

  useEffect(() => {
    let current = true;
    Promise.all([call('deployments.list', {}), call('keys.list', {}), call('hosts.list', {})])
      .then(([list, keyList, hostList]) => {
        if (!current) return;
        setHosts(['local', ...hostList.map((host) => host.name)]);
        setDeployments(list.map((item) => item.name));
        setDeployment((before) => before || (list[0]?.name ?? ''));
        setKeys(keyList);
      })
      .catch((failure: unknown) => current && setError(errorMessage(failure)));
    return () => {
      current = false;
    };
  }, []);

  const contentsReady =
    deployment !== '' && (includeSecrets || chosenFiles.length > 0 || databases.chosen.length > 0);
  const passphraseTyped = passphrase.length > 0;
  const passphraseOk = passphraseTyped && passphrase === confirmation;
  const encryptionReady =
    (!passphraseTyped || passphraseOk) && (passphraseOk || recipients.size > 0);
  const destinationReady = destination.startsWith('/');
  const destinationCheck = useDestinationCheck(destination);

  const running = useRef(false);
  const run = async () => {
    if (running.current) return;
    running.current = true;
    setError(null);
    setStep('run');
    const unsubscribe = follow();
    try {
      const made = await call('backups.create', {
        deployment,
        to: destination,
        secrets: includeSecrets,
        files: chosenFiles,
        databases: databases.chosen,
        ...(passphraseOk ? { passphrase } : {}),
        recipients: [...recipients],
      });
      // The call is over: the passphrase has no more use here.
      setPassphrase('');
      setConfirmation('');
      setBundle(made);
      setStep('result');
      void reload();
    } catch (failure) {
      // Kept (in this dialog only) so that a corrected destination can be tried again.
      setError(errorMessage(failure));
      setStep('destination');
    } finally {
      unsubscribe();
      running.current = false;
    }
  };

  const next = () => {
    setError(null);
    if (step === 'contents') {
      if (!deployment) return setError('Choose a deployment');
      if (databases.problem) return setError(databases.problem);
      if (!contentsReady)
        return setError('Include the secrets, a database or at least one config file');
      setStep('encryption');
    } else if (step === 'encryption') {
      if (passphraseTyped && passphrase !== confirmation)
        return setError('The two passphrases differ');
      if (!encryptionReady) return setError('Enter a passphrase or choose at least one key');
      setStep('destination');
    } else if (step === 'destination') {
      if (!destinationReady) return setError('Enter the destination folder as an absolute path');
      // Checked again now: the folder may have changed since it was typed (a drive unplugged).
      void call('backups.destination', { to: destination })
        .then((check) => {
          const problem = destinationProblem(destination, check);
          if (problem) setError(problem);
          else void run();
        })
        .catch((failure: unknown) => setError(errorMessage(failure)));
    } else if (step === 'result') {
      close();
    }
  };
  const back = () => {
    setError(null);
    if (step === 'encryption') setStep('contents');
    else if (step === 'destination') setStep('encryption');
  };

  const body = useRef<HTMLDivElement>(null);
  const primary = useRef<HTMLButtonElement>(null);
  // Each step puts the focus where the user acts next, so Enter and Esc keep working.
  const deploymentsLoaded = deployments !== null;
  useEffect(() => {
    if (step === 'run') {
      body.current?.focus();
      return;
    }
    if (step === 'result') {
      primary.current?.focus();
      return;
    }
    const first = body.current?.querySelector<HTMLElement>(
      'input:not([type="checkbox"]), select, input',
    );
    (first ?? primary.current)?.focus();
  }, [step, deploymentsLoaded]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || event.defaultPrevented) return;
    if ((event.target as HTMLElement).closest('button, a, summary, textarea')) return;
    if (step === 'run') return;
    event.preventDefault();
    next();
  };

  const primaryLabel: Record<BackupStep, string> = {
    contents: 'Next: encryption',
    encryption: 'Next: destination',
    destination: 'Make backup',
    run: '',
    result: 'Close',
  };
  const footer =
    step === 'run' ? null : (
      <>
        {step === 'encryption' || step === 'destination' ? (
          <button className="button" onClick={back} data-testid="backup-back">
            Back
          </button>
        ) : null}
        <span className="spacer" />
        {step !== 'result' ? (
          <button className="button" onClick={close}>
            Cancel
          </button>
        ) : null}
        <button
          ref={primary}
          className="button primary"
          onClick={next}
          data-testid="backup-next"
          data-step={step}
        >
          {step === 'destination' ? <Icon name="download" /> : null}
          {primaryLabel[step]}
        </button>
      </>
    );

  return (
    <Dialog
      title="New backup"
      onClose={close}
      locked={step === 'run'}
      testId="backup-wizard"
      footer={footer}
    >
      <div
        className="backup-wizard"
        ref={body}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid="backup-body"
        data-step={step}
      >
        <BackupStepper step={step} />
        {step === 'contents' ? (
          <>
            {deployments === null ? (
              <p className="muted" aria-busy="true">
                Loading deployments…
              </p>
            ) : deployments.length === 0 ? (
              <p className="muted">No deployments yet: add secrets first.</p>
            ) : (
              <>
                <Field label="Deployment">
                  <select
                    value={deployment}
                    onChange={(event) => {
                      setDeployment(event.target.value);
                      setUnticked(new Set());
                    }}
                    data-testid="backup-deployment"
                  >
                    {deployments.map((name) => (
                      <option key={name} value={name}>
                        {name}
                      </option>
                    ))}
                  </select>
                </Field>
                <fieldset className="backup-choices" data-testid="backup-contents">
                  <legend>Include</legend>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={includeSecrets}
                      onChange={(event) => setIncludeSecrets(event.target.checked)}
                      data-testid="backup-include-secrets"
                    />
                    The deployment's secrets (every version)
                  </label>
                  {files === null ? (
                    <span className="faint" aria-busy="true">
                      Looking for config files…
                    </span>
                  ) : files.length === 0 ? (
                    <span className="faint">
                      No config files: none of its secrets has a target.
                    </span>
                  ) : (
                    files.map((file) => (
                      <label className="check" key={fileKey(file)}>
                        <input
                          type="checkbox"
                          checked={!unticked.has(fileKey(file))}
                          onChange={(event) =>
                            setUnticked((before) =>
                              toggle(before, fileKey(file), !event.target.checked),
                            )
                          }
                          data-testid="backup-file"
                          data-file={fileKey(file)}
                        />
                        <span className="mono">{file.path}</span>
                        <span className="badge">{file.host}</span>
                      </label>
                    ))
                  )}
                  <FormError message={filesError} />
                </fieldset>
                <DatabaseChoices choices={databases} hosts={hosts} secrets={refs} />
              </>
            )}
          </>
        ) : null}
        {step === 'encryption' ? (
          <>
            <p className="field-hint">
              A passphrase, OpenPGP keys, or both: any one of them opens the bundle.
            </p>
            <PassphraseFields
              passphrase={passphrase}
              confirmation={confirmation}
              onPassphrase={setPassphrase}
              onConfirmation={setConfirmation}
            />
            <fieldset className="backup-choices" data-testid="backup-recipients">
              <legend>Keys</legend>
              {keys === null || keys.length === 0 ? (
                <span className="faint">No OpenPGP keys in the vault.</span>
              ) : (
                keys.map((key) => (
                  <label className="check" key={key.fingerprint}>
                    <input
                      type="checkbox"
                      checked={recipients.has(key.fingerprint)}
                      onChange={(event) =>
                        setRecipients((before) =>
                          toggle(before, key.fingerprint, event.target.checked),
                        )
                      }
                      data-testid="backup-recipient"
                      data-fingerprint={key.fingerprint}
                    />
                    {key.name}
                    <span className="mono faint">{key.fingerprint.slice(-16)}</span>
                    {key.hasPrivateKey ? <span className="badge">private key kept</span> : null}
                  </label>
                ))
              )}
            </fieldset>
          </>
        ) : null}
        {step === 'destination' ? (
          <>
            <Field
              label="Destination folder"
              hint="An absolute path, e.g. a USB drive: /media/you/BACKUP"
            >
              <input
                value={destination}
                onChange={(event) => setDestination(event.target.value.trim())}
                placeholder="/media/you/BACKUP"
                spellCheck={false}
                className="mono"
                data-testid="backup-destination"
              />
            </Field>
            {destinationCheck && destinationProblem(destination, destinationCheck) ? (
              <div className="form-error" role="alert" data-testid="destination-problem">
                {destinationProblem(destination, destinationCheck)}
              </div>
            ) : null}
            {destinationCheck?.freeBytes != null && destinationCheck.directory ? (
              <p className="field-hint" data-testid="destination-free">
                {formatBytes(destinationCheck.freeBytes)} free there.
              </p>
            ) : null}
            {destinationCheck?.sameDiskAsVault ? (
              <div className="notice" role="note" data-testid="same-disk-warning">
                This folder is on the same disk as your vault ({vaultPath}): a failed disk would
                take both. Prefer another drive.
              </div>
            ) : null}
          </>
        ) : null}
        {step === 'run' ? (
          <>
            <p className="field-hint">Making the bundle, then opening it again to verify it…</p>
            <BackupProgress progress={progress} />
          </>
        ) : null}
        {step === 'result' && bundle ? <BackupResult bundle={bundle} /> : null}
        <FormError message={error} />
      </div>
    </Dialog>
  );
}
