import { useEffect, useId, useRef, useState } from 'react';
import type { MethodOutput, ScanFinding } from '../../../../shared/api';
import { deploymentNameSchema } from '../../../../shared/model';
import { Field } from '../../components/Field';
import { Icon } from '../../components/icons';
import { useHosts } from '../../stores/hosts';
import { findingId } from './scanPicks';

/**
 * The adopting half of a scan dialog, shared by the host scan and the cluster scan: which
 * findings are ticked and named, the deployment they join, the dialog's buttons, and what
 * adding did.
 */

type AdoptReport = MethodOutput<'hosts.adopt'>;

/** What picking needs of a finding, wherever it was found. */
export type PickableFinding = Pick<ScanFinding, 'path' | 'key' | 'trackedBy' | 'suggestedName'>;

/**
 * Which findings are ticked and what each is to be called. Names are kept by file and key, so
 * a name the user typed survives a second scan of the same files.
 */
export function usePicks<F extends PickableFinding>(report: { findings: F[] } | null) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [names, setNames] = useState<Readonly<Record<string, string>>>({});
  const selectable = (report?.findings ?? []).filter((finding) => finding.trackedBy === null);
  const picked = selectable.filter((finding) => chosen.has(findingId(finding)));

  return {
    chosen,
    picked,
    nameOf: (finding: F) => names[findingId(finding)] ?? finding.suggestedName,
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
export function useDeploymentChoice(host: string) {
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

export function DeploymentField({ choice }: { choice: DeploymentChoice }) {
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

/**
 * Close, Scan (again) and, once there are findings, Add. The buttons keep their order in both
 * states: a button React had to recreate would take the keyboard focus (and Esc) with it.
 */
export function ScanActions(props: {
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
export function AdoptSummary({ result }: { result: AdoptReport }) {
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
