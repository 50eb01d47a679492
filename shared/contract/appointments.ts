import { z } from 'zod';
import { CONSULTATION_MECHANISM_LIST } from '../domain/episodeCodes';
import { isoDate, recordId } from '../domain/people';
import { CONTACT_TYPES } from '../outcomes';
import { Contact } from './contacts';
import { Action } from './followUp';
import { DueMeasure } from './measures';
import { Clinic } from './clinics';
import { baseVersion, clockTime, text } from './schemas';

/**
 * Appointments are contacts booked ahead (attendance null until it is recorded), so a booking becomes the
 * session's contact when the patient attends, and the data set sees one row either way (IDS201, ref §5.4).
 * A cancellation is that contact's attendance code: 2 "cancelled by or on behalf of the patient", 4 "cancelled or
 * postponed by the provider" (ref §5.4, AttendOrDNACode). A reschedule cancels the booking and books its
 * replacement, which keeps a link to it.
 */
export const CANCELLED_BY = { patient: 2, service: 4 } as const;
export type CancelledBy = keyof typeof CANCELLED_BY;
export const CANCELLATION_CODES: ReadonlySet<number> = new Set(Object.values(CANCELLED_BY));
const cancelledBy = z.enum(['patient', 'service'], { message: 'must be patient or service' });

const durationMinutes = z.number().int().min(5, 'must be at least 5 minutes').max(480, 'must be 480 minutes or fewer');

export const BookingInput = z.strictObject({
  referralId: recordId,
  date: isoDate,
  startTime: clockTime,
  durationMinutes,
  type: z.enum(CONTACT_TYPES, { message: 'must be one of: ' + CONTACT_TYPES.join(', ') }),
  mechanism: z.enum(CONSULTATION_MECHANISM_LIST, { message: 'must be 01 (face to face), 02 (telephone) or 11 (video)' }),
  /** Optional: an appointment outside any clinic (a home visit, a call) names its location instead. */
  clinicId: recordId.nullable().default(null),
  /** Defaults to the clinic's site; required without a clinic. */
  location: text(120).optional(),
  /** Defaults to the clinician using this device (a booking clerk books for a clinician). */
  clinicianId: recordId.optional(),
});
export type BookingInput = z.input<typeof BookingInput>;

export const Appointment = Contact.extend({
  clinicId: recordId.nullable(),
  /** The booking this one replaced, when it was rescheduled. */
  rescheduledFromId: recordId.nullable(),
  cancellationReason: z.string().nullable(),
});
export type Appointment = z.infer<typeof Appointment>;

export const RescheduleInput = z.strictObject({
  id: recordId,
  version: baseVersion,
  date: isoDate,
  startTime: clockTime,
  durationMinutes: durationMinutes.optional(),
  /** Who asked: the original booking is closed with code 2 (patient) or 4 (service). */
  cancelledBy,
  reason: text(500).optional(),
  /** Move it into another clinic (or out of any, with null); kept when left out. */
  clinicId: recordId.nullable().optional(),
  location: text(120).optional(),
});

export const CancelInput = z.strictObject({ id: recordId, version: baseVersion, cancelledBy, reason: text(500).optional() });

/** Who a day or week is for: one clinic (everyone booked in it), or one clinician (default: this device's). */
const Scope = { clinicId: recordId.optional(), clinicianId: recordId.optional() };

const PatientBrief = z.strictObject({ id: recordId, nhsNumber: z.string(), givenName: z.string(), familyName: z.string(), dateOfBirth: z.string() });

export const DayAppointment = z.strictObject({
  appointment: Appointment,
  patient: PatientBrief,
  referralStatus: z.string(),
  clinicName: z.string().nullable(),
  /** The group course and session a member's attendance belongs to (issue #10 §7), e.g. "Living well with diabetes, session 2". */
  groupName: z.string().nullable(),
  clinicianName: z.string(),
  /** `measuresDue` for this contact (empty once cancelled). */
  measuresDue: z.array(DueMeasure),
  /** The referral's follow-up actions not yet done. */
  outstandingActions: z.array(Action),
  /** Where a rescheduled booking went. */
  rescheduledTo: z.strictObject({ id: recordId, date: z.string(), startTime: z.string() }).nullable(),
});
export type DayAppointment = z.infer<typeof DayAppointment>;

export const ClinicDay = z.strictObject({
  date: z.string(),
  clinic: Clinic.nullable(),
  clinician: z.strictObject({ id: recordId, displayName: z.string() }).nullable(),
  appointments: z.array(DayAppointment),
});
export type ClinicDay = z.infer<typeof ClinicDay>;

export const WeekAppointment = z.strictObject({
  id: recordId,
  referralId: recordId,
  patientName: z.string(),
  date: z.string(),
  startTime: z.string(),
  durationMinutes: z.number().int(),
  type: z.enum(CONTACT_TYPES),
  attendance: z.number().int().nullable(),
  clinicName: z.string().nullable(),
  groupName: z.string().nullable(),
  location: z.string(),
});
export type WeekAppointment = z.infer<typeof WeekAppointment>;

export const ClinicWeek = z.strictObject({
  /** The Monday of the week asked for. */
  weekStart: z.string(),
  clinic: Clinic.nullable(),
  clinician: z.strictObject({ id: recordId, displayName: z.string() }).nullable(),
  days: z.array(z.strictObject({ date: z.string(), appointments: z.array(WeekAppointment) })),
});
export type ClinicWeek = z.infer<typeof ClinicWeek>;

export const DayQuery = z
  .strictObject({ date: isoDate, ...Scope })
  .refine((s) => !(s.clinicId && s.clinicianId), { message: 'give a clinic or a clinician, not both', path: ['clinicId'] });

/** An open referral that can be booked: who it is for, and nothing clinical (a booking clerk's dialog lists these). */
export const BookableReferral = z.strictObject({
  referralId: recordId,
  patientId: recordId,
  nhsNumber: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  receivedDate: z.string(),
});
export type BookableReferral = z.infer<typeof BookableReferral>;

export const appointmentMethods = {
  /** The open referrals the caller may book, in name order (the whole team's for a booking clerk). */
  'appointments.bookable': { input: z.strictObject({}), output: z.strictObject({ referrals: z.array(BookableReferral) }) },
  'appointments.book': { input: BookingInput, output: Appointment },
  'appointments.reschedule': { input: RescheduleInput, output: z.strictObject({ cancelled: Appointment, booked: Appointment }) },
  'appointments.cancel': { input: CancelInput, output: Appointment },
  'clinicDay.day': { input: DayQuery, output: ClinicDay },
  /** Any date in the week; the week runs Monday to Sunday. */
  'clinicDay.week': { input: DayQuery, output: ClinicWeek },
} as const;
