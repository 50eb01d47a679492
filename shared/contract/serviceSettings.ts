import { z } from 'zod';
import { ToolCodeTable } from './exports';
import { EDITABLE_LTC_KEYS, LTC_OPTIONS, type LtcKey, REFERRER_ROLES, RESERVED_LTC_CODES, SNOMED_CODE, SOURCE_CODE_LIST } from '../domain/episodeCodes';

/**
 * What a service configures (issue #8 item 10): the `createOutcomes` overrides for values the reference marks
 * unverified, and the referrer → source-code table. The outcomes engine validates the overrides themselves.
 */
const InstrumentOverride = z.strictObject({
  caseness: z.number().finite().optional(),
  reliableChange: z.number().finite().positive('must be above 0').optional(),
  screenThreshold: z.number().finite().optional(),
  /** A local screen's answer scale (ref §7: the service sets it); the engine refuses it for any other instrument. */
  responseOptions: z
    .array(z.strictObject({ value: z.number().finite(), label: z.string().trim().min(1, 'is required').max(80, 'must be at most 80 characters') }))
    .min(2, 'needs 2 to 11 answers')
    .max(11, 'needs 2 to 11 answers')
    .optional(),
});

export const OutcomeSettings = z.strictObject({
  instruments: z.record(z.string().max(40), InstrumentOverride).default({}),
  dds2Rule: z.enum(['fisher-2008-mean-3', 'dds-guidance-mean-2']).default('fisher-2008-mean-3'),
  ptsdMeasure: z.enum(['pcl5', 'ies-r']).default('pcl5'),
  /** The alternative ADSM for OCD (ref §2.2: the guide names the OCI; OCI-R only as a service's choice). */
  ocdMeasure: z.enum(['oci', 'oci-r']).default('oci'),
  serviceUseRecallMonths: z.number({ message: 'must be a number of months' }).int('must be whole months').min(1, 'must be 1 to 24 months').max(24, 'must be 1 to 24 months').default(3),
});
export type OutcomeSettings = z.output<typeof OutcomeSettings>;

export const SourceCodeTable = z.partialRecord(z.enum(REFERRER_ROLES), z.enum(SOURCE_CODE_LIST, { message: 'must be a source-of-referral code' }));

/**
 * The service's SNOMED CT codes for the conditions the reference does not code (issue #8 item 1): condition key →
 * code. Only unverified conditions may be set; the diabetes codes are the reference's and drive `measuresDue`.
 * Each condition needs its own code, or a referral's conditions could not be told apart.
 */
export const LtcCodeTable = z
  .record(z.string().max(40), z.string().trim().regex(SNOMED_CODE, 'must be a SNOMED CT code: 6 to 18 digits'))
  .superRefine((table, ctx) => {
    const effective = new Map<string, string>();
    for (const o of LTC_OPTIONS) effective.set(o.key, (!o.verified && table[o.key]) || o.code);
    for (const [key, code] of Object.entries(table)) {
      // Checked here rather than by an enum key so the refusal names the condition, not the whole table.
      if (!(EDITABLE_LTC_KEYS as readonly string[]).includes(key)) {
        const verified = LTC_OPTIONS.some((o) => o.key === key);
        ctx.addIssue({ code: 'custom', path: [key], message: verified ? 'is the reference’s code and cannot be changed' : 'is not a condition on the list' });
        continue;
      }
      if (RESERVED_LTC_CODES.includes(code)) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'is a diabetes code, which the reference fixes' });
        continue;
      }
      const other = LTC_OPTIONS.find((o) => o.key !== key && effective.get(o.key) === code);
      if (other) ctx.addIssue({ code: 'custom', path: [key], message: `is already the code for ${other.label}` });
    }
  });
export type LtcCodeTable = Partial<Record<LtcKey, string>>;

export const ServiceSettings = z.strictObject({
  /** Null until the service first saves its settings. */
  version: z.number().int().positive().nullable(),
  outcomes: OutcomeSettings,
  sourceCodes: z.record(z.string(), z.string()),
  /** The service's own LTC codes only (condition key → code); `ltcOptions` merges them into the list. */
  ltcCodes: z.record(z.string(), z.string()),
  /** The service's CodedAssToolType codes for measures the reference does not code (instrument id → code). */
  toolCodes: z.record(z.string(), z.string()),
});
export type ServiceSettings = z.infer<typeof ServiceSettings>;

export const serviceSettingsMethods = {
  'serviceSettings.get': { input: z.strictObject({}), output: ServiceSettings },
  'serviceSettings.update': {
    input: z.strictObject({
      /** The version seen; null when creating the first settings. */
      version: z.number().int().positive().nullable(),
      outcomes: OutcomeSettings,
      sourceCodes: SourceCodeTable.default({}),
      ltcCodes: LtcCodeTable.default({}),
      /** Left out: the stored codes stay as they are (the settings screen does not show them; the exports screen does). */
      toolCodes: ToolCodeTable.optional(),
    }),
    output: ServiceSettings,
  },
} as const;
