/**
 * Why the core will not plan this rotation, in its words, and for the commonest reason (Rekey
 * does not know where the secret lives) how to tell it.
 */
export function PlanRefused({ error }: { error: string }) {
  const noTargets = /has no targets/.test(error);
  return (
    <div className="stack" data-testid="plan-error">
      <div className="form-error" role="alert">
        <strong>Rekey cannot rotate this yet.</strong> {error}
      </div>
      {noTargets ? (
        <p className="field-hint">
          Rekey learns where a secret lives from a scan of its host (Hosts, Scan for secrets), which
          records each file and key as a target, or from a playbook set for its deployment.
        </p>
      ) : null}
    </div>
  );
}
