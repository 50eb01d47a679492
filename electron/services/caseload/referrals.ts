import type { z } from 'zod';
import { formatUkDate } from '../../../shared/domain/dates';
import type { Classification, Referral, ReferralChanges, ReferralDetail, ReferralInput, referralMethods } from '../../../shared/contract/referrals';
import type { EndCode, ReferrerRole } from '../../../shared/domain/episodeCodes';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { ReferralsTable } from '../store/schema';
import { toContact } from './contacts';
import type { CaseloadContext } from './context';
import { toEpisode } from './episodeAdapter';
import { toAction, toContactAttempt } from './followUp';
import { openRiskAlerts, toMeasure } from './measures';
import { notesOf } from './notes';
import { assertUser, meta, newColumns, nextColumns, refuse, stale, type Trx } from './records';
import { toRiskAssessment } from './risk';
import { assertStepFitsPlan } from './carePlan';
import { caseholderScope, patientInScope, patientInScopeById, referralInScope } from './scope';
import { loadSettings, serviceOutcomes } from './serviceSettings';

type ParsedReferralInput = z.output<typeof ReferralInput>;
type Changes = Partial<z.output<typeof ReferralChanges>>;

export function toReferral(row: ReferralsTable): Referral {
  return {
    id: row.id,
    patientId: row.patient_id,
    receivedDate: row.received_date,
    referrerRole: row.referrer_role as ReferrerRole,
    referrerName: row.referrer_name,
    sourceCode: row.source_code,
    ltcCodes: JSON.parse(row.ltc_codes) as string[],
    reason: row.reason,
    riskKnown: row.risk_known === 1,
    riskDetails: row.risk_details,
    consent: row.consent === 1,
    urgency: row.urgency as Referral['urgency'],
    pathway: row.pathway as Referral['pathway'],
    caseholderId: row.caseholder_id,
    team: row.team,
    status: row.status as Referral['status'],
    problemDescriptor: row.problem_descriptor,
    step: row.step,
    endCode: row.end_code,
    dischargeDate: row.discharge_date,
    discussInSupervision: row.discuss_in_supervision === 1,
    optedIn: row.opted_in === null ? null : row.opted_in === 1,
    ltcImpact: row.ltc_impact,
    signposting: row.signposting,
    previousReferralId: row.previous_referral_id,
    ...meta(row),
  };
}

export async function createReferral(ctx: CaseloadContext, input: ParsedReferralInput): Promise<Referral> {
  return ctx.db.transaction().execute(async (trx) => {
    const patient = await trx.selectFrom('patients').select(['id', 'date_of_birth']).where('id', '=', input.patientId).where('deleted_at', 'is', null).where(patientInScope(await caseholderScope(trx, ctx))).executeTakeFirst();
    if (!patient) throw refuse('patientId', 'is not a patient on this caseload');
    if (input.receivedDate < patient.date_of_birth) throw refuse('receivedDate', 'is before the patient was born');
    const caseholder = input.caseholderId ?? ctx.actorId;
    await assertUser(trx, caseholder, 'caseholderId');
    await assertLtcCodes(trx, input.ltcCodes, 'ltcCodes');
    const { sourceCodes } = await loadSettings(trx);
    const row: ReferralsTable = {
      ...newColumns(ctx),
      patient_id: input.patientId,
      received_date: input.receivedDate,
      referrer_role: input.referrerRole,
      referrer_name: input.referrerName || null,
      source_code: sourceCodes[input.referrerRole],
      ltc_codes: JSON.stringify([...new Set(input.ltcCodes)]),
      reason: input.reason,
      risk_known: input.riskKnown ? 1 : 0,
      risk_details: input.riskDetails || null,
      consent: input.consent ? 1 : 0,
      urgency: input.urgency,
      pathway: input.pathway,
      caseholder_id: caseholder,
      team: input.team,
      status: input.status,
      problem_descriptor: null,
      step: null,
      end_code: null,
      discharge_date: null,
      discuss_in_supervision: 0,
      opted_in: null,
      ltc_impact: null,
      signposting: null,
      previous_referral_id: null,
    };
    await trx.insertInto('referrals').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'referral', entityIds: [row.id] }, ctx.now());
    return toReferral(row);
  });
}

/**
 * Refuses a condition code that is not on the service's list, naming the entry (`ltcCodes.N`). Codes already
 * stored on the referral may stay: a service that corrects a code later must not make old referrals unsaveable.
 */
async function assertLtcCodes(trx: Trx, codes: readonly string[], field: string, stored: readonly string[] = []): Promise<void> {
  const { ltcOptions } = await loadSettings(trx);
  const allowed = new Set([...ltcOptions.map((o) => o.code), ...stored]);
  const at = codes.findIndex((code) => !allowed.has(code));
  if (at >= 0) throw refuse(`${field}.${at}`, `is not a long-term condition on this service's list (code ${codes[at]})`);
}

/** Reads one episode with everything recorded in it, and classifies it from the stored rows. */
export async function episodeDetail(trx: Trx, referral: ReferralsTable): Promise<Omit<ReferralDetail, 'patient'>> {
  const [contacts, measures, risks, actions, attempts] = await Promise.all([
    trx.selectFrom('contacts').selectAll().where('referral_id', '=', referral.id).where('deleted_at', 'is', null).orderBy('date').orderBy('start_time').execute(),
    trx.selectFrom('measures').selectAll().where('referral_id', '=', referral.id).where('deleted_at', 'is', null).orderBy('date').orderBy('created_at').execute(),
    trx.selectFrom('risk_assessments').selectAll().where('referral_id', '=', referral.id).where('deleted_at', 'is', null).orderBy('date').orderBy('created_at').execute(),
    trx.selectFrom('actions').selectAll().where('referral_id', '=', referral.id).where('deleted_at', 'is', null).orderBy('due_date').execute(),
    trx.selectFrom('contact_attempts').selectAll().where('referral_id', '=', referral.id).where('deleted_at', 'is', null).orderBy('date').orderBy('created_at').execute(),
  ]);
  const outcomes = await serviceOutcomes(trx);
  const classified = outcomes.classifyEpisode(toEpisode(referral, contacts, measures));
  const classification: Classification = { ...classified, reasons: { ...classified.reasons } };
  return {
    referral: toReferral(referral),
    contacts: contacts.map(toContact),
    measures: measures.map(toMeasure),
    riskAssessments: risks.map(toRiskAssessment),
    notes: await notesOf(trx, referral.id),
    actions: actions.map(toAction),
    contactAttempts: attempts.map(toContactAttempt),
    classification,
    openRiskAlerts: openRiskAlerts(measures),
  };
}

export async function getReferral(ctx: CaseloadContext, id: string): Promise<ReferralDetail> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, id);
    const p = await trx.selectFrom('patients').selectAll().where('id', '=', referral.patient_id).executeTakeFirstOrThrow();
    const detail = await episodeDetail(trx, referral);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'referral', entityIds: [referral.id, referral.patient_id] }, ctx.now());
    return {
      ...detail,
      patient: { id: p.id, nhsNumber: p.nhs_number, givenName: p.given_name, familyName: p.family_name, dateOfBirth: p.date_of_birth, gpPractice: p.gp_practice, updatedAt: p.updated_at },
    };
  });
}

export async function listReferralsForPatient(ctx: CaseloadContext, patientId: string): Promise<Referral[]> {
  return ctx.db.transaction().execute(async (trx) => {
    await patientInScopeById(trx, ctx, patientId);
    const rows = await trx.selectFrom('referrals').selectAll().where('patient_id', '=', patientId).where('deleted_at', 'is', null).orderBy('received_date', 'desc').execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'list', entity: 'referral', entityIds: rows.map((r) => r.id) }, ctx.now());
    return rows.map(toReferral);
  });
}

async function lockedForUpdate(trx: Trx, ctx: CaseloadContext, id: string, version: number): Promise<ReferralsTable> {
  const row = await referralInScope(trx, ctx, id);
  if (row.version !== version) throw stale();
  return row;
}

export async function updateReferral(ctx: CaseloadContext, id: string, version: number, changes: Changes): Promise<Referral> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await lockedForUpdate(trx, ctx, id, version);
    if (row.status === 'discharged') throw refuse('id', `names a referral discharged on ${formatUkDate(row.discharge_date!)}; it can no longer be changed`);
    if (changes.caseholderId !== undefined) await assertUser(trx, changes.caseholderId, 'changes.caseholderId');
    if (changes.step !== undefined && changes.step !== row.step) await assertStepFitsPlan(trx, row.id, changes.step, 'changes.step');
    if (changes.ltcCodes !== undefined) await assertLtcCodes(trx, changes.ltcCodes, 'changes.ltcCodes', JSON.parse(row.ltc_codes) as string[]);
    const set: Partial<ReferralsTable> = {
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.pathway !== undefined ? { pathway: changes.pathway } : {}),
      ...(changes.caseholderId !== undefined ? { caseholder_id: changes.caseholderId } : {}),
      ...(changes.team !== undefined ? { team: changes.team } : {}),
      ...(changes.ltcCodes !== undefined ? { ltc_codes: JSON.stringify([...new Set(changes.ltcCodes)]) } : {}),
      ...(changes.reason !== undefined ? { reason: changes.reason } : {}),
      ...(changes.urgency !== undefined ? { urgency: changes.urgency } : {}),
      ...(changes.problemDescriptor !== undefined ? { problem_descriptor: changes.problemDescriptor } : {}),
      ...(changes.step !== undefined ? { step: changes.step } : {}),
      ...(changes.discussInSupervision !== undefined ? { discuss_in_supervision: changes.discussInSupervision ? 1 : 0 } : {}),
      ...(changes.optedIn !== undefined ? { opted_in: changes.optedIn === null ? null : changes.optedIn ? 1 : 0 } : {}),
      ...(changes.ltcImpact !== undefined ? { ltc_impact: changes.ltcImpact || null } : {}),
      ...nextColumns(row, ctx),
    };
    await trx.updateTable('referrals').set(set).where('id', '=', id).where('version', '=', version).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'update', entity: 'referral', entityIds: [id] }, ctx.now());
    return toReferral({ ...row, ...set });
  });
}

/** The checks a discharge must pass: end code and date together (ref §4), never before a contact of the course. */
export async function checkDischarge(trx: Trx, row: ReferralsTable, dischargeDate: string): Promise<void> {
  if (row.status === 'discharged') throw refuse('id', `names a referral already discharged on ${formatUkDate(row.discharge_date!)}`);
  if (dischargeDate < row.received_date) throw refuse('dischargeDate', `is before the referral was received (${formatUkDate(row.received_date)})`);
  const last = await trx
    .selectFrom('contacts')
    .select(['date'])
    .where('referral_id', '=', row.id)
    .where('deleted_at', 'is', null)
    .where('type', '!=', 'follow-up')
    .orderBy('date', 'desc')
    .executeTakeFirst();
  if (last && dischargeDate < last.date) throw refuse('dischargeDate', `is before the last contact (${formatUkDate(last.date)})`);
}

export async function dischargeReferral(ctx: CaseloadContext, input: { id: string; version: number; endCode: EndCode; dischargeDate: string; signposting?: string | undefined }): Promise<Referral> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await lockedForUpdate(trx, ctx, input.id, input.version);
    await checkDischarge(trx, row, input.dischargeDate);
    const set = { status: 'discharged', end_code: input.endCode, discharge_date: input.dischargeDate, signposting: input.signposting || null, ...nextColumns(row, ctx) };
    await trx.updateTable('referrals').set(set).where('id', '=', row.id).where('version', '=', input.version).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'discharge', entity: 'referral', entityIds: [row.id] }, ctx.now());
    return toReferral({ ...row, ...set });
  });
}

/** What `classifyEpisode` would say were the episode discharged so: shown before the clinician confirms. Writes nothing but its audit event. */
export async function previewDischarge(ctx: CaseloadContext, input: { id: string; endCode: EndCode; dischargeDate: string }): Promise<Classification> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await referralInScope(trx, ctx, input.id);
    await checkDischarge(trx, row, input.dischargeDate);
    const detail = await episodeDetail(trx, { ...row, discharge_date: input.dischargeDate, end_code: input.endCode });
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'referral', entityIds: [row.id] }, ctx.now());
    return detail.classification;
  });
}

export function referralHandlers(context: ContextSource): HandlerMap<typeof referralMethods> {
  return {
    'referrals.create': (i) => createReferral(context(), i),
    'referrals.get': (i) => getReferral(context(), i.id),
    'referrals.listForPatient': async (i) => ({ referrals: await listReferralsForPatient(context(), i.patientId) }),
    'referrals.update': (i) => updateReferral(context(), i.id, i.version, i.changes),
    'referrals.discharge': (i) => dischargeReferral(context(), i),
    'referrals.previewDischarge': (i) => previewDischarge(context(), i),
  };
}
