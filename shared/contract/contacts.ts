import { z } from 'zod';
import { CONSULTATION_MECHANISM_LIST } from '../domain/episodeCodes';
import { isoDate, recordId } from '../domain/people';
import { CONTACT_TYPES } from '../outcomes';
import { baseVersion, clockTime, recordMeta, requiredText } from './schemas';

/** AttendOrDNACode 2–7 (ref §5.4); null while the contact is booked ahead. */
export const attendanceCode = z.number().int().min(2, 'must be an attendance code 2–7').max(7, 'must be an attendance code 2–7');

export const ContactInput = z.strictObject({
  referralId: recordId,
  date: isoDate,
  startTime: clockTime,
  durationMinutes: z.number().int().min(1, 'must be at least 1 minute').max(480, 'must be 480 minutes or fewer'),
  type: z.enum(CONTACT_TYPES, { message: 'must be one of: ' + CONTACT_TYPES.join(', ') }),
  mechanism: z.enum(CONSULTATION_MECHANISM_LIST, { message: 'must be 01 (face to face), 02 (telephone) or 11 (video)' }),
  location: requiredText(120),
  attendance: attendanceCode.nullable(),
  /** Defaults to the clinician using this device. */
  clinicianId: recordId.optional(),
});
export type ContactInput = z.input<typeof ContactInput>;

export const Contact = z.strictObject({
  id: recordId,
  referralId: recordId,
  date: z.string(),
  startTime: z.string(),
  durationMinutes: z.number().int(),
  type: z.enum(CONTACT_TYPES),
  mechanism: z.enum(CONSULTATION_MECHANISM_LIST),
  location: z.string(),
  attendance: z.number().int().nullable(),
  clinicianId: z.string(),
  /** IDS202 therapy type (ref §5.5): the care plan's intervention when the contact was made. */
  therapyType: z.string().nullable(),
  /** The group session this was the patient's attendance at (issue #10 §7); null for an individual contact. */
  groupSessionId: z.string().nullable(),
  ...recordMeta,
});
export type Contact = z.infer<typeof Contact>;

export const contactMethods = {
  'contacts.create': { input: ContactInput, output: Contact },
  'contacts.recordAttendance': {
    input: z.strictObject({ id: recordId, version: baseVersion, attendance: attendanceCode }),
    output: Contact,
  },
} as const;
