import { z } from 'zod';
import { isoDate, recordId } from '../domain/people';
import { baseVersion, recordMeta, requiredText } from './schemas';

/**
 * Employment (issue #10 §6, ref §1 and §5.1 IDS004): the employment status recorded at the first and the final
 * contact (the catalogue's 'employment' measure), and referrals to employment support with their dates.
 */
export const EmploymentSupport = z.strictObject({
  id: recordId,
  referralId: recordId,
  referredOn: z.string(),
  provider: z.string(),
  startedOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  ...recordMeta,
});
export type EmploymentSupport = z.infer<typeof EmploymentSupport>;

/** One recorded employment status (the 'employment' measure): its date and the status it gave, in words. */
export const EmploymentStatusRecord = z.strictObject({ measureId: recordId, date: z.string(), status: z.string().nullable(), sicknessAbsence: z.boolean().nullable() });

export const EmploymentView = z.strictObject({
  referralId: recordId,
  /** The status at the first and at the latest contact it was recorded (the same record when only one exists). */
  atStart: EmploymentStatusRecord.nullable(),
  latest: EmploymentStatusRecord.nullable(),
  support: z.array(EmploymentSupport),
});
export type EmploymentView = z.infer<typeof EmploymentView>;

export const EmploymentReferralInput = z.strictObject({ referralId: recordId, referredOn: isoDate, provider: requiredText(120) });
export type EmploymentReferralInput = z.input<typeof EmploymentReferralInput>;

export const EmploymentDatesInput = z
  .strictObject({
    id: recordId,
    version: baseVersion,
    startedOn: isoDate.nullable(),
    endedOn: isoDate.nullable(),
  })
  .refine((d) => d.endedOn === null || d.startedOn !== null, { path: ['endedOn'], message: 'needs the date support started' })
  .refine((d) => d.endedOn === null || d.startedOn === null || d.endedOn >= d.startedOn, { path: ['endedOn'], message: 'must be on or after the date support started' });
export type EmploymentDatesInput = z.input<typeof EmploymentDatesInput>;

export const employmentMethods = {
  'employment.get': { input: z.strictObject({ referralId: recordId }), output: EmploymentView },
  'employment.refer': { input: EmploymentReferralInput, output: EmploymentView },
  'employment.setDates': { input: EmploymentDatesInput, output: EmploymentView },
} as const;
