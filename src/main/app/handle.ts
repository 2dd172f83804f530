import type { z } from 'zod';
import { type MethodName, type MethodOutput, type ParsedInput, contract } from '../../shared/api';
import { type Result, isRekeyError } from '../../shared/errors';
import type { Redactor } from '../redact/redactor';

/** What the core needs to know about a call: who made it is checked by the front door. */
export interface CallContext {
  redactor: () => Redactor | null;
}

/** The only methods whose output may carry a secret value: the user asked for it. */
const DISCLOSING_METHODS: ReadonlySet<MethodName> = new Set([
  'secrets.reveal',
  'secrets.copy',
  'generator.generate',
  // A private key the user asked for, to store offline (paper, USB).
  'keys.generate',
  'keys.export',
]);

export type Implementation = {
  [M in MethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>>;
};

/**
 * The single entry point of every front door: validates the input against the contract,
 * runs the method, validates the output (so nothing outside the contract, least of all a
 * secret value, can leave by accident) and turns every failure into a coded Result whose
 * message has passed through the redactor.
 */
export async function handle<M extends MethodName>(
  implementation: Implementation,
  method: M,
  input: unknown,
  context: CallContext,
): Promise<Result<MethodOutput<M>>> {
  const redact = (text: string) => context.redactor()?.redact(text) ?? text;
  const spec = contract[method] as (typeof contract)[MethodName] | undefined;
  if (!spec) {
    return {
      ok: false,
      error: { code: 'INVALID_INPUT', message: `Unknown method ${String(method)}` },
    };
  }
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'INVALID_INPUT', message: redact(describeIssues(parsed.error.issues)) },
    };
  }
  try {
    const run = implementation[method] as (value: unknown) => Promise<unknown>;
    const output = spec.output.parse(await run(parsed.data)) as MethodOutput<M>;
    const value = DISCLOSING_METHODS.has(method) ? output : redactStrings(output, redact);
    return { ok: true, value };
  } catch (error) {
    if (isRekeyError(error)) {
      return { ok: false, error: { code: error.code, message: redact(error.message) } };
    }
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: { code: 'INTERNAL', message: redact(`Unexpected error in ${method}: ${message}`) },
    };
  }
}

/**
 * Every string of an output passes the redactor: names and notes can hold values too. The
 * output is the schema's parse result, a fresh copy of what the method returned (the contract
 * has no pass-through types), so it is redacted where it stands: no second copy of a
 * 10,000-row listing to build and collect.
 */
function redactStrings<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = redactStrings(value[i] as unknown, redact);
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key in record) record[key] = redactStrings(record[key], redact);
  }
  return value;
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
