import type { z } from 'zod';
import type { AddMemberInput, Group, GroupInput, GroupMember, GroupSession, GroupSessionInput, GroupSummary, GroupView, groupMethods } from '../../../shared/contract/groups';
import { formatUkDate } from '../../../shared/domain/dates';
import { MAX_GROUP_MEMBERS, MAX_GROUP_SESSIONS, type GroupCondition } from '../../../shared/domain/groups';
import { contactEntryProblems } from '../../../shared/outcomes';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { GroupSessionsTable, GroupsTable, ReferralsTable } from '../store/schema';
import { assertAttendanceDate, followUpIfMissed } from './contacts';
import type { CaseloadContext } from './context';
import { assertClinicianFree, insertContact } from './diary';
import { assertUser, meta, newColumns, notFound, refuse, type Trx } from './records';
import { caseholderScope, patientInScope, referralInScope } from './scope';

/**
 * Group courses (issue #10 §7). A member's attendance at a session is a contact of their own referral naming the
 * session, written with the same rules as an individual contact (referral window, therapy type from the care
 * plan, a DNA's follow-up action), so it counts in their episode and in classifyEpisode with nothing special.
 */

function toGroup(row: GroupsTable): Group {
  return {
    id: row.id,
    title: row.title,
    condition: row.condition as GroupCondition,
    facilitatorId: row.facilitator_id,
    coFacilitatorName: row.co_facilitator_name,
    coFacilitatorRole: row.co_facilitator_role,
    location: row.location,
    startsOn: row.starts_on,
    plannedSessions: row.planned_sessions,
    ...meta(row),
  };
}

async function liveGroup(trx: Trx, id: string, path = 'group'): Promise<GroupsTable> {
  const row = await trx.selectFrom('groups').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound(path);
  return row;
}

/** The members this person may see: rows whose referral's patient is in their scope (the rest stay on other caseloads). */
async function membersOf(trx: Trx, ctx: CaseloadContext, groupId: string): Promise<GroupMember[]> {
  const scope = await caseholderScope(trx, ctx);
  const rows = await trx
    .selectFrom('group_members')
    .innerJoin('referrals', 'referrals.id', 'group_members.referral_id')
    .innerJoin('patients', 'patients.id', 'referrals.patient_id')
    .select(['group_members.id', 'group_members.referral_id', 'group_members.joined_on', 'referrals.status', 'patients.id as patient_id', 'patients.given_name', 'patients.family_name', 'patients.nhs_number'])
    .where('group_members.group_id', '=', groupId)
    .where('group_members.deleted_at', 'is', null)
    .where('patients.deleted_at', 'is', null)
    .where(patientInScope(scope))
    .orderBy('patients.family_name')
    .orderBy('patients.given_name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    referralId: r.referral_id,
    patientId: r.patient_id,
    name: `${r.given_name} ${r.family_name}`,
    nhsNumber: r.nhs_number,
    joinedOn: r.joined_on,
    active: r.status !== 'discharged',
  }));
}

/** Sessions in the order they met: a session's number is its place in this order (migration 0012). */
async function sessionsOf(trx: Trx, groupIds: readonly string[]): Promise<GroupSessionsTable[]> {
  if (groupIds.length === 0) return [];
  return trx.selectFrom('group_sessions').selectAll().where('group_id', 'in', groupIds).where('deleted_at', 'is', null).orderBy('date').orderBy('start_time').orderBy('created_at').orderBy('id').execute();
}

/** "Living well with diabetes, session 2" for each group session named: how a member's booking shows its course. */
export async function groupSessionNames(trx: Trx, sessionIds: readonly string[]): Promise<Map<string, string>> {
  if (sessionIds.length === 0) return new Map();
  const groups = await trx
    .selectFrom('group_sessions')
    .innerJoin('groups', 'groups.id', 'group_sessions.group_id')
    .select(['groups.id', 'groups.title'])
    .distinct()
    .where('group_sessions.id', 'in', sessionIds)
    .execute();
  const title = new Map(groups.map((g) => [g.id, g.title]));
  const names = new Map<string, string>();
  const sessions = await sessionsOf(trx, [...title.keys()]);
  const counted = new Map<string, number>();
  for (const s of sessions) {
    const n = (counted.get(s.group_id) ?? 0) + 1;
    counted.set(s.group_id, n);
    names.set(s.id, `${title.get(s.group_id)}, session ${n}`);
  }
  return names;
}

async function viewOf(trx: Trx, ctx: CaseloadContext, group: GroupsTable): Promise<GroupView> {
  const members = await membersOf(trx, ctx, group.id);
  const sessions = await sessionsOf(trx, [group.id]);
  const referralIds = members.map((m) => m.referralId);
  const contacts =
    sessions.length === 0 || referralIds.length === 0
      ? []
      : await trx
          .selectFrom('contacts')
          .select(['id', 'referral_id', 'attendance', 'group_session_id'])
          .where('group_session_id', 'in', sessions.map((s) => s.id))
          .where('referral_id', 'in', referralIds)
          .where('deleted_at', 'is', null)
          .execute();
  const measures =
    contacts.length === 0
      ? []
      : await trx.selectFrom('measures').select(['contact_id', 'instrument_id', 'total']).where('contact_id', 'in', contacts.map((c) => c.id)).where('deleted_at', 'is', null).orderBy('created_at').execute();
  const toSession = (s: GroupSessionsTable, i: number): GroupSession => ({
    id: s.id,
    sessionNumber: i + 1,
    date: s.date,
    startTime: s.start_time,
    durationMinutes: s.duration_minutes,
    attendance: contacts
      .filter((c) => c.group_session_id === s.id)
      .map((c) => ({
        referralId: c.referral_id,
        contactId: c.id,
        attendance: c.attendance,
        measures: measures.filter((m) => m.contact_id === c.id).map((m) => ({ instrumentId: m.instrument_id, total: m.total })),
      })),
  });
  return { group: toGroup(group), members, sessions: sessions.map(toSession) };
}

export async function listGroups(ctx: CaseloadContext): Promise<GroupSummary[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('groups').selectAll().where('deleted_at', 'is', null).orderBy('starts_on', 'desc').orderBy('title').execute();
    const summaries: GroupSummary[] = [];
    for (const row of rows) {
      const [members, held] = await Promise.all([
        membersOf(trx, ctx, row.id),
        sessionsOf(trx, [row.id]),
      ]);
      summaries.push({ ...toGroup(row), memberCount: members.length, sessionsHeld: held.length });
    }
    await appendAudit(trx, { actorId: ctx.actorId, action: 'list', entity: 'group', entityIds: rows.map((r) => r.id) }, ctx.now());
    return summaries;
  });
}

export async function createGroup(ctx: CaseloadContext, input: z.output<typeof GroupInput>): Promise<GroupView> {
  return ctx.db.transaction().execute(async (trx) => {
    const facilitator = input.facilitatorId ?? ctx.actorId;
    await assertUser(trx, facilitator, 'facilitatorId');
    const row: GroupsTable = {
      ...newColumns(ctx),
      title: input.title,
      condition: input.condition,
      facilitator_id: facilitator,
      co_facilitator_name: input.coFacilitatorName,
      co_facilitator_role: input.coFacilitatorRole,
      location: input.location,
      starts_on: input.startsOn,
      planned_sessions: input.plannedSessions,
    };
    await trx.insertInto('groups').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'group', entityIds: [row.id] }, ctx.now());
    return viewOf(trx, ctx, row);
  });
}

export async function getGroup(ctx: CaseloadContext, id: string): Promise<GroupView> {
  return ctx.db.transaction().execute(async (trx) => {
    const group = await liveGroup(trx, id);
    const view = await viewOf(trx, ctx, group);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'group', entityIds: [group.id, ...view.members.map((m) => m.referralId)] }, ctx.now());
    return view;
  });
}

export async function addGroupMember(ctx: CaseloadContext, input: z.output<typeof AddMemberInput>): Promise<GroupView> {
  return ctx.db.transaction().execute(async (trx) => {
    const group = await liveGroup(trx, input.groupId, 'group');
    const referral = await referralInScope(trx, ctx, input.referralId);
    if (referral.status === 'discharged') throw refuse('referralId', `names a referral ended on ${formatUkDate(referral.discharge_date!)}`);
    if (input.joinedOn < referral.received_date) throw refuse('joinedOn', `is before the referral was received (${formatUkDate(referral.received_date)})`);
    const current = await trx.selectFrom('group_members').select(['id', 'referral_id']).where('group_id', '=', group.id).where('deleted_at', 'is', null).execute();
    if (current.some((m) => m.referral_id === referral.id)) throw refuse('referralId', 'is already a member of this group');
    if (current.length >= MAX_GROUP_MEMBERS) throw refuse('groupId', `already has ${MAX_GROUP_MEMBERS} members, the most a group takes`);
    const row = { ...newColumns(ctx), group_id: group.id, referral_id: referral.id, joined_on: input.joinedOn };
    await trx.insertInto('group_members').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'group-member', entityIds: [row.id, referral.id] }, ctx.now());
    return viewOf(trx, ctx, group);
  });
}

/** Records one meeting of the course: every active member once, with their attendance (ref §5.4). */
export async function recordGroupSession(ctx: CaseloadContext, input: z.output<typeof GroupSessionInput>): Promise<GroupView> {
  return ctx.db.transaction().execute(async (trx) => {
    const group = await liveGroup(trx, input.groupId);
    if (input.date < group.starts_on) throw refuse('date', `is before the group starts (${formatUkDate(group.starts_on)})`);
    assertAttendanceDate(ctx, input.date, 'date');
    const held = await sessionsOf(trx, [group.id]);
    if (held.length >= MAX_GROUP_SESSIONS) throw refuse('groupId', `already has ${MAX_GROUP_SESSIONS} sessions, the most a course takes`);

    const active = (await membersOf(trx, ctx, group.id)).filter((m) => m.active);
    const byReferral = new Map(active.map((m) => [m.referralId, m]));
    input.attendance.forEach((a, i) => {
      if (!byReferral.has(a.referralId)) throw refuse(`attendance.${i}.referralId`, 'is not an active member of this group');
    });
    const named = new Set(input.attendance.map((a) => a.referralId));
    const missing = active.filter((m) => !named.has(m.referralId));
    if (missing.length > 0) throw refuse('attendance', `must record every member: ${missing.map((m) => m.name).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`);

    const referrals = new Map<string, ReferralsTable>();
    for (const [i, a] of input.attendance.entries()) {
      const referral = await referralInScope(trx, ctx, a.referralId);
      const window = { referralReceived: referral.received_date, ...(referral.discharge_date ? { dischargeDate: referral.discharge_date } : {}) };
      const problem = contactEntryProblems({ date: input.date, time: input.startTime, type: 'treatment', attendance: a.attendance }, window)[0];
      if (problem) throw refuse(`attendance.${i}.${problem.path}`, `(${byReferral.get(a.referralId)!.name}) ${problem.message}`);
      referrals.set(a.referralId, referral);
    }
    // The facilitator runs the room: the session takes their time like any appointment.
    await assertClinicianFree(trx, group.facilitator_id, input, null);

    const session: GroupSessionsTable = {
      ...newColumns(ctx),
      group_id: group.id,
      date: input.date,
      start_time: input.startTime,
      duration_minutes: input.durationMinutes,
    };
    await trx.insertInto('group_sessions').values(session).execute();
    const written: string[] = [session.id];
    for (const a of input.attendance) {
      const contact = await insertContact(trx, ctx, a.referralId, {
        date: input.date,
        start_time: input.startTime,
        duration_minutes: input.durationMinutes,
        type: 'treatment',
        mechanism: input.mechanism,
        location: group.location,
        attendance: a.attendance,
        clinician_id: group.facilitator_id,
        group_session_id: session.id,
      });
      written.push(contact.id, ...(await followUpIfMissed(ctx, trx, contact)));
    }
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'group-session', entityIds: written }, ctx.now());
    return viewOf(trx, ctx, group);
  });
}

export function groupHandlers(context: ContextSource): HandlerMap<typeof groupMethods> {
  return {
    'groups.list': async () => ({ groups: await listGroups(context()) }),
    'groups.create': (i) => createGroup(context(), i),
    'groups.get': (i) => getGroup(context(), i.id),
    'groups.addMember': (i) => addGroupMember(context(), i),
    'groups.recordSession': (i) => recordGroupSession(context(), i),
  };
}
