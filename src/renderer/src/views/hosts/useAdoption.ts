import { useEffect, useMemo, useState } from 'react';
import type { MethodOutput } from '../../../../shared/api';
import { errorMessage } from '../../api/client';
import { useHosts } from '../../stores/hosts';
import { useSecrets } from '../../stores/secrets';
import { type PickableFinding, type useDeploymentChoice, type usePicks } from './scanAdopt';
import { type CheckedFinding, pickProblems } from './scanPicks';

type AdoptReport = MethodOutput<'hosts.adopt'>;
type Picks<F extends PickableFinding> = ReturnType<typeof usePicks<F>>;
type DeploymentChoice = ReturnType<typeof useDeploymentChoice>;

/**
 * Adding picked findings to the inventory, for the host scan and the cluster scan alike: the
 * clashes with the inventory (which it loads for that), the call, its outcome, and the
 * inventory and hosts reloaded after it. `add` says whether something was added, so the
 * dialog can scan again and show it tracked.
 */
export function useAdoption<F extends PickableFinding & CheckedFinding>(
  picks: Picks<F>,
  deployment: DeploymentChoice,
) {
  const loadSecrets = useSecrets((state) => state.load);
  const secretsLoaded = useSecrets((state) => state.loaded);
  const secrets = useSecrets((state) => state.items);
  const loadHosts = useHosts((state) => state.load);
  const [adopting, setAdopting] = useState(false);
  const [adoptError, setAdoptError] = useState<string | null>(null);
  const [adopted, setAdopted] = useState<AdoptReport | null>(null);

  // Clashes with the inventory are checked here, so the inventory must be known.
  useEffect(() => {
    if (!secretsLoaded) void loadSecrets();
  }, [secretsLoaded, loadSecrets]);

  const refs = useMemo(() => new Set(secrets.map((secret) => secret.ref)), [secrets]);
  const problems = pickProblems({
    picked: picks.picked,
    nameOf: picks.nameOf,
    deployment: deployment.error ? null : deployment.name,
    existingRefs: refs,
  });

  return {
    problems,
    adopting,
    adoptError,
    adopted,
    reset() {
      setAdopted(null);
      setAdoptError(null);
    },
    async add(send: (picked: F[]) => Promise<AdoptReport>): Promise<boolean> {
      if (adopting || picks.picked.length === 0) return false;
      deployment.touch();
      if (deployment.error || problems.size > 0) return false;
      setAdoptError(null);
      setAdopting(true);
      try {
        setAdopted(await send(picks.picked));
        picks.clear();
        await Promise.all([loadSecrets(), loadHosts()]);
        deployment.settle();
        return true;
      } catch (failure) {
        setAdoptError(errorMessage(failure));
        return false;
      } finally {
        setAdopting(false);
      }
    },
  };
}
