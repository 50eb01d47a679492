import { z } from 'zod';
import { none } from './schemas';

export const AuditProblem = z.strictObject({
  seq: z.number().int(),
  kind: z.enum(['edited', 'inserted', 'deleted', 'reordered', 'truncated', 'head-mismatch']),
  detail: z.string(),
});
export const AuditVerification = z.strictObject({
  ok: z.boolean(),
  count: z.number().int().nonnegative(),
  problems: z.array(AuditProblem),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

export const auditMethods = {
  'audit.verify': { input: none, output: AuditVerification },
} as const;
