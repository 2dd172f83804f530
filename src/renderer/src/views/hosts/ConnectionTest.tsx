import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/api';
import { call, errorMessage } from '../../api/client';
import { FormError } from '../../components/Field';
import { Icon } from '../../components/icons';

type TestState =
  | { phase: 'idle' }
  | { phase: 'running' }
  | { phase: 'passed'; result: MethodOutput<'hosts.test'> }
  | { phase: 'failed'; message: string };

/** Logs in to the host (hosts.test) and keeps the outcome until the host or its key changes. */
export function useConnectionTest(name: string, resetKey: string) {
  const [state, setState] = useState<TestState>({ phase: 'idle' });
  useEffect(() => setState({ phase: 'idle' }), [name, resetKey]);
  const run = useCallback(async () => {
    setState({ phase: 'running' });
    try {
      setState({ phase: 'passed', result: await call('hosts.test', { name }) });
    } catch (error) {
      setState({ phase: 'failed', message: errorMessage(error) });
    }
  }, [name]);
  return { state, run };
}

/** The outcome in place, where the user clicked: who we are there and what runs there. */
export function ConnectionResult({ state }: { state: TestState }) {
  if (state.phase === 'idle') return null;
  if (state.phase === 'running') {
    return (
      <div className="connection-result" aria-busy="true" data-testid="connection-result">
        <span className="faint">Connecting…</span>
      </div>
    );
  }
  if (state.phase === 'failed') {
    return (
      <div data-testid="connection-result" data-outcome="failed">
        <FormError message={state.message} />
      </div>
    );
  }
  const { result } = state;
  return (
    <div
      className="connection-result ok"
      role="status"
      data-testid="connection-result"
      data-outcome="passed"
    >
      <Icon name="check" />
      <span className="stack connection-facts">
        <span>
          Logged in as <strong data-testid="remote-user">{result.remoteUser}</strong> in{' '}
          {result.latencyMs} ms
        </span>
        <span className="faint mono">{result.system}</span>
      </span>
    </div>
  );
}
