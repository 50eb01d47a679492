import { z } from 'zod';
import { isIsoDate, todayIso } from './dates';
import { nhsNumberProblem, normaliseNhsNumber } from './nhsNumber';

export const ROLES = ['pwp', 'hit', 'supervisor', 'admin', 'booking-clerk', 'service-lead'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  pwp: 'Psychological wellbeing practitioner (PWP)',
  hit: 'High-intensity therapist (HIT)',
  supervisor: 'Supervisor',
  admin: 'Administrator',
  'booking-clerk': 'Booking clerk',
  'service-lead': 'Service lead',
};

const id = z.uuid({ message: 'must be a record id' });
const personName = z.string().trim().min(1, 'is required').max(100, 'must be 100 characters or fewer');

export const UserInput = z.strictObject({
  displayName: personName,
  role: z.enum(ROLES, { message: 'must be one of: ' + ROLES.join(', ') }),
  supervisorId: id.nullable().optional(),
});
export type UserInput = z.infer<typeof UserInput>;

export const User = z.strictObject({
  id,
  displayName: z.string(),
  role: z.enum(ROLES),
  supervisorId: id.nullable(),
  /** False once the admin has deactivated them: kept, named in the records, but no longer in pickers. */
  active: z.boolean(),
  version: z.number().int().positive(),
});
export type User = z.infer<typeof User>;

export const isoDate = z.string().refine(isIsoDate, { message: 'must be a real date (YYYY-MM-DD)', abort: true });

export const nhsNumber = z
  .string()
  .transform(normaliseNhsNumber)
  .superRefine((value, ctx) => {
    const problem = nhsNumberProblem(value);
    if (problem === 'format') ctx.addIssue({ code: 'custom', message: 'must be 10 digits' });
    if (problem === 'check-digit') ctx.addIssue({ code: 'custom', message: 'check digit does not match (Modulus 11)' });
  });

export const PatientInput = z.strictObject({
  nhsNumber,
  givenName: personName,
  familyName: personName,
  dateOfBirth: isoDate.refine((d) => d <= todayIso() && d >= '1900-01-01', 'must be between 01/01/1900 and today'),
  gpPractice: z.string().trim().min(1, 'is required').max(120, 'must be 120 characters or fewer'),
});
export type PatientInput = z.input<typeof PatientInput>;

export const Patient = z.strictObject({
  id,
  nhsNumber: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string(),
  gpPractice: z.string(),
  version: z.number().int().positive(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Patient = z.infer<typeof Patient>;

export const recordId = id;
