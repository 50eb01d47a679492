import { z } from 'zod';
import { CONSULTATION_MECHANISM_LIST } from '../domain/episodeCodes';
import { GROUP_CONDITIONS, MAX_GROUP_MEMBERS, MAX_GROUP_SESSIONS } from '../domain/groups';
import { isoDate, recordId } from '../domain/people';
import { attendanceCode } from './contacts';
import { clockTime, recordMeta, requiredText } from './schemas';

/**
 * Group courses (issue #10 §7): condition-specific, co-facilitated with a named physical-health colleague. Each
 * member's attendance at a session is a contact of their own referral (so it counts in their episode and in
 * classifyEpisode); measures are recorded against that contact, like any session's.
 */
export const GroupInput = z.strictObject({
  title: requiredText(120),
  condition: z.enum(GROUP_CONDITIONS, { message: 'must be one of: ' + GROUP_CONDITIONS.join(', ') }),
  /** The physical-health colleague who runs it with the therapist, e.g. "Priya Shah". */
  coFacilitatorName: requiredText(120),
  /** Their role, e.g. "Diabetes specialist nurse". */
  coFacilitatorRole: requiredText(120),
  location: requiredText(120),
  startsOn: isoDate,
  plannedSessions: z.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_GROUP_SESSIONS, `must be ${MAX_GROUP_SESSIONS} or fewer`),
  /** The therapist who runs it; defaults to the clinician using this device. */
  facilitatorId: recordId.optional(),
});
export type GroupInput = z.input<typeof GroupInput>;

export const Group = z.strictObject({
  id: recordId,
  title: z.string(),
  condition: z.enum(GROUP_CONDITIONS),
  facilitatorId: z.string(),
  coFacilitatorName: z.string(),
  coFacilitatorRole: z.string(),
  location: z.string(),
  startsOn: z.string(),
  plannedSessions: z.number().int(),
  ...recordMeta,
});
export type Group = z.infer<typeof Group>;

export const GroupSummary = Group.extend({ memberCount: z.number().int(), sessionsHeld: z.number().int() });
export type GroupSummary = z.infer<typeof GroupSummary>;

export const GroupMember = z.strictObject({
  id: recordId,
  referralId: recordId,
  patientId: recordId,
  name: z.string(),
  nhsNumber: z.string(),
  joinedOn: z.string(),
  /** False once the member's referral has ended: they keep their past attendance but are not booked again. */
  active: z.boolean(),
});
export type GroupMember = z.infer<typeof GroupMember>;

/** One member at one session: their contact, what happened, and the measures taken at it. */
export const GroupAttendance = z.strictObject({
  referralId: recordId,
  contactId: recordId,
  attendance: z.number().int().nullable(),
  measures: z.array(z.strictObject({ instrumentId: z.string(), total: z.number().nullable() })),
});
export type GroupAttendance = z.infer<typeof GroupAttendance>;

export const GroupSession = z.strictObject({
  id: recordId,
  sessionNumber: z.number().int(),
  date: z.string(),
  startTime: z.string(),
  durationMinutes: z.number().int(),
  attendance: z.array(GroupAttendance),
});
export type GroupSession = z.infer<typeof GroupSession>;

export const GroupView = z.strictObject({ group: Group, members: z.array(GroupMember), sessions: z.array(GroupSession) });
export type GroupView = z.infer<typeof GroupView>;

export const AddMemberInput = z.strictObject({ groupId: recordId, referralId: recordId, joinedOn: isoDate });
export type AddMemberInput = z.input<typeof AddMemberInput>;

export const GroupSessionInput = z.strictObject({
  groupId: recordId,
  date: isoDate,
  startTime: clockTime,
  durationMinutes: z.number().int().min(15, 'must be at least 15 minutes').max(240, 'must be 240 minutes or fewer'),
  mechanism: z.enum(CONSULTATION_MECHANISM_LIST, { message: 'must be 01 (face to face), 02 (telephone) or 11 (video)' }),
  /** Every active member once, with the attendance code (ref §5.4, 2–7). */
  attendance: z
    .array(z.strictObject({ referralId: recordId, attendance: attendanceCode }))
    .min(1, 'must record at least one member')
    .max(MAX_GROUP_MEMBERS, `must be ${MAX_GROUP_MEMBERS} members or fewer`)
    .refine((rows) => new Set(rows.map((r) => r.referralId)).size === rows.length, 'must name each member once'),
});
export type GroupSessionInput = z.input<typeof GroupSessionInput>;

export const groupMethods = {
  'groups.list': { input: z.strictObject({}), output: z.strictObject({ groups: z.array(GroupSummary) }) },
  'groups.create': { input: GroupInput, output: GroupView },
  'groups.get': { input: z.strictObject({ id: recordId }), output: GroupView },
  'groups.addMember': { input: AddMemberInput, output: GroupView },
  'groups.recordSession': { input: GroupSessionInput, output: GroupView },
} as const;
