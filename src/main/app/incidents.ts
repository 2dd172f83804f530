import { RekeyError } from '../../shared/errors';
import {
  addEntry,
  addFollowUp,
  editEntry,
  findIncident,
  linkIncident,
  markExposed,
  openIncident,
  removeEntry,
  setFollowUpDone,
  setStatus,
  updateIncident,
} from '../incidents/changes';
import { plansFor, secretsHeldBy } from '../incidents/host-compromised';
import { jsonReport, linkedRotations, markdownReport } from '../incidents/report';
import { leakResponse } from '../incidents/response';
import { incidentDetail, incidentSummary } from '../incidents/view';
import { findSecret } from '../vault/changes';
import type { IncidentRecord } from '../vault/incident-state';
import { refOf } from '../vault/state';
import type { Transaction } from '../vault/transaction';
import type { Vault } from '../vault/vault';
import type { Implementation } from './handle';
import type { AppSession } from './session';

/**
 * Incidents and the leak response as the contract offers them. Each method is one
 * transaction; what it returns is the incident as it stands after it.
 */

type IncidentMethodName = Extract<keyof Implementation, `incidents.${string}`>;

export function incidentMethods(session: AppSession): Pick<Implementation, IncidentMethodName> {
  const unlocked = async (): Promise<Vault> => {
    const vault = session.requireVault();
    await vault.refresh();
    return vault;
  };
  const detailOf = (vault: Vault, id: string) =>
    incidentDetail(vault.state, findIncident(vault.state, id), (value) => vault.fingerprint(value));
  /** Runs `change` in one transaction and returns the incident it names afterwards. */
  const changed = async (id: string, change: (t: Transaction) => void) => {
    const vault = await unlocked();
    await vault.transact((t) => {
      findIncident(t.state, id);
      change(t);
    });
    return detailOf(vault, id);
  };
  const responseOf = (vault: Vault, incident: IncidentRecord, ref: string) =>
    leakResponse(vault.state, incident, findSecret(vault.state, ref), (version) =>
      vault.fingerprint(version.value),
    );

  return {
    'incidents.list': async ({ status }) => {
      const vault = await unlocked();
      return [...vault.state.incidents.values()]
        .filter((incident) => status === undefined || incident.status === status)
        .sort((a, b) => b.openedAt.localeCompare(a.openedAt))
        .map((incident) => incidentSummary(vault.state, incident));
    },
    'incidents.get': async ({ id }) => detailOf(await unlocked(), id),
    'incidents.open': async (input) => {
      const vault = await unlocked();
      const id = await vault.transact((t) => openIncident(t, input));
      return detailOf(vault, id);
    },
    'incidents.update': async ({ id, ...changes }) =>
      changed(id, (t) => updateIncident(t, id, changes)),
    'incidents.link': async ({ id, remove, ...affected }) =>
      changed(id, (t) => linkIncident(t, id, affected, remove)),
    'incidents.setStatus': async ({ id, ...input }) => changed(id, (t) => setStatus(t, id, input)),
    'incidents.addEntry': async ({ id, ...entry }) =>
      changed(id, (t) => void addEntry(t, id, entry)),
    'incidents.editEntry': async ({ id, entryId, ...changes }) =>
      changed(id, (t) => editEntry(t, id, entryId, changes)),
    'incidents.removeEntry': async ({ id, entryId }) =>
      changed(id, (t) => removeEntry(t, id, entryId)),
    'incidents.followUp': async ({ id, add, set }) => {
      if (add === undefined && set === undefined) {
        throw new RekeyError('INVALID_INPUT', 'Give a follow-up to add, or one to mark done');
      }
      return changed(id, (t) => {
        if (add !== undefined) addFollowUp(t, id, add);
        if (set !== undefined) setFollowUpDone(t, id, set.followUpId, set.done);
      });
    },
    'incidents.export': async ({ id, format, timeZone }) => {
      const vault = await unlocked();
      const incident = findIncident(vault.state, id);
      const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
      } catch {
        throw new RekeyError('INVALID_INPUT', `Unknown time zone ${zone}`);
      }
      const exposedIds = [...new Set(incident.exposures.map((exposure) => exposure.secretId))];
      const input = {
        detail: detailOf(vault, id),
        responses: exposedIds.flatMap((secretId) => {
          const secret = vault.state.secrets.get(secretId);
          return secret
            ? [{ ref: refOf(secret), steps: responseOf(vault, incident, refOf(secret)) }]
            : [];
        }),
        rotations: linkedRotations(vault.state, incident, (value) => vault.fingerprint(value)),
        generatedAt: session.now(),
        timeZone: zone,
      };
      // The report is built from views without values; the redactor also catches a value
      // someone typed into a note before Rekey knew it.
      const content = vault.redactor.redact(
        format === 'json' ? jsonReport(input) : markdownReport(input),
      );
      await vault.transact((t) =>
        t.record(
          { kind: 'incident.exported', data: { id, format } },
          { summary: `Incident "${incident.title}" report exported (${format})` },
        ),
      );
      const stamp = session.now().toISOString().slice(0, 10);
      const slug = incident.title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 40);
      return {
        fileName: `rekey-incident-${stamp}-${slug || id}.${format === 'json' ? 'json' : 'md'}`,
        mimeType: format === 'json' ? 'application/json' : 'text/markdown',
        content,
      };
    },
    'incidents.exposed': async (input) => {
      const vault = await unlocked();
      const secret = findSecret(vault.state, input.ref);
      const id = await vault.transact((t) => {
        const incidentId =
          input.incident ??
          openIncident(t, {
            title: `${input.ref} exposed`,
            severity: input.severity,
            summary: input.text,
            detectedAt: input.detectedAt,
            deployments: [secret.deployment],
          });
        findIncident(t.state, incidentId);
        markExposed(t, incidentId, input.ref, (value) => vault.fingerprint(value));
        addEntry(t, incidentId, {
          at: input.detectedAt,
          kind: 'detection',
          text: `${input.ref} marked exposed${input.text ? `: ${input.text}` : ''}`,
          links: [{ type: 'secret', id: input.ref }],
        });
        return incidentId;
      });
      const incident = findIncident(vault.state, id);
      return {
        incident: detailOf(vault, id),
        ref: input.ref,
        steps: responseOf(vault, incident, input.ref),
      };
    },
    'incidents.response': async ({ id, ref }) => {
      const vault = await unlocked();
      return responseOf(vault, findIncident(vault.state, id), ref);
    },
    'incidents.respond': async ({ id, ref, step, outcome, note }) => {
      const vault = await unlocked();
      const secret = findSecret(vault.state, ref);
      await vault.transact((t) => {
        const incident = findIncident(t.state, id);
        const known = responseOf(vault, incident, ref).find((candidate) => candidate.id === step);
        if (!known)
          throw new RekeyError('NOT_FOUND', `The response for ${ref} has no step ${step}`);
        t.record(
          {
            kind: 'incident.responded',
            data: { incidentId: id, secretId: secret.id, step, outcome },
          },
          { ref, summary: `Incident "${incident.title}": ${known.title} (${ref}) ${outcome}` },
        );
        addEntry(t, id, {
          kind: outcome === 'done' ? 'action' : 'decision',
          text: `${known.title}: ${outcome}${note ? `. ${note}` : ''}`,
          links: [{ type: 'secret', id: ref }],
        });
      });
      const incident = findIncident(vault.state, id);
      return { incident: detailOf(vault, id), ref, steps: responseOf(vault, incident, ref) };
    },
    'incidents.hostCompromised': async ({ host, incident: joined, severity, text }) => {
      const vault = await unlocked();
      if (host !== 'local' && !vault.state.hosts.has(host)) {
        throw new RekeyError('NOT_FOUND', `No host ${host}`);
      }
      const held = secretsHeldBy(vault.state, host);
      const id = await vault.transact((t) => {
        const incidentId =
          joined ??
          openIncident(t, {
            title: `Host ${host} compromised`,
            severity,
            summary: text,
          });
        linkIncident(t, incidentId, { hosts: [host] }, false);
        for (const item of held) {
          if (item.secret.versions.some((version) => version.labels.includes('current'))) {
            markExposed(t, incidentId, refOf(item.secret), (value) => vault.fingerprint(value));
          }
        }
        addEntry(t, incidentId, {
          kind: 'detection',
          text: `Host ${host} marked compromised${text ? `: ${text}` : ''}; ${held.length} secrets had a value there`,
          links: [{ type: 'host', id: host }],
        });
        return incidentId;
      });
      return {
        incident: detailOf(vault, id),
        host,
        secrets: held.map((item) => ({
          ref: refOf(item.secret),
          impact: item.secret.metadata.impact,
          difficulty: item.secret.metadata.difficulty,
          reason: item.reason,
          guarded: item.guarded,
        })),
        plans: plansFor(vault.state, held),
      };
    },
  };
}
