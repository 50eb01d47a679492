import type { z } from 'zod';
import type { CaseloadQuery, CaseloadRow, caseloadMethods } from '../../../shared/contract/caseload';
import { daysBetween, todayIso } from '../../../shared/domain/dates';
import { matchesPatient } from '../../../shared/domain/patientSearch';
import { ATTENDED_CODES, TREATMENT_TYPES, type ContactType, type Outcomes } from '../../../shared/outcomes';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import { statementsFor, type Statements } from '../store/database';
import type { CaseloadContext } from './context';
import { serviceOutcomes } from './serviceSettings';
import { caseholderScope } from './scope';

const LIMIT = 5000;

type PatientRow = [id: string, nhsNumber: string, givenName: string, familyName: string, dateOfBirth: string, gpPractice: string, rowid: number];
type ReferralRow = [patientId: string, id: string, status: string, pathway: string, receivedDate: string, problemDescriptor: string | null];
type Score = { total: number; date: string; createdAt: string; rowid: number };
type Episode = NonNullable<CaseloadRow['episode']>;

const PATIENT_COLUMNS = 'id, nhs_number, given_name, family_name, date_of_birth, gp_practice, rowid';
// Those in scope (scope.ts patientInScope) are those with a live referral held by someone in scope, and those
// registered by someone in scope and not yet referred to anyone: two index lookups, each sorted by name, rather
// than one pass over every patient of the service (together in one statement, SQLite sorts them far slower).
const PATIENTS_HELD = `
  select ${PATIENT_COLUMNS} from patients
  where deleted_at is null and id in (
    select patient_id from referrals indexed by referrals_caseholder_patient
      where caseholder_id in (select value from json_each(:scope)) and deleted_at is null)
  order by family_name, given_name, rowid`;
// The open caseload: a clinician's open referrals are a few dozen beside years of discharged ones, and have their
// own partial index (open = no discharge date, as in the supervision review).
const PATIENTS_HELD_OPEN = `
  select ${PATIENT_COLUMNS} from patients
  where deleted_at is null and id in (
    select patient_id from referrals indexed by referrals_open_caseholder
      where caseholder_id in (select value from json_each(:scope)) and discharge_date is null and deleted_at is null)
  order by family_name, given_name, rowid`;
const PATIENTS_UNREFERRED = `
  select ${PATIENT_COLUMNS} from patients
  where id in (
    select p.id from patients p indexed by patients_created_by
    where p.created_by in (select value from json_each(:scope)) and p.deleted_at is null
      and not exists (select 1 from referrals r indexed by referrals_patient_live where r.patient_id = p.id and r.deleted_at is null))
  order by family_name, given_name, rowid`;
const ALL_PATIENTS = `select ${PATIENT_COLUMNS} from patients where deleted_at is null order by family_name, given_name, rowid`;
const ALL_PATIENTS_OPEN = `
  select ${PATIENT_COLUMNS} from patients
  where deleted_at is null and (
    exists (select 1 from referrals r where r.patient_id = patients.id and r.deleted_at is null and r.discharge_date is null)
    or not exists (select 1 from referrals r where r.patient_id = patients.id and r.deleted_at is null))
  order by family_name, given_name, rowid`;

/** The patients listed, by name: in scope, and with an open referral or none unless discharged ones are asked for. */
function patientsListed(statements: Statements, scope: string[] | null, withDischarged: boolean): PatientRow[] {
  if (scope === null) return statements.prepare(withDischarged ? ALL_PATIENTS : ALL_PATIENTS_OPEN).raw().all() as PatientRow[];
  const params = { scope: JSON.stringify(scope) };
  const held = statements.prepare(withDischarged ? PATIENTS_HELD : PATIENTS_HELD_OPEN).raw().all(params) as PatientRow[];
  return byName(held, statements.prepare(PATIENTS_UNREFERRED).raw().all(params) as PatientRow[]);
}

/** SQLite's own order for text (BINARY: UTF-8 bytes), which JavaScript's differs from beyond the BMP. */
const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const nameOrder = (a: PatientRow, b: PatientRow) => utf8Order(a[3], b[3]) || utf8Order(a[2], b[2]) || a[6] - b[6];

/** Two lists each sorted by name (family, given, then as stored), merged in that order. */
function byName(a: PatientRow[], b: PatientRow[]): PatientRow[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: PatientRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(nameOrder(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!);
  return out.concat(a.slice(i), b.slice(j));
}

/** Last score of an instrument (by date, then when recorded, then as stored), with the one before it for the trend. */
function lastScore(scores: Map<string, Score[]> | undefined, instrumentId: string): Episode['lastPhq9'] {
  const scored = scores?.get(instrumentId);
  if (!scored || scored.length === 0) return null;
  const sorted = [...scored].sort((a, b) => a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt) || a.rowid - b.rowid);
  const last = sorted[sorted.length - 1]!;
  return { instrumentId, total: last.total, date: last.date, previous: sorted[sorted.length - 2]?.total ?? null };
}

/** The current episode of each patient: the latest open referral, else the latest of any (received, then made). */
function currentReferrals(statements: Statements, patientIds: readonly string[]): Map<string, ReferralRow> {
  const rows = statements
    .prepare(
      `select patient_id, id, status, pathway, received_date, problem_descriptor from referrals
       where patient_id in (select value from json_each(:ids)) and deleted_at is null
       order by patient_id, received_date, created_at, rowid`,
    )
    .raw()
    .all({ ids: JSON.stringify(patientIds) }) as ReferralRow[];
  const current = new Map<string, ReferralRow>();
  for (const r of rows) {
    const held = current.get(r[0]);
    if (!held || r[2] !== 'discharged' || held[2] === 'discharged') current.set(r[0], r);
  }
  return current;
}

/** The episode summaries of these referrals, from the covering indexes of migration 0013 (a few reads per batch). */
function episodes(statements: Statements, outcomes: Outcomes, referrals: readonly ReferralRow[], today: string): Map<string, Episode> {
  const ids = JSON.stringify(referrals.map((r) => r[1]));
  const sessions = new Map<string, number>();
  const next = new Map<string, string>();
  const contacts = statements
    .prepare(
      `select referral_id, date, type, attendance from contacts indexed by contacts_episode
       where referral_id in (select value from json_each(:ids)) and deleted_at is null`,
    )
    .raw()
    .all({ ids }) as [string, string, string, number | null][];
  for (const [referralId, date, type, attendance] of contacts) {
    if (attendance !== null && ATTENDED_CODES.has(attendance) && TREATMENT_TYPES.has(type as ContactType)) sessions.set(referralId, (sessions.get(referralId) ?? 0) + 1);
    if (attendance === null && date >= today) {
      const held = next.get(referralId);
      if (held === undefined || date < held) next.set(referralId, date);
    }
  }
  const scores = new Map<string, Map<string, Score[]>>();
  const measures = statements
    .prepare(
      `select referral_id, instrument_id, total, date, created_at, rowid from measures indexed by measures_episode
       where referral_id in (select value from json_each(:ids)) and deleted_at is null and total is not null`,
    )
    .raw()
    .all({ ids }) as [string, string, number, string, string, number][];
  for (const [referralId, instrumentId, total, date, createdAt, rowid] of measures) {
    let byInstrument = scores.get(referralId);
    if (!byInstrument) scores.set(referralId, (byInstrument = new Map()));
    const list = byInstrument.get(instrumentId);
    if (list) list.push({ total, date, createdAt, rowid });
    else byInstrument.set(instrumentId, [{ total, date, createdAt, rowid }]);
  }
  // An item-9 alert without a risk review (measures.ts openRiskAlerts), read from its own small index.
  const alerts = new Set(
    (
      statements
        .prepare(
          `select distinct referral_id from measures indexed by measures_open_risk
           where referral_id in (select value from json_each(:ids)) and deleted_at is null and risk_review_id is null and risk_flags <> '[]'`,
        )
        .raw()
        .all({ ids }) as [string][]
    ).map((r) => r[0]),
  );
  const latestRisk = new Map<string, { date: string; createdAt: string; level: string }>();
  const risks = statements
    .prepare(`select referral_id, date, created_at, level from risk_assessments where referral_id in (select value from json_each(:ids)) and deleted_at is null`)
    .raw()
    .all({ ids }) as [string, string, string, string][];
  for (const [referralId, date, createdAt, level] of risks) {
    const held = latestRisk.get(referralId);
    if (!held || date > held.date || (date === held.date && createdAt >= held.createdAt)) latestRisk.set(referralId, { date, createdAt, level });
  }

  const out = new Map<string, Episode>();
  for (const [, id, status, pathway, receivedDate, descriptor] of referrals) {
    let anxiety = 'gad7';
    try {
      anxiety = outcomes.adsmFor(descriptor) ?? 'gad7';
    } catch {
      // an unreadable descriptor leaves GAD-7, as the engine's fallback does
    }
    const own = scores.get(id);
    const treated = sessions.get(id) ?? 0;
    out.set(id, {
      referralId: id,
      status: status as Episode['status'],
      pathway: pathway as Episode['pathway'],
      receivedDate,
      daysWaiting: status !== 'discharged' && treated === 0 ? Math.max(0, daysBetween(receivedDate, today)) : null,
      sessions: treated,
      nextAppointment: next.get(id) ?? null,
      lastPhq9: lastScore(own, 'phq9'),
      lastAnxiety: lastScore(own, anxiety) ?? lastScore(own, 'gad7'),
      riskFlag: alerts.has(id) || latestRisk.get(id)?.level === 'high',
    });
  }
  return out;
}

/**
 * One row per patient, by name; a list view is one audit event naming every patient and referral shown. Patients
 * are summarised in batches, in name order, until the page is full: a clinician's years of patients are listed,
 * but only those shown (or filtered out on the way) are read further.
 */
export async function listCaseload(ctx: CaseloadContext, input: z.output<typeof CaseloadQuery>): Promise<CaseloadRow[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const today = todayIso(ctx.now());
    const scope = await caseholderScope(trx, ctx);
    // Plain statements on the same connection, inside this transaction (database.ts statementsFor).
    const statements = statementsFor(ctx.db);
    const patients = patientsListed(statements, scope, input.discharged === true || input.status === 'discharged');
    const found = input.query ? patients.filter((p) => matchesPatient(input.query!, { nhsNumber: p[1], givenName: p[2], familyName: p[3], dateOfBirth: p[4] })) : patients;
    const outcomes = await serviceOutcomes(trx);

    const shown: CaseloadRow[] = [];
    for (let from = 0; from < found.length && shown.length < LIMIT; from += LIMIT) {
      const batch = found.slice(from, from + LIMIT);
      const current = currentReferrals(statements, batch.map((p) => p[0]));
      const summaries = episodes(statements, outcomes, [...current.values()], today);
      for (const [patientId, nhsNumber, givenName, familyName, dateOfBirth, gpPractice] of batch) {
        const referral = current.get(patientId);
        const episode = referral ? summaries.get(referral[1])! : null;
        if (input.status && episode?.status !== input.status) continue;
        if (input.pathway && episode?.pathway !== input.pathway) continue;
        if (input.riskOnly && episode?.riskFlag !== true) continue;
        shown.push({ patientId, nhsNumber, givenName, familyName, dateOfBirth, gpPractice, episode });
        if (shown.length === LIMIT) break;
      }
    }
    await appendAudit(
      trx,
      { actorId: ctx.actorId, action: 'list', entity: 'caseload', entityIds: shown.flatMap((row) => [row.patientId, ...(row.episode ? [row.episode.referralId] : [])]) },
      ctx.now(),
    );
    return shown;
  });
}

export function caseloadHandlers(context: ContextSource): HandlerMap<typeof caseloadMethods> {
  return { 'caseload.list': async (i) => ({ rows: await listCaseload(context(), i) }) };
}
