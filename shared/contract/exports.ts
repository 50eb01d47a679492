import { z } from 'zod';
import { SNOMED_CODE } from '../domain/episodeCodes';
import { isoDate } from '../domain/people';

/**
 * Exports (issue #11 §3): each an explicit action by the person, audited naming the files, written into the folder
 * they chose for exports through the shell (files.chooseFolder, purpose "exports") after the screen warned that
 * the files leave the encrypted store. Nothing is staged anywhere else.
 */
const MAX_PERIOD_DAYS = 366 * 5;

export const ExportPeriod = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((p) => p.from <= p.to, { message: 'must not end before it starts', path: ['to'] })
  .refine((p) => (Date.parse(p.to) - Date.parse(p.from)) / 86_400_000 <= MAX_PERIOD_DAYS, { message: 'must be at most 5 years', path: ['to'] });

/**
 * The service's CodedAssToolType codes for measures the reference marks "not found" (ref §5.6), by instrument id.
 * PHQ-9 and GAD-7 are the reference's own and cannot be overridden.
 */
export const ToolCodeTable = z
  .record(z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be an instrument id'), z.string().trim().regex(SNOMED_CODE, 'must be a SNOMED CT code: 6 to 18 digits'))
  .superRefine((codes, ctx) => {
    for (const key of ['phq9', 'gad7']) if (key in codes) ctx.addIssue({ code: 'custom', path: [key], message: 'is the reference’s code and cannot be changed' });
  });
/** Codes for this export, laid over the service's own (service settings); none typed means the service's alone. */
export const ToolCodes = ToolCodeTable.default({});

const ExportedFile = z.strictObject({
  /** The name in the chosen folder: no patient data in it. */
  file: z.string(),
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
});

const Completeness = z.array(
  z.strictObject({
    table: z.string(),
    file: z.string(),
    rows: z.number().int().nonnegative(),
    columns: z.array(z.strictObject({ column: z.string(), empty: z.number().int().nonnegative() })),
  }),
);

/** At least 16 characters: the key is all that stands between a pseudonym and a guessed NHS number. */
export const LINKAGE_KEY_MIN = 16;

export const exportMethods = {
  /** What the period's data-set files would hold, field by field, before anything is written (nothing leaves the store). */
  'exports.preview': {
    input: z.strictObject({ period: ExportPeriod, toolCodes: ToolCodes }),
    output: z.strictObject({ notice: z.string(), completeness: Completeness, referrals: z.number().int().nonnegative() }),
  },
  /** The data-set-shaped CSV files (IDS101, 201, 202, 602, 603, 606, 607) for the period. */
  'exports.dataSet': {
    input: z.strictObject({ period: ExportPeriod, toolCodes: ToolCodes }),
    output: z.strictObject({ folder: z.string(), notice: z.string(), files: z.array(ExportedFile), completeness: Completeness }),
  },
  /** A FHIR R4 Bundle of Patient, QuestionnaireResponse and Observation resources for the period. */
  'exports.fhir': {
    input: z.strictObject({ period: ExportPeriod, toolCodes: ToolCodes }),
    output: z.strictObject({
      folder: z.string(),
      file: ExportedFile,
      resources: z.strictObject({ Patient: z.number().int(), QuestionnaireResponse: z.number().int(), Observation: z.number().int() }),
    }),
  },
  /** The pseudonymised healthcare-use extract; the key is used for this export only and never stored. */
  'exports.pseudonymised': {
    input: z.strictObject({
      period: ExportPeriod,
      linkageKey: z.string().min(LINKAGE_KEY_MIN, `must be at least ${LINKAGE_KEY_MIN} characters`).max(256, 'must be at most 256 characters'),
    }),
    output: z.strictObject({ folder: z.string(), file: ExportedFile }),
  },
} as const;
