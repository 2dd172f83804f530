import type { IncidentLink } from '../../../../shared/incident-api';
import { useHosts } from '../../stores/hosts';
import { useIncidents } from '../../stores/incidents';
import { useRotations } from '../../stores/rotations';
import { NO_FACETS, useSecrets } from '../../stores/secrets';
import { useSession } from '../../stores/session';

/** Where a link of an incident leads: each kind of thing opens in its own view. */

export function openSecret(ref: string): void {
  useSecrets.getState().setFacets(NO_FACETS);
  useSession.getState().navigate('inventory');
  void useSecrets.getState().select(ref);
}

export function openHost(name: string): void {
  useHosts.getState().select(name);
  useSession.getState().navigate('hosts');
}

export function openDeployment(name: string): void {
  useSecrets.getState().setFacets({ ...NO_FACETS, deployment: name });
  useSession.getState().navigate('inventory');
}

export function openRun(id: string): void {
  useRotations.getState().select(id);
  useSession.getState().navigate('rotations');
}

export function openIncident(id: string): void {
  void useIncidents.getState().open(id);
  useSession.getState().navigate('incidents');
}

export function followLink(link: IncidentLink): void {
  switch (link.type) {
    case 'secret':
      return openSecret(link.id);
    case 'host':
      return openHost(link.id);
    case 'deployment':
      return openDeployment(link.id);
    case 'rotation':
      return openRun(link.id);
    case 'backup':
      return useSession.getState().navigate('backups');
    case 'event':
      return useSession.getState().navigate('history');
  }
}

/** A link's name beside its type ("event #12", "rotation r_…"). */
export function linkLabel(link: IncidentLink): string {
  return link.type === 'event' ? `#${link.id}` : link.id;
}
