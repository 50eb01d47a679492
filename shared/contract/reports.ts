import { z } from 'zod';
import { isoDate, recordId } from '../domain/people';
import { DIMENSIONS } from '../outcomes';
import { REFERRAL_SOURCE_CODES } from '../outcomes/codes';

/** The healthcare-use items of the service-use record (shared/outcomes/catalogue.ts, ref §3). */
export const SERVICE_USE_ITEMS = ['gp-appointments', 'ae-attendances', 'emergency-admissions', 'outpatient-appointments', 'ambulance-conveyances', 'specialist-nurse-contacts'] as const;

/**
 * Service reports (issue #11 item 2): every figure of the outcome rules for a period and filters, computed from
 * the store, with the LTC pathway's own figures. Who may see them: the clinical roles, each over the referrals
 * their scope covers (shared/roles/scope.ts) — a supervisor their supervisees' and their own, a PWP or HIT their
 * own. There is no service-lead role yet; the admin holds no patient data, and the booking clerk no outcomes.
 */
export const ReportPeriod = z
  .strictObject({ start: isoDate, end: isoDate })
  .refine((p) => p.start <= p.end, { message: 'must not be before the start', path: ['end'] });

const text = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const ReportFilters = z.strictObject({
  pathway: z.enum(['integrated-ltc', 'core'], { message: 'must be integrated-ltc or core' }).optional(),
  /** A SNOMED CT code the referral carries. */
  ltcCode: z.string().regex(/^\d{6,18}$/, 'must be a SNOMED CT code').optional(),
  clinicianId: recordId.optional(),
  /** The referral's team: the clinic or practice it belongs to (the referral form's "Team"). */
  team: text.optional(),
  step: z.union([z.literal(2), z.literal(3), z.literal(4)], { message: 'must be step 2, 3 or 4' }).optional(),
  referralSource: z.enum(REFERRAL_SOURCE_CODES, { message: 'must be a source of referral code (ref §5.2)' }).optional(),
});
export type ReportFilters = z.infer<typeof ReportFilters>;

/** £ per unit of each healthcare-use item: entered by the service (none are shipped, issue #11 item 2). */
export const UnitCosts = z.partialRecord(z.enum(SERVICE_USE_ITEMS), z.number({ message: 'must be a number of pounds' }).finite().min(0, 'must not be negative').max(100_000, 'must be at most £100,000'));
export type UnitCosts = z.infer<typeof UnitCosts>;

export const ReportRequest = z.strictObject({
  period: ReportPeriod,
  filters: ReportFilters.default({}),
  splitBy: z.enum(DIMENSIONS, { message: `must be one of ${DIMENSIONS.join(', ')}` }).optional(),
  unitCosts: UnitCosts.default({}),
});
export type ReportRequest = z.input<typeof ReportRequest>;

export const ReportFigure = z.strictObject({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['count', 'rate', 'mean', 'median']),
  value: z.number().nullable(),
  count: z.number().nullable(),
  denominator: z.number().nullable(),
  referrals: z.number(),
  source: z.string(),
  local: z.boolean(),
  suppressed: z.boolean(),
  note: z.string().optional(),
});
export type ReportFigure = z.infer<typeof ReportFigure>;

const nullableNumber = z.number().nullable();

export const EffectSizeRow = z.strictObject({
  instrumentId: z.string(),
  pairs: z.number(),
  meanFirst: nullableNumber,
  meanLast: nullableNumber,
  sdFirst: nullableNumber,
  effectSize: nullableNumber,
  reason: z.string().optional(),
});

export const ServiceReport = z.strictObject({
  period: ReportPeriod,
  filters: ReportFilters,
  /** Referrals the figures were computed over (those in scope and filters, relevant to the period). */
  referralsConsidered: z.number(),
  figures: z.array(ReportFigure),
  split: z
    .strictObject({
      dimension: z.enum(DIMENSIONS),
      groups: z.array(z.strictObject({ key: z.string(), label: z.string(), figures: z.array(ReportFigure) })),
    })
    .nullable(),
  effectSizes: z.array(EffectSizeRow),
  hba1c: z.strictObject({ n: z.number(), meanFirst: nullableNumber, meanLast: nullableNumber, meanChange: nullableNumber, reason: z.string().optional() }),
  healthcareUse: z.strictObject({
    n: z.number(),
    items: z.array(z.strictObject({ itemId: z.string(), label: z.string(), before: z.number(), after: z.number(), unitCost: nullableNumber, saving: nullableNumber })),
    totalBefore: z.number(),
    totalAfter: z.number(),
    totalSaving: nullableNumber,
    reason: z.string().optional(),
  }),
  /**
   * Patient-initiated waiting-time pauses (IDS108) of the referrals entering treatment in the period, reported
   * beside the waits and never taken off them (shared/domain/waitingClock.ts).
   */
  waitingPauses: z.strictObject({ enteredTreatment: z.number(), withPause: z.number(), pausedDays: z.number(), medianPausedDays: nullableNumber }),
  dataQuality: z.strictObject({ excludedCount: z.number(), warningCount: z.number() }),
});
export type ServiceReport = z.infer<typeof ServiceReport>;

export const REPORT_TABLES = ['figures', 'split', 'effect-sizes', 'hba1c', 'healthcare-use', 'waiting-pauses'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

export const ReportExport = z.strictObject({ file: z.string(), path: z.string(), rows: z.number(), suppressed: z.number() });

export const reportMethods = {
  'reports.service': { input: ReportRequest, output: ServiceReport },
  /** One table of the report as CSV, small numbers suppressed, written where the person chose (purpose "reports"). */
  'reports.exportCsv': {
    input: ReportRequest.extend({ table: z.enum(REPORT_TABLES, { message: `must be one of ${REPORT_TABLES.join(', ')}` }) }),
    output: ReportExport,
  },
} as const;
