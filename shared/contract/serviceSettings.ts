import { z } from 'zod';
import { REFERRER_ROLES, SOURCE_CODE_LIST } from '../domain/episodeCodes';

/**
 * What a service configures (issue #8 item 10): the `createOutcomes` overrides for values the reference marks
 * unverified, and the referrer → source-code table. The outcomes engine validates the overrides themselves.
 */
const InstrumentOverride = z.strictObject({
  caseness: z.number().finite().optional(),
  reliableChange: z.number().finite().positive('must be above 0').optional(),
  screenThreshold: z.number().finite().optional(),
  responseOptions: z.array(z.strictObject({ value: z.number().finite(), label: z.string().trim().min(1, 'is required').max(80) })).min(2).max(11).optional(),
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

export const ServiceSettings = z.strictObject({
  /** Null until the service first saves its settings. */
  version: z.number().int().positive().nullable(),
  outcomes: OutcomeSettings,
  sourceCodes: z.record(z.string(), z.string()),
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
    }),
    output: ServiceSettings,
  },
} as const;
