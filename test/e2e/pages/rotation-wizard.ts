import type { Locator } from 'playwright-core';
import { BasePage } from './base-page';

/**
 * The rotation wizard: Plan (steps, blast radius, guarded secrets, checklist), Preview (a diff
 * per target), Run (live steps, a confirm step's question) and Result.
 *
 * Test ids: rotate-button (detail pane), rotation-wizard, wizard-body (data-step: plan,
 * preview, run, result), wizard-stepper, plan, plan-procedure, plan-steps (li data-kind),
 * plan-warnings, plan-impact (li data-ref), plan-guarded, guarded-confirmation,
 * plan-checklist (checkboxes data-item), checklist-count, plan-error, preview-targets
 * (sections data-target="host:path", diff lines .diff-line), preview-note, run-progress,
 * run-steps (li data-state), run-elapsed, run-log, run-awaiting, awaiting-text, confirm-step,
 * decline-step, run-result (data-status), result-headline, result-detail, result-watch,
 * result-instructions, wizard-next, wizard-back, wizard-run, wizard-background,
 * wizard-open-run, wizard-close.
 */

export type WizardStep = 'plan' | 'preview' | 'run' | 'result';

export interface PlanView {
  procedure: string;
  steps: { kind: string; text: string }[];
  warnings: string[];
  /** Per secret: its ref and the text of its blast-radius entry. */
  impact: { ref: string; text: string }[];
  checklist: { id: string; text: string; checked: boolean }[];
  /** The guarded box's text, or null when no secret is guarded. */
  guarded: string | null;
}

export interface TargetPreview {
  /** `host:path` */
  target: string;
  diff: string[];
  note: string | null;
}

export interface RunStepRow {
  state: string;
  text: string;
}

export interface ResultView {
  status: string;
  headline: string;
  detail: string;
  watch: string[];
  instructions: string[];
}

/** A run may take a while over SSH; the UI's own timeouts are longer than an action's. */
const RUN_TIMEOUT_MS = 45_000;

const clean = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

export class RotationWizard extends BasePage {
  get root(): Locator {
    return this.byTestId('rotation-wizard');
  }

  private get body(): Locator {
    return this.root.getByTestId('wizard-body');
  }

  /** Clicks "Rotate…" in the open secret's detail pane. */
  async openFromDetail(): Promise<void> {
    await this.byTestId('detail-pane').getByTestId('rotate-button').click();
    await this.root.waitFor();
  }

  async step(): Promise<WizardStep> {
    return (await this.body.getAttribute('data-step')) as WizardStep;
  }

  async waitForStep(step: WizardStep, timeout?: number): Promise<void> {
    await this.root
      .locator(`[data-testid="wizard-body"][data-step="${step}"]`)
      .waitFor({ timeout });
  }

  /** Waits for the plan and reads it. */
  async plan(): Promise<PlanView> {
    const plan = this.root.getByTestId('plan');
    await plan.waitFor();
    const steps = [];
    for (const row of await plan.getByTestId('plan-steps').locator('li').all()) {
      steps.push({
        kind: (await row.getAttribute('data-kind')) ?? '',
        text: clean(await row.textContent()),
      });
    }
    const impact = [];
    for (const row of await plan.getByTestId('plan-impact').locator('li').all()) {
      impact.push({
        ref: (await row.getAttribute('data-ref')) ?? '',
        text: clean(await row.textContent()),
      });
    }
    const checklist = [];
    for (const box of await plan
      .getByTestId('plan-checklist')
      .locator('input[type="checkbox"]')
      .all()) {
      checklist.push({
        id: (await box.getAttribute('data-item')) ?? '',
        text: clean(await box.locator('..').textContent()),
        checked: await box.isChecked(),
      });
    }
    const warnings = plan.getByTestId('plan-warnings').locator('li');
    const guarded = plan.getByTestId('plan-guarded');
    return {
      procedure: clean(await plan.getByTestId('plan-procedure').locator('.badge').textContent()),
      steps,
      warnings: (await warnings.allTextContents()).map(clean),
      impact,
      checklist,
      guarded: (await guarded.count()) ? clean(await guarded.textContent()) : null,
    };
  }

  /** The refusal the plan step shows in place of a plan. */
  async planError(): Promise<string> {
    const error = this.root.getByTestId('plan-error');
    await error.waitFor();
    return clean(await error.textContent());
  }

  async tick(id: string): Promise<void> {
    await this.root.locator(`[data-testid="plan-checklist"] input[data-item="${id}"]`).check();
  }

  /** Ticks every item of the checklist. */
  async tickAll(): Promise<void> {
    for (const box of await this.root
      .getByTestId('plan-checklist')
      .locator('input[type="checkbox"]')
      .all()) {
      await box.check();
    }
  }

  /** Types into the guarded secret's confirmation field (replacing what is there). */
  async typeGuardedConfirmation(text: string): Promise<void> {
    await this.root.getByTestId('guarded-confirmation').fill(text);
  }

  async nextEnabled(): Promise<boolean> {
    return this.root.getByTestId('wizard-next').isEnabled();
  }

  /** Next: waits for the preview. */
  async next(): Promise<void> {
    await this.root.getByTestId('wizard-next').click();
    await this.waitForStep('preview');
  }

  /** Reads every target of the preview. */
  async preview(): Promise<TargetPreview[]> {
    const targets = this.root.getByTestId('preview-targets');
    await targets.waitFor();
    const result: TargetPreview[] = [];
    for (const section of await targets.locator('[data-target]').all()) {
      const note = section.getByTestId('preview-note');
      result.push({
        target: (await section.getAttribute('data-target')) ?? '',
        diff: (await section.locator('.diff-line').allTextContents()).map((line) =>
          line.replace(/\n$/, ''),
        ),
        note: (await note.count()) ? clean(await note.textContent()) : null,
      });
    }
    return result;
  }

  /** Run: waits until the run has started (the run step, or its result when it was quick). */
  async run(): Promise<void> {
    await this.root.getByTestId('wizard-run').click();
    await this.root
      .locator('[data-testid="wizard-body"]:is([data-step="run"], [data-step="result"])')
      .waitFor();
  }

  /** The run's steps as the run or result step shows them now. */
  async runSteps(): Promise<RunStepRow[]> {
    const rows = await this.root.getByTestId('run-steps').locator('li').all();
    return Promise.all(
      rows.map(async (row) => ({
        state: (await row.getAttribute('data-state')) ?? '',
        text: clean(await row.textContent()),
      })),
    );
  }

  /** The run's log lines: "12:00:01 step 2 done Write …". */
  async logEntries(): Promise<string[]> {
    return (await this.root.getByTestId('run-log').locator('li').allTextContents()).map(clean);
  }

  /** Waits until the run asks for a confirmation; returns its question. */
  async awaiting(): Promise<string> {
    const box = this.root.getByTestId('run-awaiting');
    await box.waitFor({ timeout: RUN_TIMEOUT_MS });
    return clean(await box.getByTestId('awaiting-text').textContent());
  }

  async confirmStep(): Promise<void> {
    await this.root.getByTestId('confirm-step').click();
    await this.root.getByTestId('run-awaiting').waitFor({ state: 'detached' });
  }

  /** Waits for the result step and reads it. */
  async result(): Promise<ResultView> {
    await this.waitForStep('result', RUN_TIMEOUT_MS);
    const result = this.root.getByTestId('run-result');
    const list = async (id: string) => {
      const element = result.getByTestId(id);
      return (await element.count())
        ? (await element.locator('li').allTextContents()).map(clean)
        : [];
    };
    return {
      status: (await result.getAttribute('data-status')) ?? '',
      headline: clean(await result.getByTestId('result-headline').textContent()),
      detail: clean(await result.getByTestId('result-detail').textContent()),
      watch: await list('result-watch'),
      instructions: await list('result-instructions'),
    };
  }

  /** Leaves the run going without the wizard. */
  async runInBackground(): Promise<void> {
    await this.root.getByTestId('wizard-background').click();
    await this.root.waitFor({ state: 'detached' });
  }

  async close(): Promise<void> {
    await this.root.getByTestId('wizard-close').click();
    await this.root.waitFor({ state: 'detached' });
  }

  /** "Open run": the Rotations view with this run selected. */
  async openRun(): Promise<void> {
    await this.root.getByTestId('wizard-open-run').click();
    await this.root.waitFor({ state: 'detached' });
    await this.byTestId('screen-rotations').waitFor();
  }

  /** The test id of the element that has the keyboard focus. */
  async focusedTestId(): Promise<string | null> {
    return this.page.evaluate<string | null>(
      "document.activeElement?.getAttribute('data-testid') ?? null",
    );
  }
}
