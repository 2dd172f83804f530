import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { RotationPreview, RotationRun } from '../../../../shared/rotation-api';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/Field';
import { useSubmit } from '../../components/use-submit';
import { useRotations } from '../../stores/rotations';
import { useSession } from '../../stores/session';
import { useUi } from '../../stores/ui';
import { PlanRefused } from './PlanRefused';
import { type PlanAnswers, PlanStep, guardedConfirmation, planReady } from './PlanStep';
import { PreviewStep } from './PreviewStep';
import { RunProgress } from './RunProgress';
import { RunLog } from './RunLog';
import { RunResult } from './RunResult';
import { RunSteps } from './RunSteps';
import { usePlan } from './use-plan';
import { useRun } from './use-run';
import { WizardFooter } from './WizardFooter';
import { type WizardStep, WizardStepper } from './WizardStepper';

/**
 * Rotating secrets in four steps: the plan (and the checklist to confirm), a dry-run preview of
 * every file, the run followed live, and its result. A started run belongs to the core, not to
 * this dialog: while it runs, Esc does not close the dialog, and "Run in background" leaves it
 * going (the Rotations view follows it). Nothing shown here carries a value.
 */
export function RotationWizard({ refs }: { refs: string[] }) {
  const closeWizard = useRotations((state) => state.closeWizard);
  const selectRun = useRotations((state) => state.select);
  const navigate = useSession((state) => state.navigate);
  const toast = useUi((state) => state.toast);
  const planState = usePlan(refs);
  const plan = planState.phase === 'ready' ? planState.plan : null;
  const [step, setStep] = useState<WizardStep>('plan');
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const [typed, setTyped] = useState<Readonly<Record<string, string>>>({});
  const [preview, setPreview] = useState<RotationPreview | null>(null);
  const [started, setStarted] = useState<RotationRun | null>(null);
  const followed = useRun(started?.id ?? null, started);
  const run = followed.run ?? started;
  const finished = run !== null && run.finishedAt !== null;
  const answers: PlanAnswers = { ticked, typed };
  const ready = plan !== null && planReady(plan, answers);

  const toPreview = useSubmit(async (fail) => {
    if (!plan || !planReady(plan, answers))
      return fail('Confirm every item of the checklist first');
    setPreview(await call('rotations.preview', { refs }));
    setStep('preview');
  });
  const start = useSubmit(async () => {
    if (!plan) return;
    setStarted(
      await call('rotations.start', {
        refs,
        confirmed: [...ticked],
        guardedConfirmation: guardedConfirmation(plan, answers),
        wait: false,
      }),
    );
    setStep('run');
  });

  // The run has ended (forward or back): show how.
  useEffect(() => {
    if (step === 'run' && finished) setStep('result');
  }, [step, finished]);

  const body = useRef<HTMLDivElement>(null);
  const primary = useRef<HTMLButtonElement>(null);
  const confirmStep = useRef<HTMLButtonElement>(null);
  // Each step puts the focus where the user acts next, so Enter and Esc keep working.
  useEffect(() => {
    if (step === 'plan' && plan) {
      const first = body.current?.querySelector<HTMLElement>('[data-testid="plan"] input');
      (first ?? primary.current)?.focus();
    } else if (step === 'run') {
      body.current?.focus();
    } else if (step !== 'plan') {
      primary.current?.focus();
    }
  }, [step, plan]);
  const awaitingIndex = run?.awaiting ? run.awaiting.index : null;
  useEffect(() => {
    if (awaitingIndex !== null) confirmStep.current?.focus();
  }, [awaitingIndex]);

  const openRun = () => {
    if (!run) return;
    selectRun(run.id);
    navigate('rotations');
    closeWizard();
  };
  const toBackground = () => {
    toast('info', 'The rotation goes on in the background. Follow it under Rotations.');
    closeWizard();
  };
  const primaryAction: Record<WizardStep, (() => void) | null> = {
    plan: ready ? () => void toPreview.submit() : null,
    preview: () => void start.submit(),
    run: null,
    result: closeWizard,
  };
  // Enter anywhere in the step (a checkbox, the typed confirmation) is the primary action;
  // buttons and the log's toggle keep their own Enter.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || event.defaultPrevented) return;
    if ((event.target as HTMLElement).closest('button, a, summary, textarea')) return;
    const action = primaryAction[step];
    if (!action) return;
    event.preventDefault();
    action();
  };

  return (
    <Dialog
      title={`Rotate ${refs.join(', ')}`}
      onClose={closeWizard}
      locked={step === 'run' && !finished}
      testId="rotation-wizard"
      footer={
        <WizardFooter
          step={step}
          planReady={ready}
          planLoaded={plan !== null}
          busy={toPreview.busy || start.busy}
          primaryRef={primary}
          onCancel={closeWizard}
          onNext={() => void toPreview.submit()}
          onBack={() => setStep('plan')}
          onRun={() => void start.submit()}
          onBackground={toBackground}
          onOpenRun={openRun}
        />
      }
    >
      <div
        className="rotation-wizard"
        ref={body}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid="wizard-body"
        data-step={step}
      >
        <WizardStepper step={step} />
        {step === 'plan' ? (
          <>
            {planState.phase === 'loading' ? (
              <p className="muted" aria-busy="true">
                Planning the rotation…
              </p>
            ) : null}
            {planState.phase === 'refused' ? <PlanRefused error={planState.error} /> : null}
            {plan ? (
              <PlanStep
                plan={plan}
                answers={answers}
                onTick={(id, on) =>
                  setTicked((before) => {
                    const next = new Set(before);
                    if (on) next.add(id);
                    else next.delete(id);
                    return next;
                  })
                }
                onType={(ref, text) => setTyped((before) => ({ ...before, [ref]: text }))}
              />
            ) : null}
            <FormError message={toPreview.error} />
          </>
        ) : null}
        {step === 'preview' && preview ? (
          <>
            <PreviewStep preview={preview} />
            <FormError message={start.error} />
          </>
        ) : null}
        {step === 'run' && run ? (
          <>
            <p className="field-hint" data-testid="background-note">
              The run goes on without this window: closing it (Run in background) does not stop it,
              and the Rotations view follows it.
            </p>
            <RunProgress
              run={run}
              onAnswered={() => void followed.refresh()}
              confirmRef={confirmStep}
            />
            <FormError message={followed.error} />
          </>
        ) : null}
        {step === 'result' && run ? (
          <>
            <RunResult run={run} warnings={plan?.warnings ?? []} />
            <RunSteps run={run} />
            <RunLog run={run} />
          </>
        ) : null}
      </div>
    </Dialog>
  );
}
