import { setTimeout as delay } from 'node:timers/promises';
import type { Command } from 'commander';
import type { NewValueInput } from '../../../shared/api';
import { ROTATION_EXIT_CODES } from '../../../shared/errors';
import type {
  RotationPlan,
  RotationPreview,
  RotationRun,
  RunSummary,
} from '../../../shared/rotation-api';
import { action, readStdinValue } from '../command';
import { type CliContext, CliFailure, type CliIo } from '../context';
import { table } from '../format';
import { promptHidden, promptTerminal } from '../password';
import { withTerminal } from '../terminal';
import { ExitWith } from './exit-codes';

/**
 * `rekey rotate`: one command for a rotation and for the runs it leaves. Its first argument
 * is a secret reference (they always hold a "/") or one of the words `list`, `show`,
 * `resume`, `rollback`. A run goes on in this process while the command follows it, polling
 * its record: every transition is printed as it happens, and a confirm step is answered
 * here (--yes, or a question on the terminal).
 */

const WORDS = ['list', 'show', 'resume', 'rollback'] as const;
type Word = (typeof WORDS)[number];

/** How often a running run is looked at. */
const POLL_MS = 200;
const YES = /^y(es)?$/i;

interface RotateFlags {
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  valueStdin?: boolean;
  guardedConfirm?: string;
}

const FLAG_NAMES: Record<keyof RotateFlags, string> = {
  dryRun: '--dry-run',
  yes: '--yes',
  json: '--json',
  valueStdin: '--value-stdin',
  guardedConfirm: '--guarded-confirm',
};

const ROTATE_HELP = `
Forms:
  rekey rotate REF... [--dry-run] [--yes] [--json] [--value-stdin] [--guarded-confirm REF]
      Shows the plan (steps with their hosts, warnings, impact) and the checklist, then
      rotates. --yes confirms every checklist item and every confirm step of the run; without
      it each one is asked on the terminal, and without a terminal the rotation is refused.
      --dry-run reads every target and shows the change with [new value] / [current value]
      in place of the values; nothing changes. --value-stdin takes the new value from stdin
      (one secret only); otherwise it is generated. Values never go in arguments.
  rekey rotate list [--json]            runs, newest first, with their status
  rekey rotate show RUN [--json]        a run's steps with their states, and its log
  rekey rotate resume RUN [--yes]       carries an interrupted run on from where it stopped
  rekey rotate rollback RUN             rolls an interrupted run (or one that needs attention) back

Every form that runs a rotation ends with exit code 0 when it ended rotated, 19 when it was
rolled back (also when a rollback was asked for: the old values are in place), 20 when it
needs attention (the instructions are printed), 18 when another run is in the way.
With --json the final run (or the preview) is printed on stdout, progress on stderr.`;

export function registerRotateCommand(program: Command, io: CliIo): void {
  program
    .command('rotate')
    .usage('[options] REF... | list | show RUN | resume RUN | rollback RUN')
    .description('rotate secrets by their playbook, and list, show, resume or roll back runs')
    .argument('<args...>', 'secret references, or list | show RUN | resume RUN | rollback RUN')
    .option('--dry-run', 'show the plan and the change to every target; change nothing')
    .option('-y, --yes', 'confirm the checklist and every confirm step of the run')
    .option('--json', 'print the final run (or the preview) as JSON; progress goes to stderr')
    .option('--value-stdin', 'read the new value from stdin (one secret only)')
    .option(
      '--guarded-confirm <refs>',
      'rotate guarded secrets anyway (an incident): their references, comma-separated',
    )
    .addHelpText('after', ROTATE_HELP)
    .action(
      action(io, async (context, args: string[], flags: RotateFlags) => {
        const [first = '', ...rest] = args;
        if (!(WORDS as readonly string[]).includes(first)) return rotate(context, args, flags);
        const word = first as Word;
        const allowed: Record<Word, (keyof RotateFlags)[]> = {
          list: ['json'],
          show: ['json'],
          resume: ['json', 'yes'],
          rollback: ['json', 'yes'],
        };
        const stray = (Object.keys(flags) as (keyof RotateFlags)[]).filter(
          (flag) => flags[flag] !== undefined && !allowed[word].includes(flag),
        );
        if (stray.length > 0) {
          throw new CliFailure(
            'INVALID_INPUT',
            `rekey rotate ${word} does not take ${stray.map((flag) => FLAG_NAMES[flag]).join(', ')}`,
          );
        }
        const expected = word === 'list' ? 0 : 1;
        if (rest.length !== expected) {
          throw new CliFailure(
            'INVALID_INPUT',
            word === 'list'
              ? 'rekey rotate list takes no arguments'
              : `Usage: rekey rotate ${word} RUN (one run id; rekey rotate list shows them)`,
          );
        }
        await context.unlock();
        const runId = rest[0] ?? '';
        switch (word) {
          case 'list':
            return listRuns(context, flags);
          case 'show':
            return showRun(context, runId, flags);
          case 'resume':
          case 'rollback':
            return takeUp(context, runId, word, flags);
        }
      }),
    );
}

/** Output for the person: stdout, or stderr when stdout carries JSON. */
function outputFor(context: CliContext, flags: RotateFlags): (text: string) => void {
  return flags.json ? (text) => context.notice(text) : (text) => context.print(text);
}

/**
 * Whether questions can be asked on the terminal. They are asked on /dev/tty; stdin being
 * a terminal is the sign someone sits there, or stderr when stdin carried the new value.
 */
function canAsk(io: CliIo, stdinCarriesValue: boolean): boolean {
  if (io.stdin.isTTY) return true;
  return stdinCarriesValue && Boolean((io.stderr as { isTTY?: boolean }).isTTY);
}

async function rotate(context: CliContext, refs: string[], flags: RotateFlags): Promise<void> {
  const notRef = refs.find((ref) => !ref.includes('/'));
  if (notRef !== undefined) {
    throw new CliFailure(
      'INVALID_INPUT',
      `"${notRef}" is not a secret reference (deployment/name) nor one of ${WORDS.join(', ')}`,
    );
  }
  if (flags.valueStdin && refs.length !== 1) {
    throw new CliFailure('INVALID_INPUT', '--value-stdin gives the value of one secret only');
  }
  if (flags.dryRun && (flags.valueStdin || flags.guardedConfirm !== undefined)) {
    throw new CliFailure(
      'INVALID_INPUT',
      '--dry-run changes nothing: it takes no --value-stdin or --guarded-confirm',
    );
  }
  const out = outputFor(context, flags);
  await context.unlock();

  if (flags.dryRun) {
    const preview = await context.call('rotations.preview', { refs });
    if (flags.json) return context.printJson(preview);
    for (const line of describePlan(preview.plan)) context.print(line);
    for (const line of describePreview(preview)) context.print(line);
    context.print('');
    context.print('Dry run: nothing was changed.');
    return;
  }

  const plan = await context.call('rotations.plan', { refs });
  for (const line of describePlan(plan)) out(line);
  out('');

  const interactive = canAsk(context.io, Boolean(flags.valueStdin));
  const asksSomething =
    plan.checklist.length > 0 || plan.steps.some((step) => step.kind === 'confirm');
  if (asksSomething && !flags.yes && !interactive) {
    throw new CliFailure(
      'INVALID_INPUT',
      'Not confirmed, and no terminal to ask on: --yes confirms the checklist (and the ' +
        "run's confirm steps); nothing was changed",
    );
  }
  const guardedConfirmation = await confirmGuarded(plan, flags, interactive);
  const value = flags.valueStdin ? await readNewValue(context.io) : undefined;
  const confirmed = await confirmChecklist(plan, flags, interactive, out);

  const started = await context.call('rotations.start', {
    refs,
    confirmed,
    ...(guardedConfirmation !== undefined ? { guardedConfirmation } : {}),
    ...(value ? { value } : {}),
    wait: false,
  });
  out(`Run ${started.id} started.`);
  const run = await follow(context, started, 0, { yes: Boolean(flags.yes), interactive, out });
  finish(context, run, flags);
}

async function readNewValue(io: CliIo): Promise<NewValueInput> {
  const value = io.stdin.isTTY
    ? await promptHidden('New value (hidden): ')
    : await readStdinValue(io);
  if (value.length === 0)
    throw new CliFailure('INVALID_INPUT', 'The value is empty; nothing was changed');
  return { kind: 'enter', value };
}

/** Guarded secrets rotate only when their references are typed: --guarded-confirm, or asked. */
async function confirmGuarded(
  plan: RotationPlan,
  flags: RotateFlags,
  interactive: boolean,
): Promise<string | undefined> {
  if (plan.guarded.length === 0) return flags.guardedConfirm;
  const given = new Set((flags.guardedConfirm ?? '').split(/[\s,]+/).filter(Boolean));
  const missing = plan.guarded.filter((guard) => !given.has(guard.ref));
  if (missing.length === 0) return flags.guardedConfirm;
  if (!interactive) {
    throw new CliFailure(
      'INVALID_INPUT',
      `Guarded secrets refuse routine rotation:\n${missing
        .map((guard) => `- ${guard.ref}: ${guard.reason}`)
        .join('\n')}\nTo rotate anyway (an incident), add --guarded-confirm ${missing
        .map((guard) => guard.ref)
        .join(',')}; nothing was changed`,
    );
  }
  for (const guard of missing) {
    const answer = await promptTerminal(
      `${guard.ref} is guarded: ${guard.reason}\nType ${guard.ref} to rotate it anyway: `,
      false,
    );
    if (answer.trim() !== guard.ref)
      throw new CliFailure('INVALID_INPUT', 'Not confirmed; nothing was changed');
    given.add(guard.ref);
  }
  return [...given].join(',');
}

async function confirmChecklist(
  plan: RotationPlan,
  flags: RotateFlags,
  interactive: boolean,
  out: (text: string) => void,
): Promise<string[]> {
  const items = plan.checklist;
  if (items.length === 0) return [];
  if (flags.yes) {
    out('Checklist (every item confirmed by --yes):');
    for (const item of items) out(`  [x] ${item.text}`);
    return items.map((item) => item.id);
  }
  if (!interactive) {
    throw new CliFailure('INVALID_INPUT', '--yes confirms the checklist; nothing was changed');
  }
  out('Checklist (answer y for each item):');
  await withTerminal(async (terminal) => {
    for (const item of items) {
      const answer = await terminal.ask(`  [ ] ${item.text} [y/N] `, { hidden: false });
      if (!YES.test(answer.trim())) {
        throw new CliFailure('INVALID_INPUT', `Not confirmed: "${item.text}"; nothing was changed`);
      }
    }
  });
  return items.map((item) => item.id);
}

interface FollowOptions {
  yes: boolean;
  interactive: boolean;
  out: (text: string) => void;
}

/**
 * Follows a run carried out by this process until it ends: prints each transition as it is
 * recorded (from log entry `shown` on) and answers the confirm steps it waits on.
 */
async function follow(
  context: CliContext,
  first: RotationRun,
  shown: number,
  options: FollowOptions,
): Promise<RotationRun> {
  let run = first;
  let printed = shown;
  const answered = new Set<number>();
  for (;;) {
    for (const entry of run.log.slice(printed)) options.out(logLine(run, entry));
    printed = run.log.length;
    if (run.status !== 'running') return run;
    const waiting = run.awaiting;
    if (waiting && !answered.has(waiting.index)) {
      answered.add(waiting.index);
      const confirmed = await answerConfirmStep(waiting, options);
      run = await context.call('rotations.confirm', {
        runId: run.id,
        index: waiting.index,
        confirmed,
      });
      continue;
    }
    await delay(POLL_MS);
    run = await context.call('rotations.get', { runId: run.id });
  }
}

async function answerConfirmStep(
  waiting: NonNullable<RotationRun['awaiting']>,
  options: FollowOptions,
): Promise<boolean> {
  if (options.yes) {
    options.out(`  [x] ${waiting.text} (confirmed by --yes)`);
    return true;
  }
  if (!options.interactive) {
    options.out(`  [ ] ${waiting.text} (declined: no --yes and no terminal to ask on)`);
    return false;
  }
  const answer = await promptTerminal(
    `Step ${waiting.index + 1}: ${waiting.text}\nDone? [y/N] (no rolls the rotation back) `,
    false,
  );
  return YES.test(answer.trim());
}

/** Prints how the run ended and turns it into the exit code. */
function finish(context: CliContext, run: RotationRun, flags: RotateFlags): void {
  if (flags.json) context.printJson(run);
  else {
    context.print('');
    for (const line of describeSteps(run)) context.print(line);
    context.print('');
  }
  const out = outputFor(context, flags);
  switch (run.status) {
    case 'rotated':
      out(`Run ${run.id} rotated ${run.refs.join(', ')}: ${run.detail}`);
      return;
    case 'rolled-back':
      out(`Run ${run.id} rolled back: ${run.detail}`);
      throw new ExitWith(
        ROTATION_EXIT_CODES['rolled-back'],
        `rotation ${run.id} was rolled back; the old values are in place`,
      );
    case 'needs-attention':
      out(`Run ${run.id} NEEDS ATTENTION:\n${run.detail}`);
      throw new ExitWith(
        ROTATION_EXIT_CODES['needs-attention'],
        `rotation ${run.id} needs attention: do the above by hand, then \`rekey rotate rollback ${run.id}\` checks and finishes the rollback`,
      );
    case 'interrupted':
    case 'running':
      throw new CliFailure(
        'INTERNAL',
        `rotation ${run.id} stopped unfinished: rekey rotate resume ${run.id}, or rekey rotate rollback ${run.id}`,
      );
  }
}

async function takeUp(
  context: CliContext,
  runId: string,
  mode: 'resume' | 'rollback',
  flags: RotateFlags,
): Promise<void> {
  const out = outputFor(context, flags);
  const before = await context.call('rotations.get', { runId });
  const interactive = canAsk(context.io, false);
  const unanswered = before.steps.some((step) => step.kind === 'confirm' && step.state !== 'done');
  if (mode === 'resume' && unanswered && !flags.yes && !interactive) {
    throw new CliFailure(
      'INVALID_INPUT',
      `Run ${runId} has confirm steps left and there is no terminal to ask on: --yes confirms them; nothing was changed`,
    );
  }
  const taken = await context.call('rotations.resume', { runId, mode, wait: false });
  out(
    mode === 'resume'
      ? `Resuming run ${runId} (${taken.refs.join(', ')}) from where it stopped.`
      : `Rolling back run ${runId} (${taken.refs.join(', ')}).`,
  );
  const run = await follow(context, taken, before.log.length, {
    yes: Boolean(flags.yes),
    interactive,
    out,
  });
  finish(context, run, flags);
}

async function listRuns(context: CliContext, flags: RotateFlags): Promise<void> {
  const runs = await context.call('rotations.list', {});
  if (flags.json) return context.printJson(runs);
  if (runs.length === 0) return context.print('No rotation runs yet.');
  context.print(
    table(['RUN', 'STATUS', 'DEPLOYMENT', 'SECRETS', 'STARTED', 'FINISHED'], runRows(runs)),
  );
  if (runs.some((run) => run.status === 'interrupted')) {
    context.notice('Interrupted runs: rekey rotate resume RUN, or rekey rotate rollback RUN');
  }
}

function runRows(runs: readonly RunSummary[]): string[][] {
  return runs.map((run) => [
    run.id,
    run.status,
    run.deployment,
    run.refs.join(','),
    run.startedAt,
    run.finishedAt ?? '-',
  ]);
}

async function showRun(context: CliContext, runId: string, flags: RotateFlags): Promise<void> {
  const run = await context.call('rotations.get', { runId });
  if (flags.json) return context.printJson(run);
  const lines = [
    `Run ${run.id}: ${run.status}${run.direction === 'rollback' ? ' (turned back)' : ''}`,
    `  deployment: ${run.deployment}`,
    `  secrets:    ${run.refs.join(', ')}`,
    `  procedure:  ${run.procedure}`,
    `  started:    ${run.startedAt}`,
    `  finished:   ${run.finishedAt ?? '-'}`,
    `  confirmed:  ${run.confirmed.join(', ') || '-'}`,
  ];
  if (run.detail) lines.push(`  outcome:    ${run.detail}`);
  lines.push('', ...describeSteps(run), '', 'Log:');
  for (const entry of run.log) lines.push(`  ${entry.at} ${logLine(run, entry).trimStart()}`);
  if (run.awaiting)
    lines.push('', `Waiting for step ${run.awaiting.index + 1}: ${run.awaiting.text}`);
  if (run.status === 'interrupted') {
    lines.push(
      '',
      `Carry it on: rekey rotate resume ${run.id}; or: rekey rotate rollback ${run.id}`,
    );
  } else if (run.status === 'needs-attention') {
    lines.push('', `After doing the above by hand: rekey rotate rollback ${run.id}`);
  }
  context.print(lines.join('\n'));
}

function describePlan(plan: RotationPlan): string[] {
  const lines = [
    `Rotation of ${plan.refs.join(', ')} (deployment ${plan.deployment}), by ${plan.procedure}`,
    '',
    'Steps:',
    ...indent(
      table(
        ['#', 'KIND', 'HOST', 'STEP'],
        plan.steps.map((step, index) => [
          String(index + 1),
          step.kind,
          step.host ?? '-',
          step.title,
        ]),
      ),
    ),
    '',
    'Impact:',
    ...plan.impact.map(
      (item) => `  ${item.ref} (difficulty ${item.difficulty}): ${item.impact || '-'}`,
    ),
  ];
  if (plan.warnings.length > 0) {
    lines.push('', 'Warnings:', ...plan.warnings.map((warning) => `  - ${warning}`));
  }
  if (plan.guarded.length > 0) {
    lines.push(
      '',
      'Guarded (refuse routine rotation):',
      ...plan.guarded.map((guard) => `  - ${guard.ref}: ${guard.reason}`),
    );
  }
  return lines;
}

function describePreview(preview: RotationPreview): string[] {
  const lines = ['', 'Changes (values shown as placeholders):'];
  if (preview.targets.length === 0) lines.push('  no file is written');
  for (const target of preview.targets) {
    const key = target.key ? ` (${target.key})` : '';
    lines.push(`--- ${target.host}:${target.path}${key}`);
    for (const line of target.diff) lines.push(line);
    if (target.note) lines.push(`  note: ${target.note}`);
  }
  return lines;
}

function describeSteps(run: RotationRun): string[] {
  return [
    'Steps:',
    ...indent(
      table(
        ['#', 'STATE', 'HOST', 'STEP'],
        run.steps.map((step) => [
          String(step.index + 1),
          step.state,
          step.host ?? '-',
          step.detail ? `${step.title}: ${step.detail}` : step.title,
        ]),
      ),
    ),
  ];
}

function logLine(run: RotationRun, entry: RotationRun['log'][number]): string {
  const step = run.steps[entry.index];
  const title = step?.title ?? `step ${entry.index + 1}`;
  const detail = entry.detail ? `: ${entry.detail}` : '';
  return `  [${entry.index + 1}/${run.steps.length}] ${entry.state.padEnd(11)} ${title}${detail}`;
}

function indent(text: string): string[] {
  return text.split('\n').map((line) => `  ${line}`);
}
