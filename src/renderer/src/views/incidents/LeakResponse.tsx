import { useState } from 'react';
import type { IncidentDetail, ResponseStep } from '../../../../shared/incident-api';
import { call, errorMessage } from '../../api/client';
import { Icon } from '../../components/icons';
import { useIncidents } from '../../stores/incidents';
import { useRotations } from '../../stores/rotations';
import { useUi } from '../../stores/ui';
import { downloadIncident } from './download';
import { Scope } from './ExposurePanel';

/**
 * The leak response for each exposed secret: a checklist Rekey proposes (assess, rotate, rotate
 * what depends on it, audit). Each step is done or skipped by the user, and that is a timeline
 * entry; the buttons next to a step do its work (show the scope, open the wizard, the report).
 */
export function LeakResponse({ detail }: { detail: IncidentDetail }) {
  const responses = useIncidents((state) => state.responses);
  const exposed = detail.affectedSecrets.filter((secret) => secret.exposedVersions.length > 0);
  if (exposed.length === 0) return null;
  return (
    <section className="incident-panel" data-testid="leak-response-panel">
      <h3>Leak response</h3>
      {exposed.map((secret) => (
        <SecretResponse
          key={secret.ref}
          detail={detail}
          secret={secret}
          steps={responses[secret.ref] ?? null}
          // One secret's checklist is the page's work; with several (a host), each folds.
          initiallyOpen={exposed.length === 1}
        />
      ))}
    </section>
  );
}

function SecretResponse({
  detail,
  secret,
  steps,
  initiallyOpen,
}: {
  detail: IncidentDetail;
  secret: IncidentDetail['affectedSecrets'][number];
  steps: ResponseStep[] | null;
  initiallyOpen: boolean;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  const finished = steps?.filter((step) => step.outcome !== null).length ?? 0;
  return (
    <div className="response" data-testid="leak-response" data-ref={secret.ref}>
      <button
        className="response-toggle row"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="response-toggle"
      >
        <span className="response-chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span className="mono spacer">{secret.ref}</span>
        {secret.stillExposed ? <span className="badge danger">exposed</span> : null}
        {steps ? (
          <span className={finished === steps.length ? 'badge ok' : 'badge'}>
            {finished} of {steps.length} steps
          </span>
        ) : null}
      </button>
      {!open ? null : steps === null ? (
        <p className="faint" aria-busy="true">
          Loading the response…
        </p>
      ) : (
        <ol className="response-steps">
          {steps.map((step) => (
            <Step key={step.id} detail={detail} secret={secret} step={step} />
          ))}
        </ol>
      )}
    </div>
  );
}

function Step({
  detail,
  secret,
  step,
}: {
  detail: IncidentDetail;
  secret: IncidentDetail['affectedSecrets'][number];
  step: ResponseStep;
}) {
  const apply = useIncidents((state) => state.apply);
  const setResponse = useIncidents((state) => state.setResponse);
  const openWizard = useRotations((state) => state.openWizard);
  const toast = useUi((state) => state.toast);

  const respond = async (outcome: 'done' | 'skipped') => {
    try {
      const result = await call('incidents.respond', {
        id: detail.id,
        ref: secret.ref,
        step: step.id,
        outcome,
      });
      apply(result.incident);
      setResponse(result.ref, result.steps);
    } catch (error) {
      toast('error', errorMessage(error));
    }
  };

  return (
    <li
      className="response-step"
      data-testid="response-step"
      data-step={step.id}
      data-action={step.action}
      data-outcome={step.outcome ?? 'open'}
    >
      <span className="response-mark" aria-hidden="true">
        {step.outcome === 'done' ? (
          <Icon name="check" size={14} />
        ) : step.outcome === 'skipped' ? (
          '–'
        ) : null}
      </span>
      <div className="response-body">
        <strong>{step.title}</strong>
        {step.detail ? <p className="muted">{step.detail}</p> : null}
        {step.action === 'assess' ? <Scope secret={secret} /> : null}
        <div className="row wrap">
          {(step.action === 'rotate' || step.action === 'rotate-other') && !step.outcome ? (
            <button
              className="button small"
              onClick={() => openWizard(step.refs.length ? step.refs : [secret.ref])}
              title={(step.refs.length ? step.refs : [secret.ref]).join(', ')}
              data-testid="response-rotate"
            >
              <Icon name="rotate" /> Rotate now…
            </button>
          ) : null}
          {step.action === 'audit' ? (
            <button
              className="button small"
              onClick={() => void downloadIncident(detail.id, 'markdown')}
              data-testid="response-export"
            >
              <Icon name="download" /> Export report
            </button>
          ) : null}
          <span className="spacer" />
          {step.outcome ? (
            <span
              className={step.outcome === 'done' ? 'badge ok' : 'badge'}
              data-testid="step-outcome"
            >
              {step.outcome}
            </span>
          ) : (
            <>
              <button
                className="button small"
                onClick={() => void respond('done')}
                data-testid="step-done"
              >
                <Icon name="check" /> Done
              </button>
              <button
                className="button small ghost"
                onClick={() => void respond('skipped')}
                data-testid="step-skip"
              >
                Skip
              </button>
            </>
          )}
        </div>
      </div>
    </li>
  );
}
