import { z } from 'zod';
import { fieldProblems, type FieldProblem } from '../contract/errors';
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
