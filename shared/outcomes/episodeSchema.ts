import { z } from 'zod';
import { isoDate } from '../domain/people';

/**
 * Contact types and their data-set meaning (ref §4, §5.4): treatment-based appointments are AppType 02, 03
 * and 05 — treatment, assessment and treatment, review and treatment. 06 is follow-up after discharge.
 */
export const CONTACT_TYPES = ['assessment', 'treatment', 'assessment-and-treatment', 'review-and-treatment', 'follow-up', 'other'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];
export const TREATMENT_TYPES: ReadonlySet<ContactType> = new Set(['treatment', 'assessment-and-treatment', 'review-and-treatment']);
/** ref §5.4: AttendOrDNACode 5 (attended on time) and 6 (arrived late but seen) — strictly these two. */
export const ATTENDED_CODES: ReadonlySet<number> = new Set([5, 6]);

export const Contact = z.strictObject({
  id: z.string().min(1).optional(),
  date: isoDate,
  type: z.enum(CONTACT_TYPES),
  /** AttendOrDNACode 2–7 (ref §5.4). */
  attendance: z.number().int().min(2, 'must be an attendance code 2–7').max(7, 'must be an attendance code 2–7'),
});
export type Contact = z.infer<typeof Contact>;

export const MeasureRecord = z.strictObject({
  date: isoDate,
  instrumentId: z.string().min(1),
  total: z.number().finite(),
  contactId: z.string().min(1).optional(),
});
export type MeasureRecord = z.infer<typeof MeasureRecord>;

export const Episode = z
  .strictObject({
    referralReceived: isoDate,
    /** ICD-10 problem descriptor (e.g. F41.1), a SNOMED code, or null when not recorded. */
    problemDescriptor: z.string().nullable().optional(),
    pathway: z.enum(['integrated-ltc', 'core']),
    ltcCodes: z.array(z.string().regex(/^\d{6,18}$/, 'must be a SNOMED CT code')).default([]),
    contacts: z.array(Contact).default([]),
    measures: z.array(MeasureRecord).default([]),
    /** Both absent while the referral is open (ref §4: ServDischDate, EndCode). */
    dischargeDate: isoDate.optional(),
    endCode: z.string().regex(/^\d{2}$/, 'must be a two-digit end code').optional(),
  })
  .superRefine((e, ctx) => {
    if ((e.dischargeDate === undefined) !== (e.endCode === undefined)) {
      ctx.addIssue({ code: 'custom', path: [e.dischargeDate === undefined ? 'dischargeDate' : 'endCode'], message: 'discharge date and end code go together' });
    }
    if (e.dischargeDate !== undefined && e.dischargeDate < e.referralReceived) {
      ctx.addIssue({ code: 'custom', path: ['dischargeDate'], message: 'is before the referral was received' });
    }
    e.contacts.forEach((c, i) => {
      if (c.date < e.referralReceived) ctx.addIssue({ code: 'custom', path: ['contacts', i, 'date'], message: 'is before the referral was received' });
    });
    const ids = new Set(e.contacts.map((c) => c.id).filter(Boolean));
    if (ids.size !== e.contacts.filter((c) => c.id).length) ctx.addIssue({ code: 'custom', path: ['contacts'], message: 'contact ids must be unique' });
    e.measures.forEach((m, i) => {
      if (m.contactId !== undefined && !ids.has(m.contactId)) ctx.addIssue({ code: 'custom', path: ['measures', i, 'contactId'], message: 'names no contact in this episode' });
    });
  });
export type EpisodeInput = z.input<typeof Episode>;
export type Episode = z.output<typeof Episode>;

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
