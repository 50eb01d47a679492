import { z } from 'zod';

/** Building blocks every domain file of the contract uses. */
export const none = z.strictObject({});

/** Optimistic concurrency: the caller sends the version it saw (DESIGN §5.2 "base version"). */
export const baseVersion = z.number().int().positive();

/** Free text a clinician writes; trimmed, with a length the screens can show. */
export const text = (max: number) => z.string().trim().max(max, `must be ${max} characters or fewer`);
export const requiredText = (max: number) => text(max).min(1, 'is required');

/** A local clock time, HH:MM (24-hour). */
export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM');

/** Audit columns every clinical record carries on the way out. */
export const recordMeta = {
  version: z.number().int().positive(),
  createdBy: z.string(),
  updatedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
};
