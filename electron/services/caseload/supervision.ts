import type { z } from 'zod';
import type { RecordSupervisionInput, ReferralSupervision, ReviewCase, SuperviseeReview, SupervisionRecord, supervisionMethods, WeeklyLists } from '../../../shared/contract/supervision';
import { addDays, daysBetween, todayIso } from '../../../shared/domain/dates';
import { casePriority, supervisionFlags, type SupervisionFlag } from '../../../shared/domain/supervisionFlags';
import { ATTENDED_CODES, CONTACT_TYPES, type ContactType, type EpisodeInput, type Outcomes } from '../../../shared/outcomes';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import { statementsFor, type Statements } from '../store/database';
import type { ActionsTable, ContactsTable, MeasuresTable, ReferralsTable, RiskAssessmentsTable, SupervisionCasesTable, SupervisionSessionsTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { toEpisode } from './episodeAdapter';
import { meta, newColumns, refuse, type Trx } from './records';
import { referralInScope } from './scope';
import { serviceOutcomes } from './serviceSettings';

/** SQLite's bound-parameter limit is far above this; chunks keep each IN list small. */
const CHUNK = 500;
const PHQ9_ITEM9 = 8; // zero-based index of item 9 in the stored answers

interface Supervisee {
  id: string;
  name: string;
}

/** The supervisor's own supervisees, or those named (each must be one of them: a refusal names the entry). */
async function supervisees(trx: Trx, ctx: CaseloadContext, ids: readonly string[] | undefined): Promise<Supervisee[]> {
  const mine = await trx.selectFrom('users').select(['id', 'display_name']).where('supervisor_id', '=', ctx.actorId).where('id', '!=', ctx.actorId).orderBy('display_name').execute();
  const byId = new Map(mine.map((u) => [u.id, { id: u.id, name: u.display_name }]));
  if (!ids || ids.length === 0) return [...byId.values()];
  return ids.map((id, i) => {
    const s = byId.get(id);
    if (!s) throw refuse(`superviseeIds.${i}`, 'is not one of your supervisees');
    return s;
  });
}

async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await load(ids.slice(i, i + CHUNK))));
  return out;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return map;
}

/** The columns of a referral's contacts, scores and risk reviews the review reads (from migration 0013's covering indexes). */
type ContactRow = Pick<ContactsTable, 'id' | 'date' | 'start_time' | 'type' | 'attendance' | 'deleted_at'>;
/** `answers` is read for the latest PHQ-9 only (its item 9); null on every other score. */
type MeasureRow = Pick<MeasuresTable, 'date' | 'instrument_id' | 'total' | 'contact_id' | 'deleted_at' | 'created_at'> & { answers: string | null };
type RiskRow = Pick<RiskAssessmentsTable, 'date' | 'created_at' | 'level'>;

const REVIEW_REFERRAL_COLUMNS = ['id', 'patient_id', 'caseholder_id', 'source_code', 'step', 'received_date', 'problem_descriptor', 'pathway', 'ltc_codes', 'discharge_date', 'end_code', 'discuss_in_supervision'] as const;
/** What the review reads of a referral: the adapter's columns and the clinician's "discuss in supervision". */
type ReviewReferral = Pick<ReferralsTable, (typeof REVIEW_REFERRAL_COLUMNS)[number]>;

interface EpisodeRows<R extends ReviewReferral = ReviewReferral> {
  referral: R;
  contacts: ContactRow[];
  measures: MeasureRow[];
  risks: RiskRow[];
}

function grouped<T>(rows: readonly [string, number, T][]): Map<string, T[]> {
  const byReferral = new Map<string, [number, T][]>();
  for (const [referralId, rowid, row] of rows) {
    const list = byReferral.get(referralId);
    if (list) list.push([rowid, row]);
    else byReferral.set(referralId, [[rowid, row]]);
  }
  // Each list by date, then as stored: the order the per-referral (referral, date) indexes gave these rows before,
  // which the "latest" rules below break their ties by.
  const out = new Map<string, T[]>();
  for (const [referralId, list] of byReferral) out.set(referralId, list.sort((a, b) => (a[1] as { date: string }).date.localeCompare((b[1] as { date: string }).date) || a[0] - b[0]).map(([, row]) => row));
  return out;
}

/**
 * The referrals' contacts, scores and risk reviews, each table in one plain statement over the covering indexes
 * (a supervisor reviews hundreds of referrals; their whole rows, notes-sized columns and all, cost most of the
 * review). Runs on the same connection as the caller's transaction (database.ts statementsFor).
 */
function episodeRows<R extends ReviewReferral>(statements: Statements, referrals: R[]): EpisodeRows<R>[] {
  const ids = JSON.stringify(referrals.map((r) => r.id));
  const contacts = grouped(
    (
      statements
        .prepare(
          `select referral_id, rowid, id, date, start_time, type, attendance from contacts indexed by contacts_episode
           where referral_id in (select value from json_each(:ids)) and deleted_at is null`,
        )
        .raw()
        .all({ ids }) as [string, number, string, string, string, string, number | null][]
    ).map(([referralId, rowid, id, date, startTime, type, attendance]): [string, number, ContactRow] => [referralId, rowid, { id, date, start_time: startTime, type, attendance, deleted_at: null }]),
  );
  const measures = grouped(
    (
      statements
        .prepare(
          `select referral_id, rowid, date, instrument_id, total, contact_id, created_at from measures indexed by measures_episode
           where referral_id in (select value from json_each(:ids)) and deleted_at is null`,
        )
        .raw()
        .all({ ids }) as [string, number, string, string, number | null, string | null, string][]
    ).map(([referralId, rowid, date, instrumentId, total, contactId, createdAt]): [string, number, MeasureRow & { rowid: number }] => [
      referralId,
      rowid,
      { date, instrument_id: instrumentId, total, contact_id: contactId, deleted_at: null, created_at: createdAt, answers: null, rowid },
    ]),
  );
  const risks = grouped(
    (
      statements
        .prepare(`select referral_id, rowid, date, created_at, level from risk_assessments where referral_id in (select value from json_each(:ids)) and deleted_at is null`)
        .raw()
        .all({ ids }) as [string, number, string, string, string][]
    ).map(([referralId, rowid, date, createdAt, level]): [string, number, RiskRow] => [referralId, rowid, { date, created_at: createdAt, level }]),
  );
  // The latest PHQ-9's answers (item 9), chosen by the same rule reviewCase applies.
  const latestPhq9 = new Map<number, MeasureRow>();
  for (const list of measures.values()) {
    const phq9 = latest(list.filter((m) => m.instrument_id === 'phq9'));
    if (phq9) latestPhq9.set(phq9.rowid, phq9);
  }
  if (latestPhq9.size > 0) {
    const answers = statements.prepare(`select rowid, answers from measures where rowid in (select value from json_each(:rowids))`).raw().all({ rowids: JSON.stringify([...latestPhq9.keys()]) }) as [number, string][];
    for (const [rowid, text] of answers) latestPhq9.get(rowid)!.answers = text;
  }
  return referrals.map((referral) => ({ referral, contacts: contacts.get(referral.id) ?? [], measures: measures.get(referral.id) ?? [], risks: risks.get(referral.id) ?? [] }));
}

const latest = <T extends { date: string; created_at: string }>(rows: readonly T[]): T | undefined =>
  rows.reduce<T | undefined>((best, r) => (!best || r.date > best.date || (r.date === best.date && r.created_at > best.created_at) ? r : best), undefined);

const isContactType = (t: string): t is ContactType => (CONTACT_TYPES as readonly string[]).includes(t);

/** The last attended contact and the measures `measuresDue` proposed for it that were not recorded with it. */
function missingAtLastContact(outcomes: Outcomes, rows: EpisodeRows, episode: EpisodeInput): { last: ContactRow | null; missing: string[] } {
  const attended = rows.contacts.filter((c) => c.attendance !== null && ATTENDED_CODES.has(c.attendance));
  const last = attended.reduce<ContactRow | null>((b, c) => (!b || c.date > b.date || (c.date === b.date && (c.start_time ?? '') > (b.start_time ?? '')) ? c : b), null);
  if (!last || !isContactType(last.type)) return { last, missing: [] };
  const recorded = new Set(rows.measures.filter((m) => m.contact_id === last.id || m.date === last.date).map((m) => m.instrument_id));
  const due = outcomes.measuresDue(episode, { date: last.date, type: last.type, final: false });
  return { last, missing: due.map((d) => d.instrumentId).filter((id) => !recorded.has(id)) };
}

function trajectory(measures: readonly MeasureRow[], instrumentId: string) {
  const points = measures
    .filter((m) => m.instrument_id === instrumentId && m.total !== null)
    .sort((a, b) => a.date.localeCompare(b.date) || a.created_at.localeCompare(b.created_at))
    .map((m) => ({ date: m.date, total: m.total! }));
  return { instrumentId, points };
}

export function reviewCase(outcomes: Outcomes, rows: EpisodeRows, today: string, patientName: string): ReviewCase {
  const episode = toEpisode(rows.referral, rows.contacts, rows.measures);
  const c = outcomes.classifyEpisode(episode);
  const phq9 = latest(rows.measures.filter((m) => m.instrument_id === 'phq9'));
  const item9 = phq9?.answers ? (JSON.parse(phq9.answers) as unknown[])[PHQ9_ITEM9] : undefined;
  const risk = latest(rows.risks);
  const { last, missing } = missingAtLastContact(outcomes, rows, episode);
  const flags = supervisionFlags({
    today,
    receivedDate: rows.referral.received_date,
    lastAttendedContactDate: last?.date ?? null,
    attendanceCodes: rows.contacts.map((x) => x.attendance).filter((a): a is number => a !== null),
    firstTreatmentDate: c.firstTreatmentDate,
    treatmentContacts: c.treatmentContacts,
    reliablyImproved: c.reliablyImproved,
    reliablyDeteriorated: c.reliablyDeteriorated,
    changeReason: c.reliablyDeteriorated ? c.reasons.reliablyDeteriorated : c.reasons.reliablyImproved,
    latestPhq9Item9: typeof item9 === 'number' ? item9 : null,
    latestPhq9Date: phq9?.date ?? null,
    latestRiskLevel: risk ? (risk.level as 'low' | 'moderate' | 'high') : null,
    latestRiskDate: risk?.date ?? null,
    discussInSupervision: rows.referral.discuss_in_supervision === 1,
    missingAtLastContact: missing.map((id) => outcomes.instrument(id).title.split(' (')[0]!),
  });
  return {
    referralId: rows.referral.id,
    patientId: rows.referral.patient_id,
    patientName,
    caseholderId: rows.referral.caseholder_id,
    receivedDate: rows.referral.received_date,
    treatmentContacts: c.treatmentContacts,
    priority: casePriority(flags),
    flags,
    phq9: trajectory(rows.measures, 'phq9'),
    anxiety: trajectory(rows.measures, c.anxietyMeasure),
  };
}

async function patientNames(trx: Trx, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await inChunks([...new Set(ids)], (c) => trx.selectFrom('patients').select(['id', 'given_name', 'family_name']).where('id', 'in', c).execute());
  return new Map(rows.map((p) => [p.id, `${p.given_name} ${p.family_name}`]));
}

/**
 * The flagged review (issue #11 §1): each supervisee's open referrals that raise a flag, highest priority first.
 * Runs on the store alone: the supervisees' cases are already on this device through sync. One audited view.
 */
export async function supervisionReview(ctx: CaseloadContext, superviseeIds: readonly string[] | undefined): Promise<{ asOf: string; supervisees: SuperviseeReview[] }> {
  return ctx.db.transaction().execute(async (trx) => {
    const people = await supervisees(trx, ctx, superviseeIds);
    const today = todayIso(ctx.now());
    const statements = statementsFor(ctx.db);
    // Only the columns the review reads.
    const referrals = (
      statements
        .prepare(
          `select ${REVIEW_REFERRAL_COLUMNS.join(', ')} from referrals indexed by referrals_open_caseholder
           where caseholder_id in (select value from json_each(:ids)) and discharge_date is null and deleted_at is null
           order by caseholder_id, rowid`,
        )
        .all({ ids: JSON.stringify(people.map((p) => p.id)) }) as ReviewReferral[]
    );
    const outcomes = await serviceOutcomes(trx);
    const names = new Map(
      (statements.prepare(`select id, given_name, family_name from patients where id in (select value from json_each(:ids))`).raw().all({ ids: JSON.stringify([...new Set(referrals.map((r) => r.patient_id))]) }) as [string, string, string][]).map(
        ([id, given, family]) => [id, `${given} ${family}`],
      ),
    );
    const cases = episodeRows(statements, referrals).map((rows) => reviewCase(outcomes, rows, today, names.get(rows.referral.patient_id) ?? ''));
    const byHolder = groupBy(cases, (x) => x.caseholderId);
    const result = people.map((p) => {
      const own = byHolder.get(p.id) ?? [];
      // Ties by referral id: the order no longer follows whichever index the query happened to read.
      const flagged = own.filter((x) => x.flags.length > 0).sort((a, b) => b.priority - a.priority || a.receivedDate.localeCompare(b.receivedDate) || a.referralId.localeCompare(b.referralId));
      return { id: p.id, name: p.name, openCases: own.length, cases: flagged };
    });
    const shown = result.flatMap((s) => s.cases.map((x) => x.referralId));
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'supervision-review', entityIds: shown }, ctx.now());
    return { asOf: today, supervisees: result };
  });
}

/**
 * Seed 000 (weekly reports used in supervision): referrals discharged in the week at caseness that did not
 * recover, and attended contacts in the week whose due measures were not recorded.
 */
export async function weeklyLists(ctx: CaseloadContext, weekEnding: string, superviseeIds: readonly string[] | undefined): Promise<WeeklyLists> {
  return ctx.db.transaction().execute(async (trx) => {
    const people = await supervisees(trx, ctx, superviseeIds);
    const weekStart = addDays(weekEnding, -6);
    const ids = people.map((p) => p.id);
    const discharged = await inChunks(ids, (c) =>
      trx.selectFrom('referrals').selectAll().where('caseholder_id', 'in', c).where('discharge_date', '>=', weekStart).where('discharge_date', '<=', weekEnding).where('deleted_at', 'is', null).execute(),
    );
    const seen = await inChunks(ids, (c) =>
      trx.selectFrom('referrals').selectAll().where('caseholder_id', 'in', c).where('deleted_at', 'is', null)
        .where('id', 'in', (eb) => eb.selectFrom('contacts').select('referral_id').where('date', '>=', weekStart).where('date', '<=', weekEnding).where('deleted_at', 'is', null))
        .execute(),
    );
    const outcomes = await serviceOutcomes(trx);
    const names = await patientNames(trx, [...discharged, ...seen].map((r) => r.patient_id));
    const name = (r: ReferralsTable) => names.get(r.patient_id) ?? '';
    const dischargedNotRecovered = episodeRows(statementsFor(ctx.db), discharged).flatMap(({ referral, contacts, measures }) => {
      const c = outcomes.classifyEpisode(toEpisode(referral, contacts, measures));
      // ref §4: recovery is counted for finished courses at caseness; these are the ones that did not recover.
      if (!c.finishedCourse || c.casenessAtStart !== true || c.recovered) return [];
      return [{ referralId: referral.id, patientName: name(referral), caseholderId: referral.caseholder_id, date: referral.discharge_date!, reason: c.reasons.recovered }];
    });
    const missingMeasures = episodeRows(statementsFor(ctx.db), seen).flatMap((rows) => {
      const episode = toEpisode(rows.referral, rows.contacts, rows.measures);
      return rows.contacts
        .filter((x) => x.date >= weekStart && x.date <= weekEnding && x.attendance !== null && ATTENDED_CODES.has(x.attendance) && isContactType(x.type))
        .flatMap((contact) => {
          const recorded = new Set(rows.measures.filter((m) => m.contact_id === contact.id || m.date === contact.date).map((m) => m.instrument_id));
          const missing = outcomes.measuresDue(episode, { date: contact.date, type: contact.type as ContactType, final: false }).filter((d) => !recorded.has(d.instrumentId));
          if (missing.length === 0) return [];
          const titles = missing.map((d) => outcomes.instrument(d.instrumentId).title.split(' (')[0]!);
          return [{ referralId: rows.referral.id, patientName: name(rows.referral), caseholderId: rows.referral.caseholder_id, date: contact.date, reason: `Not recorded: ${titles.join(', ')}` }];
        });
    });
    const shown = [...new Set([...dischargedNotRecovered, ...missingMeasures].map((r) => r.referralId))];
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'supervision-weekly', entityIds: shown }, ctx.now());
    return { weekStart, weekEnding, dischargedNotRecovered, missingMeasures };
  });
}

/**
 * The supervision record: the session, each case discussed with the flags as they stood and the decision, and
 * its actions as follow-up actions on the referral (owner and due date), all in one audited transaction.
 */
export async function recordSupervision(ctx: CaseloadContext, input: z.output<typeof RecordSupervisionInput>, synced: boolean): Promise<SupervisionRecord> {
  return ctx.db.transaction().execute(async (trx) => {
    const today = todayIso(ctx.now());
    if (daysBetween(today, input.heldOn) > 0) throw refuse('heldOn', 'cannot be in the future');
    const people = await supervisees(trx, ctx, input.superviseeIds);
    if (input.mode === 'individual' && people.length !== 1) throw refuse('superviseeIds', 'must name exactly one supervisee for individual supervision');
    const seen = new Set<string>();
    const holders = new Set(people.map((p) => p.id));
    const directory = new Set((await trx.selectFrom('users').select('id').execute()).map((u) => u.id));
    const outcomes = await serviceOutcomes(trx);
    // Every check first, then every write: a refused record changes nothing, not even rows later rolled back.
    const checked = [];
    for (const [i, item] of input.cases.entries()) {
      if (seen.has(item.referralId)) throw refuse(`cases.${i}.referralId`, 'names a case already in this record');
      seen.add(item.referralId);
      const referral = await referralInScope(trx, ctx, item.referralId, 'case');
      if (!holders.has(referral.caseholder_id)) throw refuse(`cases.${i}.referralId`, 'is not held by a supervisee in this session');
      for (const [j, a] of item.actions.entries()) {
        if (!directory.has(a.ownerId)) throw refuse(`cases.${i}.actions.${j}.ownerId`, 'is not in the team directory');
        if (a.dueDate < input.heldOn) throw refuse(`cases.${i}.actions.${j}.dueDate`, 'is before the supervision');
      }
      // The flags as they stood when discussed, so the record shows what the supervisor saw.
      const [rows] = episodeRows(statementsFor(ctx.db), [referral]);
      checked.push({ item, referral, flags: reviewCase(outcomes, rows!, today, '').flags });
    }
    const session: SupervisionSessionsTable = { ...newColumns(ctx), supervisor_id: ctx.actorId, held_on: input.heldOn, mode: input.mode, supervisee_ids: JSON.stringify(people.map((p) => p.id)) };
    await trx.insertInto('supervision_sessions').values(session).execute();
    const cases: SupervisionRecord['cases'] = [];
    const written: string[] = [session.id];
    for (const { item, referral, flags } of checked) {
      const row: SupervisionCasesTable = { ...newColumns(ctx), session_id: session.id, referral_id: referral.id, flags: JSON.stringify(flags), discussion: item.discussion, decision: item.decision };
      await trx.insertInto('supervision_cases').values(row).execute();
      const actions: ActionsTable[] = item.actions.map((a) => ({
        ...newColumns(ctx),
        referral_id: referral.id,
        contact_id: null,
        kind: 'supervision',
        description: a.description,
        due_date: a.dueDate,
        done_at: null,
        owner_id: a.ownerId,
        supervision_case_id: row.id,
      }));
      if (actions.length > 0) await trx.insertInto('actions').values(actions).execute();
      const actionIds = actions.map((a) => a.id);
      written.push(row.id, ...actionIds);
      cases.push({ id: row.id, referralId: referral.id, flags, discussion: row.discussion, decision: row.decision, actionIds });
    }
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'supervision', entityIds: written }, ctx.now());
    return { id: session.id, supervisorId: ctx.actorId, heldOn: session.held_on, mode: input.mode, superviseeIds: people.map((p) => p.id), cases, synced, ...meta(session) };
  });
}

/** Supervision's discussions and decisions about one referral, newest first, for its episode screen. */
export async function referralSupervision(ctx: CaseloadContext, referralId: string): Promise<z.output<typeof ReferralSupervision>> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, referralId);
    const rows = await trx
      .selectFrom('supervision_cases')
      .innerJoin('supervision_sessions', 'supervision_sessions.id', 'supervision_cases.session_id')
      .select(['supervision_cases.id', 'supervision_sessions.held_on', 'supervision_sessions.supervisor_id', 'supervision_cases.flags', 'supervision_cases.discussion', 'supervision_cases.decision'])
      .where('supervision_cases.referral_id', '=', referral.id)
      .where('supervision_cases.deleted_at', 'is', null)
      .orderBy('supervision_sessions.held_on', 'desc')
      .orderBy('supervision_cases.created_at', 'desc')
      .execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'supervision-case', entityIds: [referral.id, ...rows.map((r) => r.id)] }, ctx.now());
    return {
      referralId: referral.id,
      discussions: rows.map((r) => ({ id: r.id, heldOn: r.held_on, supervisorId: r.supervisor_id, flags: JSON.parse(r.flags) as SupervisionFlag[], discussion: r.discussion, decision: r.decision })),
    };
  });
}

/** Same barrier as signing a note (notes.ts SignBarrier): a round first when the server answers, then send at once. */
export interface RecordBarrier {
  before(): Promise<boolean>;
  after(): Promise<void>;
}

export function supervisionHandlers(context: ContextSource, barrier: RecordBarrier = { before: async () => false, after: async () => {} }): HandlerMap<typeof supervisionMethods> {
  return {
    'supervision.review': (i) => supervisionReview(context(), i.superviseeIds),
    'supervision.weeklyLists': (i) => weeklyLists(context(), i.weekEnding, i.superviseeIds),
    'supervision.forReferral': (i) => referralSupervision(context(), i.referralId),
    'supervision.record': async (i) => {
      context(); // locked: refused before any network
      const online = await barrier.before();
      const record = await recordSupervision(context(), i, online);
      if (online) await barrier.after();
      return record;
    },
  };
}
