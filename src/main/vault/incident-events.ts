import { z } from 'zod';
import { ENTRY_KINDS, INCIDENT_STATUSES, LINK_TYPES } from '../../shared/incident-api';
import { deploymentNameSchema, hostNameSchema } from '../../shared/model';

/**
 * The journal records of incidents. A timeline entry is its own record, so it has the chain's
 * tamper evidence; an edit or a removal is a later record, and the original stays in the
 * journal (and in the entry's revisions).
 */

const id = z.string().min(1).max(64);
const text = z.string().max(20_000);
const time = z.iso.datetime({ offset: true });
const kind = z.enum(ENTRY_KINDS);
const link = z.strictObject({ type: z.enum(LINK_TYPES), id: z.string().min(1).max(300) });
const affected = {
  deployments: z.array(deploymentNameSchema).max(100),
  hosts: z.array(hostNameSchema).max(100),
  secretIds: z.array(id).max(500),
};

export const incidentEventSchemas = [
  z.strictObject({
    kind: z.literal('incident.opened'),
    data: z.strictObject({
      id,
      title: z.string().min(1).max(200),
      severity: z.number().int().min(1).max(4),
      summary: text,
      /** When it began (detected), which may be before it was written down. */
      openedAt: time,
      ...affected,
    }),
  }),
  z.strictObject({
    kind: z.literal('incident.updated'),
    data: z.strictObject({
      id,
      title: z.string().min(1).max(200).optional(),
      severity: z.number().int().min(1).max(4).optional(),
      summary: text.optional(),
      ownerNote: text.optional(),
    }),
  }),
  z.strictObject({
    kind: z.literal('incident.linked'),
    data: z.strictObject({ id, remove: z.boolean(), ...affected }),
  }),
  z.strictObject({
    kind: z.literal('incident.status-set'),
    data: z.strictObject({ id, status: z.enum(INCIDENT_STATUSES), at: time }),
  }),
  z.strictObject({
    kind: z.literal('incident.entry-added'),
    data: z.strictObject({
      incidentId: id,
      id,
      at: time,
      kind,
      text,
      links: z.array(link).max(50),
      auto: z.boolean(),
    }),
  }),
  z.strictObject({
    kind: z.literal('incident.entry-edited'),
    data: z.strictObject({ incidentId: id, id, at: time, kind, text }),
  }),
  z.strictObject({
    kind: z.literal('incident.entry-removed'),
    data: z.strictObject({ incidentId: id, id }),
  }),
  z.strictObject({
    kind: z.literal('incident.follow-up-set'),
    data: z.strictObject({
      incidentId: id,
      id,
      text: z.string().min(1).max(1000),
      done: z.boolean(),
    }),
  }),
  z.strictObject({
    /** These versions of the secret are known to others. */
    kind: z.literal('incident.exposed'),
    data: z.strictObject({ incidentId: id, secretId: id, versionIds: z.array(id).min(1).max(100) }),
  }),
  z.strictObject({
    /** A step of the leak response for one of its secrets, done or skipped. */
    kind: z.literal('incident.responded'),
    data: z.strictObject({
      incidentId: id,
      secretId: id,
      step: z.string().min(1).max(100),
      outcome: z.enum(['done', 'skipped']),
    }),
  }),
  z.strictObject({
    kind: z.literal('incident.exported'),
    data: z.strictObject({ id, format: z.enum(['markdown', 'json']) }),
  }),
] as const;
