import { z } from 'zod';
import { PATHWAYS, SNOMED_CODE } from '../domain/episodeCodes';
import { recordId } from '../domain/people';
import { baseVersion, clockTime, none, recordMeta, requiredText } from './schemas';

/** ISO weekdays, 1 = Monday, as the clinic rota names them. */
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const weekdayName = (isoWeekday: number): string => WEEKDAYS[isoWeekday - 1] ?? `day ${isoWeekday}`;

const clinicFields = {
  /** What the team calls it: "Tuesday diabetes clinic". */
  name: requiredText(120),
  /** Where it runs: "Lister Hospital, diabetes centre". */
  site: requiredText(120),
  weekday: z.number().int().min(1, 'must be a weekday 1 (Monday) to 7 (Sunday)').max(7, 'must be a weekday 1 (Monday) to 7 (Sunday)'),
  startTime: clockTime,
  endTime: clockTime,
  pathway: z.enum(PATHWAYS, { message: 'must be integrated-ltc or core' }),
  /** The long-term condition the clinic serves (SNOMED CT, ref §5.1), when it serves one. */
  ltcCode: z.string().regex(SNOMED_CODE, 'must be a SNOMED CT code (6–18 digits)').nullable().default(null),
};

const endsAfterStart = (c: { startTime?: string; endTime?: string }) => c.startTime === undefined || c.endTime === undefined || c.endTime > c.startTime;
const END_AFTER_START = { message: 'must be after the start time', path: ['endTime'] };

export const ClinicInput = z.strictObject(clinicFields).refine(endsAfterStart, END_AFTER_START);
export type ClinicInput = z.input<typeof ClinicInput>;

export const ClinicChanges = z
  .strictObject({
    name: clinicFields.name,
    site: clinicFields.site,
    weekday: clinicFields.weekday,
    startTime: clockTime,
    endTime: clockTime,
    pathway: clinicFields.pathway,
    ltcCode: clinicFields.ltcCode,
  })
  .partial()
  .refine(endsAfterStart, END_AFTER_START);

export const Clinic = z.strictObject({
  id: recordId,
  name: z.string(),
  site: z.string(),
  weekday: z.number().int(),
  startTime: z.string(),
  endTime: z.string(),
  pathway: z.enum(PATHWAYS),
  ltcCode: z.string().nullable(),
  ...recordMeta,
});
export type Clinic = z.infer<typeof Clinic>;

export const clinicMethods = {
  'clinics.list': { input: none, output: z.strictObject({ clinics: z.array(Clinic) }) },
  'clinics.create': { input: ClinicInput, output: Clinic },
  'clinics.update': { input: z.strictObject({ id: recordId, version: baseVersion, changes: ClinicChanges }), output: Clinic },
} as const;
