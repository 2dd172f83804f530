import { z } from 'zod';
import { strengthSchema } from './model';

/**
 * What every discovery reports about one secret it found, wherever it found it (a key of a
 * config file on a host, a key of a Kubernetes Secret): never the value, only its strength
 * and a keyed fingerprint, and how it relates to the inventory.
 */
export const findingBaseSchema = z.strictObject({
  /** The file (`/srv/app/.env`) or the Secret (`namespace/name`). */
  path: z.string(),
  key: z.string(),
  /** The service the key belongs to, when Rekey knows it. */
  service: z.string().nullable(),
  suggestedName: z.string(),
  strength: strengthSchema,
  fingerprint: z.string(),
  /** A secret in the inventory whose current value is this one. */
  sameValueAs: z.array(z.string()),
  /** A secret that already names this place and key as a target. */
  trackedBy: z.string().nullable(),
});

/** A finding the user picked, and the name it gets in the inventory. */
export const pickBaseSchema = z.strictObject({
  key: z.string().max(512),
  name: z.string().max(128),
});

/** What adopting picks did: new secrets, new places of existing ones, refusals. */
export const adoptResultSchema = z.strictObject({
  added: z.array(z.string()),
  targetAdded: z.array(z.string()),
  skipped: z.array(z.strictObject({ name: z.string(), reason: z.string() })),
});

/** A place that was not read, or left out on purpose, and why. */
export const scanSkipSchema = z.strictObject({ path: z.string(), reason: z.string() });
