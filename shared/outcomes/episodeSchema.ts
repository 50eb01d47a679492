import { z } from 'zod';
import { fieldProblems, type FieldProblem } from '../contract/errors';
import { isIsoDate } from '../domain/dates';
import { isoDate } from '../domain/people';
import { REFERRAL_SOURCE_CODES, STEPS } from './codes';

/**
 * Contact types and their data-set meaning (ref §4, §5.4): treatment-based appointments are AppType 02, 03
 * and 05 — treatment, assessment and treatment, review and treatment. 06 is follow-up after discharge.
 * Employment support (AppType 10) is never treatment (ref §4: excluded since v2.0).
 */
export const CONTACT_TYPES = ['assessment', 'treatment', 'assessment-and-treatment', 'review-and-treatment', 'follow-up', 'other', 'employment-support'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];
export const TREATMENT_TYPES: ReadonlySet<ContactType> = new Set(['treatment', 'assessment-and-treatment', 'review-and-treatment']);
/** ref §5.4: AttendOrDNACode 5 (attended on time) and 6 (arrived late but seen) — strictly these two. */
export const ATTENDED_CODES: ReadonlySet<number> = new Set([5, 6]);

export const Contact = z.strictObject({
  id: z.string().min(1).optional(),
  date: isoDate,
  /** Start time "HH:MM" (24-hour): gives contact order within a date; a contact without one comes first. */
  time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM')
    .optional(),
  type: z.enum(CONTACT_TYPES),
  /** AttendOrDNACode 2–7 (ref §5.4). */
  attendance: z.number().int().min(2, 'must be an attendance code 2–7').max(7, 'must be an attendance code 2–7'),
});
export type ContactInput = z.input<typeof Contact>;
export type Contact = z.infer<typeof Contact>;

export const MeasureRecord = z.strictObject({
  date: isoDate,
  instrumentId: z.string().min(1),
  total: z.number().finite(),
  /** The contact the measure was taken at: gives its order within a date (ref §4 "Paired scores"). */
  contactId: z.string().min(1).optional(),
});
export type MeasureRecord = z.infer<typeof MeasureRecord>;

const recordId = z.string().min(1).max(200);

export const Episode = z
  .strictObject({
    /** The referral's id, echoed in report exclusions. */
    id: recordId.optional(),
    /** Links a patient's referrals, for repeat referrals (ref §4). */
    patientId: recordId.optional(),
    referralReceived: isoDate,
    /** `SourceOfReferralIAPT` code (ref §5.2), e.g. 'A1' GP, 'B1' self-referral, 'N1' stepped up. */
    referralSource: z.enum(REFERRAL_SOURCE_CODES, { message: 'must be a source of referral code (ref §5.2)' }).optional(),
    clinicianId: recordId.optional(),
    /** Stepped-care step (ref §5.7). */
    step: z.union(STEPS.map((s) => z.literal(s)) as [z.ZodLiteral<2>, z.ZodLiteral<3>, z.ZodLiteral<4>], { message: 'must be step 2, 3 or 4' }).optional(),
    /** ICD-10 problem descriptor (e.g. F41.1), a SNOMED code, or null when not recorded. */
    problemDescriptor: z.string().nullable().optional(),
    pathway: z.enum(['integrated-ltc', 'core']),
    ltcCodes: z.array(z.string().regex(/^\d{6,18}$/, 'must be a SNOMED CT code')).default([]),
    /**
     * Contacts outside the referral window are accepted here and ignored by the counts (ref §4), with a
     * data-quality warning; entry forms refuse them with `contactEntryProblems`.
     */
    contacts: z.array(Contact).default([]),
    measures: z.array(MeasureRecord).default([]),
    /** Both absent while the referral is open (ref §4: ServDischDate, EndCode). */
    dischargeDate: isoDate.optional(),
    /** Any two-digit code is accepted so that reports can count codes invalid in v2 (ref §4 "End codes"). */
    endCode: z.string().regex(/^\d{2}$/, 'must be a two-digit end code').optional(),
  })
  .superRefine((e, ctx) => {
    if ((e.dischargeDate === undefined) !== (e.endCode === undefined)) {
      ctx.addIssue({ code: 'custom', path: [e.dischargeDate === undefined ? 'dischargeDate' : 'endCode'], message: 'discharge date and end code go together' });
    }
    if (e.dischargeDate !== undefined && e.dischargeDate < e.referralReceived) {
      ctx.addIssue({ code: 'custom', path: ['dischargeDate'], message: 'is before the referral was received' });
    }
    const ids = new Set(e.contacts.map((c) => c.id).filter(Boolean));
    if (ids.size !== e.contacts.filter((c) => c.id).length) ctx.addIssue({ code: 'custom', path: ['contacts'], message: 'contact ids must be unique' });
    e.measures.forEach((m, i) => {
      if (m.contactId !== undefined && !ids.has(m.contactId)) ctx.addIssue({ code: 'custom', path: ['measures', i, 'contactId'], message: 'names no contact in this episode' });
    });
  });
export type EpisodeInput = z.input<typeof Episode>;
export type Episode = z.output<typeof Episode>;

/** Where a contact falls against its referral's window (ref §4: referral received to discharge, both inclusive). */
export function contactWindow(contact: { date: string; type: ContactType }, referral: { referralReceived: string; dischargeDate?: string | undefined }): 'in' | 'before-referral' | 'after-discharge' | 'follow-up' {
  if (contact.date < referral.referralReceived) return 'before-referral';
  if (referral.dischargeDate !== undefined && contact.date > referral.dischargeDate) return contact.type === 'follow-up' ? 'follow-up' : 'after-discharge';
  return 'in';
}

/**
 * Problems with a contact a clinician is entering, fields named as in `Contact` (`date`, `type`, …); empty when
 * it may be saved. Beyond the shape, a contact may not be dated before the referral was received nor after the
 * discharge (ref §4), except a follow-up, which by definition comes after discharge (ref §5.4, AppType 06).
 */
export function contactEntryProblems(contact: unknown, referral: { referralReceived: string; dischargeDate?: string | undefined }): FieldProblem[] {
  const r = Contact.safeParse(contact);
  if (!r.success) return fieldProblems(r.error.issues);
  const where = contactWindow(r.data, referral);
  if (where === 'before-referral') return [{ path: 'date', message: `is before the referral was received (${referral.referralReceived})` }];
  if (where === 'after-discharge') return [{ path: 'date', message: `is after the discharge (${referral.dischargeDate}); only a follow-up may be` }];
  return [];
}

export const Period = z
  .strictObject({ start: isoDate, end: isoDate })
  .refine((p) => p.start <= p.end, { message: 'start must not be after end', path: ['end'] });
export type Period = z.infer<typeof Period>;

export const ContactPlan = z.strictObject({
  date: isoDate,
  type: z.enum(CONTACT_TYPES),
  /** The last contact of the course (discharge planned at this contact). */
  final: z.boolean().default(false),
});
export type ContactPlan = z.input<typeof ContactPlan>;

const EPISODE_KEYS = new Set(['id', 'patientId', 'referralReceived', 'referralSource', 'clinicianId', 'step', 'problemDescriptor', 'pathway', 'ltcCodes', 'contacts', 'measures', 'dischargeDate', 'endCode']);
const CONTACT_KEYS = new Set(['id', 'date', 'time', 'type', 'attendance']);
const MEASURE_KEYS = new Set(['date', 'instrumentId', 'total', 'contactId']);
const SOURCE_CODES: ReadonlySet<unknown> = new Set(REFERRAL_SOURCE_CODES);
const TYPES: ReadonlySet<unknown> = new Set(CONTACT_TYPES);
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const SNOMED = /^\d{6,18}$/;
const END_CODE = /^\d{2}$/;

/** A plain object whose own keys are all in `keys` and none of whose values is undefined (zod's edge cases). */
function plainWith(value: unknown, keys: ReadonlySet<string>): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) if (!Object.hasOwn(value, key) || !keys.has(key) || (value as Record<string, unknown>)[key] === undefined) return false;
  return true;
}
// A report sees a few thousand distinct dates hundreds of thousands of times: each is checked once.
const realDates = new Set<string>();
function isDate(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  if (realDates.has(v)) return true;
  if (!isIsoDate(v)) return false;
  if (realDates.size > 100_000) realDates.clear();
  realDates.add(v);
  return true;
}
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length >= 1;
const isRecordId = (v: unknown): v is string => nonEmpty(v) && v.length <= 200;

/**
 * `Episode.parse` for the common case, in a fraction of its time: the same output for an episode that is
 * plainly well formed, and `undefined` whenever anything is unusual (a missing or odd field, an undefined value,
 * any failure), so that the schema itself decides and words the refusal. A report validates every episode of a
 * year (tens of thousands); tests/property/episodeFastParse.property.test.ts holds the two to the same answers.
 */
export function parseEpisodeFast(raw: unknown): Episode | undefined {
  if (!plainWith(raw, EPISODE_KEYS)) return undefined;
  const e = raw;
  if (!isDate(e.referralReceived) || (e.pathway !== 'integrated-ltc' && e.pathway !== 'core')) return undefined;
  if ('id' in e && !isRecordId(e.id)) return undefined;
  if ('patientId' in e && !isRecordId(e.patientId)) return undefined;
  if ('clinicianId' in e && !isRecordId(e.clinicianId)) return undefined;
  if ('referralSource' in e && !SOURCE_CODES.has(e.referralSource)) return undefined;
  if ('step' in e && e.step !== 2 && e.step !== 3 && e.step !== 4) return undefined;
  if ('problemDescriptor' in e && e.problemDescriptor !== null && typeof e.problemDescriptor !== 'string') return undefined;
  const hasDischarge = 'dischargeDate' in e;
  if (hasDischarge !== 'endCode' in e) return undefined;
  if (hasDischarge && (!isDate(e.dischargeDate) || typeof e.endCode !== 'string' || !END_CODE.test(e.endCode) || e.dischargeDate < e.referralReceived)) return undefined;

  let ltcCodes: string[] = [];
  if ('ltcCodes' in e) {
    if (!Array.isArray(e.ltcCodes)) return undefined;
    for (const code of e.ltcCodes as unknown[]) if (typeof code !== 'string' || !SNOMED.test(code)) return undefined;
    ltcCodes = e.ltcCodes as string[];
  }
  let contacts: Contact[] = [];
  const ids = new Set<string>();
  if ('contacts' in e) {
    if (!Array.isArray(e.contacts)) return undefined;
    for (const c of e.contacts as unknown[]) {
      if (!plainWith(c, CONTACT_KEYS) || !isDate(c.date) || !TYPES.has(c.type)) return undefined;
      const a = c.attendance;
      if (typeof a !== 'number' || !Number.isInteger(a) || a < 2 || a > 7) return undefined;
      if ('time' in c && (typeof c.time !== 'string' || !TIME.test(c.time))) return undefined;
      if ('id' in c) {
        if (!nonEmpty(c.id) || ids.has(c.id)) return undefined;
        ids.add(c.id);
      }
    }
    contacts = e.contacts as Contact[];
  }
  let measures: MeasureRecord[] = [];
  if ('measures' in e) {
    if (!Array.isArray(e.measures)) return undefined;
    for (const m of e.measures as unknown[]) {
      if (!plainWith(m, MEASURE_KEYS) || !isDate(m.date) || !nonEmpty(m.instrumentId) || typeof m.total !== 'number' || !Number.isFinite(m.total)) return undefined;
      if ('contactId' in m && (!nonEmpty(m.contactId) || !ids.has(m.contactId))) return undefined;
    }
    measures = e.measures as MeasureRecord[];
  }
  const out = {} as Episode;
  if ('id' in e) out.id = e.id as string;
  if ('patientId' in e) out.patientId = e.patientId as string;
  out.referralReceived = e.referralReceived;
  if ('referralSource' in e) out.referralSource = e.referralSource as Episode['referralSource'];
  if ('clinicianId' in e) out.clinicianId = e.clinicianId as string;
  if ('step' in e) out.step = e.step as 2 | 3 | 4;
  if ('problemDescriptor' in e) out.problemDescriptor = e.problemDescriptor as string | null;
  out.pathway = e.pathway;
  out.ltcCodes = ltcCodes;
  out.contacts = contacts;
  out.measures = measures;
  if (hasDischarge) {
    out.dischargeDate = e.dischargeDate as string;
    out.endCode = e.endCode as string;
  }
  return out;
}
