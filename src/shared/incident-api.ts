import { z } from 'zod';
import { deploymentNameSchema, hostNameSchema, secretRefSchema } from './model';

/**
 * The incident part of the contract: incidents, their timelines, the leak response for an
 * exposed secret, the plan for a compromised host, and the post-incident report. Nothing here
 * carries a value: versions are named by keyed fingerprint.
 */

export const INCIDENT_STATUSES = ['open', 'contained', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** 1 is the most severe (everything stops for it), 4 the least. */
export const SEVERITIES = [1, 2, 3, 4] as const;
export const SEVERITY_NAMES: Record<number, string> = {
  1: 'critical',
  2: 'high',
  3: 'moderate',
  4: 'low',
};

export const ENTRY_KINDS = [
  'detection',
  'assessment',
  'action',
  'rotation',
  'backup',
  'communication',
  'decision',
  'note',
  'status',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const LINK_TYPES = ['secret', 'host', 'deployment', 'rotation', 'backup', 'event'] as const;

export const incidentIdSchema = z
  .string()
  .regex(/^i_[A-Za-z0-9_-]{1,40}$/, 'expected an incident id like i_…');
const entryIdSchema = z.string().regex(/^e_[A-Za-z0-9_-]{1,40}$/, 'expected an entry id like e_…');
const followUpIdSchema = z
  .string()
  .regex(/^f_[A-Za-z0-9_-]{1,40}$/, 'expected a follow-up id like f_…');
const severitySchema = z.number().int().min(1).max(4);
const title = z.string().trim().min(1).max(200);
const longText = z.string().max(20_000);
const timeSchema = z.iso.datetime({ offset: true });

/** A link from an entry to what it is about; `id` is a ref, host or deployment name, run id, backup id or history sequence number. */
export const linkSchema = z.strictObject({
  type: z.enum(LINK_TYPES),
  id: z.string().min(1).max(300),
});
export type IncidentLink = z.infer<typeof linkSchema>;

export const entryViewSchema = z.strictObject({
  id: z.string(),
  /** When it happened (may be earlier than when it was written down). */
  at: z.string(),
  /** When it was written down (or last edited). */
  recordedAt: z.string(),
  kind: z.enum(ENTRY_KINDS),
  text: z.string(),
  links: z.array(linkSchema),
  /** Added by Rekey itself (a rotation, backup, reveal or copy of a linked secret). */
  auto: z.boolean(),
  /** Earlier wordings of an edited entry, oldest first (the journal keeps them all). */
  revisions: z.array(
    z.strictObject({
      at: z.string(),
      kind: z.enum(ENTRY_KINDS),
      text: z.string(),
      replacedAt: z.string(),
    }),
  ),
});
export type EntryView = z.infer<typeof entryViewSchema>;

export const followUpSchema = z.strictObject({
  id: z.string(),
  text: z.string(),
  done: z.boolean(),
});

/** A secret the incident is about, with what of it is still exposed. */
export const affectedSecretSchema = z.strictObject({
  ref: z.string(),
  impact: z.string(),
  /** Fingerprints of the versions marked exposed. */
  exposedVersions: z.array(z.string()),
  /** An exposed version is still `current`: the value in use is known to others. */
  stillExposed: z.boolean(),
  /** Where the current value lives: "host:path#key" of each target. */
  targets: z.array(z.string()),
});

export const incidentSummarySchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  severity: z.number(),
  status: z.enum(INCIDENT_STATUSES),
  openedAt: z.string(),
  updatedAt: z.string(),
  entries: z.number(),
  secrets: z.number(),
  stillExposed: z.number(),
});
export type IncidentSummary = z.infer<typeof incidentSummarySchema>;

export const incidentDetailSchema = incidentSummarySchema.extend({
  summary: z.string(),
  ownerNote: z.string(),
  statusHistory: z.array(z.strictObject({ status: z.enum(INCIDENT_STATUSES), at: z.string() })),
  deployments: z.array(z.string()),
  hosts: z.array(z.string()),
  affectedSecrets: z.array(affectedSecretSchema),
  followUps: z.array(followUpSchema),
  /** Oldest first by when it happened; entries written at the same moment keep their order. */
  timeline: z.array(entryViewSchema),
});
export type IncidentDetail = z.infer<typeof incidentDetailSchema>;

export const RESPONSE_ACTIONS = ['assess', 'rotate', 'rotate-other', 'manual', 'audit'] as const;

/** One step of the leak response proposed for an exposed secret. */
export const responseStepSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  detail: z.string(),
  /** What the app offers: assess (scope shown), rotate (the wizard), rotate-other (the wizard for `refs`), manual, audit (the report). */
  action: z.enum(RESPONSE_ACTIONS),
  /** Secrets the step rotates (rotate, rotate-other). */
  refs: z.array(z.string()),
  /** Done or skipped, from the timeline; null while open. */
  outcome: z.enum(['done', 'skipped']).nullable(),
});
export type ResponseStep = z.infer<typeof responseStepSchema>;

export const leakResponseSchema = z.strictObject({
  incident: incidentDetailSchema,
  ref: z.string(),
  steps: z.array(responseStepSchema),
});

export const hostCompromisedSchema = z.strictObject({
  incident: incidentDetailSchema,
  host: z.string(),
  /** Every secret with a target on the host or ever written there, most damaging first. */
  secrets: z.array(
    z.strictObject({
      ref: z.string(),
      impact: z.string(),
      difficulty: z.string(),
      reason: z.string(),
      guarded: z.boolean(),
    }),
  ),
  /** One rotation run per deployment (a run rotates one deployment's secrets). */
  plans: z.array(
    z.strictObject({
      deployment: z.string(),
      refs: z.array(z.string()),
      /** Why a plan could not be made for these (e.g. a guarded secret, a missing variable). */
      problems: z.array(z.string()),
    }),
  ),
});

const affectedInput = {
  deployments: z.array(deploymentNameSchema).max(100).optional(),
  hosts: z.array(hostNameSchema).max(100).optional(),
  secrets: z.array(secretRefSchema).max(500).optional(),
};

export const incidentMethods = {
  list: z.strictObject({ status: z.enum(INCIDENT_STATUSES).optional() }),
  get: z.strictObject({ id: incidentIdSchema }),
  open: z.strictObject({
    title,
    severity: severitySchema.default(2),
    summary: longText.default(''),
    /** When the incident began (e.g. when the leak was detected); now by default. */
    detectedAt: timeSchema.optional(),
    ...affectedInput,
  }),
  update: z.strictObject({
    id: incidentIdSchema,
    title: title.optional(),
    severity: severitySchema.optional(),
    summary: longText.optional(),
    ownerNote: longText.optional(),
  }),
  /** Adds (or with `remove`, takes off) affected deployments, hosts and secrets. */
  link: z.strictObject({
    id: incidentIdSchema,
    remove: z.boolean().default(false),
    ...affectedInput,
  }),
  /** Closing needs a summary; open follow-ups may be given with it. */
  setStatus: z.strictObject({
    id: incidentIdSchema,
    status: z.enum(INCIDENT_STATUSES),
    at: timeSchema.optional(),
    summary: longText.optional(),
    followUps: z.array(z.string().trim().min(1).max(1000)).max(100).default([]),
  }),
  addEntry: z.strictObject({
    id: incidentIdSchema,
    at: timeSchema.optional(),
    kind: z.enum(ENTRY_KINDS).default('note'),
    text: z.string().trim().min(1).max(20_000),
    links: z.array(linkSchema).max(50).default([]),
  }),
  editEntry: z.strictObject({
    id: incidentIdSchema,
    entryId: entryIdSchema,
    at: timeSchema.optional(),
    kind: z.enum(ENTRY_KINDS).optional(),
    text: z.string().trim().min(1).max(20_000).optional(),
  }),
  removeEntry: z.strictObject({ id: incidentIdSchema, entryId: entryIdSchema }),
  followUp: z.strictObject({
    id: incidentIdSchema,
    add: z.string().trim().min(1).max(1000).optional(),
    /** Marks a follow-up done (or open again). */
    set: z.strictObject({ followUpId: followUpIdSchema, done: z.boolean() }).optional(),
  }),
  export: z.strictObject({
    id: incidentIdSchema,
    format: z.enum(['markdown', 'json']),
    /** IANA time zone for the local times next to UTC in the Markdown report. */
    timeZone: z.string().max(100).optional(),
  }),
  /** Marks a secret's current value exposed: flags it, opens or joins an incident, proposes the response. */
  exposed: z.strictObject({
    ref: secretRefSchema,
    /** Join this incident; else a new one is opened. */
    incident: incidentIdSchema.optional(),
    severity: severitySchema.default(1),
    text: z.string().max(20_000).default(''),
    detectedAt: timeSchema.optional(),
  }),
  response: z.strictObject({ id: incidentIdSchema, ref: secretRefSchema }),
  /** A response step done or skipped: a timeline entry. */
  respond: z.strictObject({
    id: incidentIdSchema,
    ref: secretRefSchema,
    step: z.string().min(1).max(100),
    outcome: z.enum(['done', 'skipped']),
    note: z.string().max(20_000).default(''),
  }),
  hostCompromised: z.strictObject({
    host: hostNameSchema,
    incident: incidentIdSchema.optional(),
    severity: severitySchema.default(1),
    text: z.string().max(20_000).default(''),
  }),
};
