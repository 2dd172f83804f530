import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { call, errorMessage } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field, FormError } from '../../components/Field';
import { Icon } from '../../components/icons';
import { Stepper } from '../../components/Stepper';
import { useBackups } from '../../stores/backups';
import { BackupProgress, useBackupProgress } from './BackupProgress';
import {
  BundleOpener,
  NO_OPENER,
  type Opener,
  type PgpKey,
  openerInput,
  openerProblem,
} from './BundleOpener';
import { baseName } from './format';
import {
  type RestoreChoices,
  type VerifiedBundle,
  choicesProblem,
  conflictsOf,
  initialChoices,
  restoreRequest,
} from './restore-choices';
import { RestoreChoicesView } from './RestoreChoicesView';
import { RestoreResult, type RestoreOutcome, RestoreSummary } from './RestoreResult';

const STEPS = ['open', 'choose', 'confirm', 'run', 'result'] as const;
type RestoreStep = (typeof STEPS)[number];
const LABELS: Record<RestoreStep, string> = {
  open: 'Open',
  choose: 'Choose',
  confirm: 'Confirm',
  run: 'Restore',
  result: 'Result',
};

/** The word typed to confirm a restore that overwrites databases or files. */
const CONFIRM_WORD = 'restore';

/**
 * Restoring a bundle in five steps: open it (its passphrase or a kept key) and verify it in
 * full; choose what comes back (databases into a chosen database, config files where they
 * came from, the secrets with a choice for each differing current value); confirm what will
 * change (typed when something is overwritten); the run with progress (the main process
 * verifies its own copy again before writing anything); the result. The passphrase lives in
 * this component only and is dropped once the restore ran or the dialog closes.
 */
export function RestoreWizard() {
  const restoring = useBackups((state) => state.restoring);
  const close = useBackups((state) => state.closeRestore);
  const reload = useBackups((state) => state.load);
  const backup = restoring?.backup ?? null;

  const [step, setStep] = useState<RestoreStep>('open');
  const [error, setError] = useState<string | null>(null);
  const [file, setFile] = useState(restoring?.file ?? '');
  const [keys, setKeys] = useState<PgpKey[]>([]);
  const [hosts, setHosts] = useState<string[]>(['local']);
  const [secretRefs, setSecretRefs] = useState<string[]>([]);
  const [opener, setOpener] = useState<Opener>(NO_OPENER);
  const [report, setReport] = useState<VerifiedBundle | null>(null);
  const [choices, setChoices] = useState<RestoreChoices | null>(null);
  const [typed, setTyped] = useState('');
  const [outcome, setOutcome] = useState<RestoreOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const { progress, follow } = useBackupProgress();

  useEffect(() => {
    let current = true;
    Promise.all([call('keys.list', {}), call('hosts.list', {}), call('secrets.list', {})])
      .then(([keyList, hostList, secrets]) => {
        if (!current) return;
        const usable = keyList.filter(
          (key) => key.hasPrivateKey && (!backup || backup.recipients.includes(key.fingerprint)),
        );
        setKeys(usable);
        if (backup && !backup.passphrase && usable[0])
          setOpener({ key: usable[0].fingerprint, passphrase: '' });
        setHosts(['local', ...hostList.map((host) => host.name)]);
        setSecretRefs(secrets.map((secret) => secret.ref));
      })
      .catch((failure: unknown) => current && setError(errorMessage(failure)));
    return () => {
      current = false;
    };
  }, [backup]);

  const overwrites =
    choices !== null &&
    (Object.values(choices.databases).some((choice) => choice.on) ||
      Object.values(choices.files).some(Boolean));

  const running = useRef(false);
  /** One call at a time, with progress; a failure stays on `back` with the message. */
  const perform = async (work: () => Promise<void>, back: RestoreStep) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    const unsubscribe = follow();
    try {
      await work();
    } catch (failure) {
      setError(errorMessage(failure));
      setStep(back);
    } finally {
      unsubscribe();
      running.current = false;
      setBusy(false);
    }
  };

  const verify = () =>
    perform(async () => {
      setReport(null);
      const verified = await call('backups.verify', { file, ...openerInput(opener) });
      void reload();
      setReport(verified);
      if (!verified.ok) return;
      setChoices(initialChoices(verified, 'local'));
      setStep('choose');
    }, 'open');

  const restore = () => {
    if (!report || !choices) return;
    setStep('run');
    return perform(async () => {
      const done = await call('backups.restore', {
        file,
        ...openerInput(opener),
        ...restoreRequest(report, choices),
      });
      setOpener(NO_OPENER);
      setOutcome(done);
      setStep('result');
      void reload();
    }, 'confirm');
  };

  const next = () => {
    setError(null);
    if (step === 'open') {
      if (!file.startsWith('/')) return setError('Enter the bundle file as an absolute path');
      const missing = openerProblem(opener, keys);
      if (missing) return setError(missing);
      void verify();
    } else if (step === 'choose' && report && choices) {
      const problem = choicesProblem(report, choices, hosts);
      if (problem) return setError(problem);
      setTyped('');
      setStep('confirm');
    } else if (step === 'confirm') {
      if (overwrites && typed.trim() !== CONFIRM_WORD)
        return setError(`Type ${CONFIRM_WORD} to confirm`);
      void restore();
    } else if (step === 'result') {
      close();
    }
  };
  const back = () => {
    setError(null);
    if (step === 'choose') setStep('open');
    else if (step === 'confirm') setStep('choose');
  };

  const body = useRef<HTMLDivElement>(null);
  const primary = useRef<HTMLButtonElement>(null);
  // Each step puts the focus where the user acts next, so Enter and Esc keep working.
  useEffect(() => {
    if (step === 'run') return body.current?.focus();
    if (step === 'result') return primary.current?.focus();
    const first = body.current?.querySelector<HTMLElement>(
      'input:not([type="checkbox"]):not([type="radio"]), select, input',
    );
    (first ?? primary.current)?.focus();
  }, [step]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || event.defaultPrevented) return;
    if ((event.target as HTMLElement).closest('button, a, summary, textarea')) return;
    if (step === 'run' || busy) return;
    event.preventDefault();
    next();
  };

  const primaryLabel: Record<RestoreStep, string> = {
    open: busy ? 'Verifying…' : 'Verify and continue',
    choose: 'Next: confirm',
    confirm: 'Restore',
    run: '',
    result: 'Close',
  };
  const footer =
    step === 'run' ? null : (
      <>
        {step === 'choose' || step === 'confirm' ? (
          <button className="button" onClick={back} data-testid="restore-back">
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
          className={step === 'confirm' && overwrites ? 'button danger solid' : 'button primary'}
          onClick={next}
          disabled={busy}
          aria-busy={busy}
          data-testid="restore-next"
          data-step={step}
        >
          {step === 'confirm' ? <Icon name="upload" /> : null}
          {primaryLabel[step]}
        </button>
      </>
    );

  return (
    <Dialog
      title={backup ? `Restore ${baseName(backup.file)}` : 'Restore a backup'}
      onClose={close}
      locked={step === 'run' || busy}
      testId="restore-wizard"
      footer={footer}
    >
      <div
        className="backup-wizard"
        ref={body}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid="restore-body"
        data-step={step}
      >
        <Stepper
          steps={STEPS}
          labels={LABELS}
          current={step}
          label="Restore steps"
          testId="restore-stepper"
        />
        {step === 'open' ? (
          <>
            <Field label="Bundle file" hint="An absolute path to a .rekey.tar.gpg file">
              <input
                value={file}
                onChange={(event) => setFile(event.target.value.trim())}
                placeholder="/media/you/BACKUP/shop-20260101T000000Z.rekey.tar.gpg"
                spellCheck={false}
                className="mono"
                readOnly={backup !== null}
                data-testid="restore-file-path"
              />
            </Field>
            <BundleOpener
              keys={keys}
              passphraseAllowed={backup?.passphrase ?? true}
              value={opener}
              onChange={setOpener}
              testIdPrefix="restore"
            />
            <p className="field-hint">
              The whole bundle is decrypted and every checksum checked before anything can be
              chosen; nothing is written until you confirm.
            </p>
            {busy ? <BackupProgress progress={progress} label="Verify progress" /> : null}
            {report && !report.ok ? (
              <div className="form-error" role="alert" data-testid="restore-verify-failed">
                <strong>The bundle did not verify; it cannot be restored.</strong>
                <ul className="backup-problems">
                  {report.problems.map((problem) => (
                    <li key={problem}>{problem}</li>
                  ))}
                </ul>
              </div>
            ) : null}
          </>
        ) : null}
        {step === 'choose' && report && choices ? (
          <>
            <p className="field-hint" data-testid="restore-verified">
              <span className="badge ok">
                <Icon name="check" size={14} /> Verified
              </span>{' '}
              {report.deployment ? `Deployment ${report.deployment}` : 'A bundle'}
              {report.createdAt ? `, made ${new Date(report.createdAt).toLocaleString()}` : ''}.
              Choose what to bring back.
            </p>
            <RestoreChoicesView
              report={report}
              choices={choices}
              onChange={setChoices}
              hosts={hosts}
              secretRefs={secretRefs}
            />
          </>
        ) : null}
        {step === 'confirm' && report && choices ? (
          <>
            <RestoreSummary report={report} choices={choices} />
            {overwrites ? (
              <Field label={`Type ${CONFIRM_WORD} to overwrite what is listed above`}>
                <input
                  value={typed}
                  onChange={(event) => setTyped(event.target.value)}
                  spellCheck={false}
                  autoComplete="off"
                  data-testid="restore-confirm"
                />
              </Field>
            ) : null}
          </>
        ) : null}
        {step === 'run' ? (
          <>
            <p className="field-hint">Verifying the bundle again, then restoring what you chose…</p>
            <BackupProgress progress={progress} label="Restore progress" />
          </>
        ) : null}
        {step === 'result' && outcome && report && choices ? (
          <RestoreResult
            outcome={outcome}
            keptVault={
              choices.secrets
                ? conflictsOf(report)
                    .filter((item) => choices.conflicts[item.ref] === 'keep-vault')
                    .map((item) => item.ref)
                : []
            }
          />
        ) : null}
        <FormError message={error} />
      </div>
    </Dialog>
  );
}
