import type { z } from 'zod';
import type { CarePlan, CarePlanInput, CarePlanView, carePlanMethods, Goal, GoalInput, GoalRatingsInput, LinkedReferral, StepChangeInput } from '../../../shared/contract/carePlan';
import type { Referral } from '../../../shared/contract/referrals';
import { daysBetween, formatUkDate, todayIso } from '../../../shared/domain/dates';
import { STEP_CHANGE_SOURCE, stepChangeEndCode, stepDirection } from '../../../shared/domain/stepChange';
import { ATTENDED_CODES, intensityOfStep, THERAPY_TYPES, TREATMENT_TYPES, type ContactType, type Step } from '../../../shared/outcomes';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { CarePlansTable, GoalRatingsTable, ReferralsTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { assertUser, meta, newColumns, nextColumns, refuse, stale, type Trx } from './records';
import { checkDischarge, toReferral } from './referrals';
import { referralInScope } from './scope';

/**
 * Care plan, goals and step changes (issue #10 item 2). The step is the referral's own column (one place for it:
 * the outcomes split by step reads it); the plan adds the intervention as a data-set therapy type (ref §5.5).
 */

function toPlan(row: CarePlansTable): CarePlan {
  return { id: row.id, referralId: row.referral_id, therapyType: row.therapy_type, ...meta(row) };
}

function toLinked(row: ReferralsTable): LinkedReferral {
  const r = toReferral(row);
  return { id: r.id, receivedDate: r.receivedDate, step: r.step, sourceCode: r.sourceCode, status: r.status, endCode: r.endCode, dischargeDate: r.dischargeDate, reason: r.reason, caseholderId: r.caseholderId };
}

async function livePlan(trx: Trx, referralId: string): Promise<CarePlansTable | undefined> {
  return trx.selectFrom('care_plans').selectAll().where('referral_id', '=', referralId).where('deleted_at', 'is', null).executeTakeFirst();
}

/** The therapy type a treatment contact records as its care activity (ref §5.5); null without a plan or for other contact types. */
export async function carePlanTherapyType(trx: Trx, referralId: string, type: ContactType): Promise<string | null> {
  if (!TREATMENT_TYPES.has(type)) return null;
  return (await livePlan(trx, referralId))?.therapy_type ?? null;
}

/**
 * The step and the plan's intervention change together (ref §5.5, §5.7): a step set elsewhere (the triage panel)
 * may not leave the plan with a therapy type of the other intensity, nor be cleared under a plan.
 */
export async function assertStepFitsPlan(trx: Trx, referralId: string, step: number | null, path: string): Promise<void> {
  const plan = await livePlan(trx, referralId);
  if (!plan) return;
  const therapy = THERAPY_TYPES.find((t) => t.code === plan.therapy_type);
  if (step === null) throw refuse(path, 'cannot be cleared while the referral has a care plan');
  if (therapy && therapy.intensity !== intensityOfStep(step as Step)) {
    throw refuse(path, `does not fit the care plan's intervention (${therapy.label}, ${therapy.intensity} intensity): change the step and the intervention together in the care plan`);
  }
}

async function viewOf(trx: Trx, referral: ReferralsTable): Promise<CarePlanView> {
  const [plan, goals, ratings, previous, next] = await Promise.all([
    livePlan(trx, referral.id),
    trx.selectFrom('care_plan_goals').selectAll().where('referral_id', '=', referral.id).where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').execute(),
    trx.selectFrom('goal_ratings').selectAll().where('referral_id', '=', referral.id).where('deleted_at', 'is', null).orderBy('date').orderBy('created_at').execute(),
    referral.previous_referral_id
      ? trx.selectFrom('referrals').selectAll().where('id', '=', referral.previous_referral_id).where('deleted_at', 'is', null).executeTakeFirst()
      : Promise.resolve(undefined),
    trx.selectFrom('referrals').selectAll().where('previous_referral_id', '=', referral.id).where('deleted_at', 'is', null).orderBy('created_at').executeTakeFirst(),
  ]);
  const byGoal = new Map<string, GoalRatingsTable[]>();
  for (const r of ratings) byGoal.set(r.goal_id, [...(byGoal.get(r.goal_id) ?? []), r]);
  const toGoal = (g: (typeof goals)[number]): Goal => ({
    id: g.id,
    description: g.description,
    ratings: (byGoal.get(g.id) ?? []).map((r) => ({ id: r.id, date: r.date, rating: r.rating, contactId: r.contact_id })),
    ...meta(g),
  });
  return {
    referral: toReferral(referral),
    plan: plan ? toPlan(plan) : null,
    goals: goals.map(toGoal),
    previous: previous ? toLinked(previous) : null,
    next: next ? toLinked(next) : null,
  };
}

function assertOpen(referral: ReferralsTable): void {
  if (referral.status === 'discharged') throw refuse('referralId', `names a referral ended on ${formatUkDate(referral.discharge_date!)}; its care plan can no longer be changed`);
}

export async function getCarePlan(ctx: CaseloadContext, referralId: string): Promise<CarePlanView> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, referralId);
    const view = await viewOf(trx, referral);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'care-plan', entityIds: [referral.id, ...(view.plan ? [view.plan.id] : [])] }, ctx.now());
    return view;
  });
}

/** Saves the step (on the referral) and the intervention, whose therapy type must be of the step's intensity (ref §5.5, §5.7). */
export async function saveCarePlan(ctx: CaseloadContext, input: z.output<typeof CarePlanInput>): Promise<CarePlanView> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, input.referralId);
    assertOpen(referral);
    const intensity = intensityOfStep(input.step as Step);
    const therapy = THERAPY_TYPES.find((t) => t.code === input.therapyType)!;
    if (therapy.intensity !== intensity) throw refuse('therapyType', `must be a ${intensity}-intensity therapy type for step ${input.step} (${therapy.label} is ${therapy.intensity === 'employment' ? 'employment support' : `${therapy.intensity} intensity`})`);
    const existing = await livePlan(trx, referral.id);
    if (existing === undefined && input.version !== null) throw stale();
    if (existing !== undefined && input.version !== existing.version) throw stale();
    let planId: string;
    if (existing) {
      planId = existing.id;
      await trx.updateTable('care_plans').set({ therapy_type: input.therapyType, ...nextColumns(existing, ctx) }).where('id', '=', existing.id).where('version', '=', existing.version).execute();
    } else {
      const row: CarePlansTable = { ...newColumns(ctx), referral_id: referral.id, therapy_type: input.therapyType };
      planId = row.id;
      await trx.insertInto('care_plans').values(row).execute();
    }
    let saved = referral;
    if (referral.step !== input.step) {
      saved = { ...referral, step: input.step, ...nextColumns(referral, ctx) };
      await trx.updateTable('referrals').set({ step: saved.step, version: saved.version, updated_by: saved.updated_by, updated_at: saved.updated_at }).where('id', '=', referral.id).where('version', '=', referral.version).execute();
    }
    await appendAudit(trx, { actorId: ctx.actorId, action: existing ? 'update' : 'create', entity: 'care-plan', entityIds: [planId, ...(saved !== referral ? [referral.id] : [])] }, ctx.now());
    return viewOf(trx, saved);
  });
}

export async function addGoal(ctx: CaseloadContext, input: z.output<typeof GoalInput>): Promise<CarePlanView> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, input.referralId);
    assertOpen(referral);
    const row = { ...newColumns(ctx), referral_id: referral.id, description: input.description };
    await trx.insertInto('care_plan_goals').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'goal', entityIds: [row.id] }, ctx.now());
    return viewOf(trx, referral);
  });
}

/** Ratings taken at one session: every goal named must be this referral's, the date within the referral (ref §4 window). */
export async function rateGoals(ctx: CaseloadContext, input: z.output<typeof GoalRatingsInput>): Promise<CarePlanView> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, input.referralId);
    assertOpen(referral);
    if (input.date < referral.received_date) throw refuse('date', `is before the referral was received (${formatUkDate(referral.received_date)})`);
    if (daysBetween(todayIso(ctx.now()), input.date) > 0) throw refuse('date', 'cannot be in the future: a rating is what the patient said');
    if (input.contactId !== undefined) {
      const contact = await trx.selectFrom('contacts').select(['id', 'date']).where('id', '=', input.contactId).where('referral_id', '=', referral.id).where('deleted_at', 'is', null).executeTakeFirst();
      if (!contact) throw refuse('contactId', 'is not a contact of this referral');
      if (contact.date !== input.date) throw refuse('date', `must be the session's date (${formatUkDate(contact.date)})`);
    }
    const goals = await trx.selectFrom('care_plan_goals').select('id').where('referral_id', '=', referral.id).where('deleted_at', 'is', null).execute();
    const known = new Set(goals.map((g) => g.id));
    const at = input.ratings.findIndex((r) => !known.has(r.goalId));
    if (at >= 0) throw refuse(`ratings.${at}.goalId`, 'is not a goal of this care plan');
    const rows: GoalRatingsTable[] = input.ratings.map((r) => ({ ...newColumns(ctx), goal_id: r.goalId, referral_id: referral.id, contact_id: input.contactId ?? null, date: input.date, rating: r.rating }));
    await trx.insertInto('goal_ratings').values(rows).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'goal-rating', entityIds: rows.map((r) => r.id) }, ctx.now());
    return viewOf(trx, referral);
  });
}

/**
 * Steps the patient up or down (ref §5.7), in one transaction: this referral ends on the date with the step
 * change's end code (shared/domain/stepChange.ts), and a new referral for the same patient opens that day with
 * source N1 or N2 (ref §5.2), at the new step, naming this one as its previous referral. The referrer, conditions,
 * pathway, consent, risk and problem descriptor carry over (the N1/N2 source, not the referrer, says it was
 * stepped; who stepped it is the row's creator and the audit's actor); the reason is the clinician's, and the
 * caseholder theirs or the one they name.
 */
export async function changeStep(ctx: CaseloadContext, input: z.output<typeof StepChangeInput>): Promise<{ ended: Referral; opened: Referral }> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, input.referralId);
    if (referral.version !== input.version) throw stale();
    if (referral.status === 'discharged') throw refuse('referralId', `names a referral already ended on ${formatUkDate(referral.discharge_date!)}`);
    if (referral.step === null) throw refuse('toStep', 'cannot be set before the referral has a step: save the care plan first');
    const direction = stepDirection(referral.step as Step, input.toStep as Step);
    if (direction === null) throw refuse('toStep', `must differ from the current step (${referral.step})`);
    await checkDischarge(trx, referral, input.date);
    const caseholder = input.caseholderId ?? ctx.actorId;
    await assertUser(trx, caseholder, 'caseholderId');
    const treated = await trx
      .selectFrom('contacts')
      .select(['type', 'attendance', 'date'])
      .where('referral_id', '=', referral.id)
      .where('deleted_at', 'is', null)
      .execute();
    const attendedTreatment = treated.filter((c) => TREATMENT_TYPES.has(c.type as ContactType) && c.attendance !== null && ATTENDED_CODES.has(c.attendance) && c.date <= input.date).length;
    const ended: ReferralsTable = { ...referral, status: 'discharged', end_code: stepChangeEndCode(attendedTreatment), discharge_date: input.date, ...nextColumns(referral, ctx) };
    await trx
      .updateTable('referrals')
      .set({ status: ended.status, end_code: ended.end_code, discharge_date: ended.discharge_date, version: ended.version, updated_by: ended.updated_by, updated_at: ended.updated_at })
      .where('id', '=', referral.id)
      .where('version', '=', referral.version)
      .execute();
    const opened: ReferralsTable = {
      ...newColumns(ctx),
      patient_id: referral.patient_id,
      received_date: input.date,
      referrer_role: referral.referrer_role,
      referrer_name: referral.referrer_name,
      source_code: STEP_CHANGE_SOURCE[direction],
      ltc_codes: referral.ltc_codes,
      reason: input.reason,
      risk_known: referral.risk_known,
      risk_details: referral.risk_details,
      consent: referral.consent,
      urgency: referral.urgency,
      pathway: referral.pathway,
      caseholder_id: caseholder,
      team: referral.team,
      status: 'waiting-treatment',
      problem_descriptor: referral.problem_descriptor,
      step: input.toStep,
      end_code: null,
      discharge_date: null,
      discuss_in_supervision: 0,
      opted_in: referral.opted_in,
      ltc_impact: referral.ltc_impact,
      signposting: null,
      previous_referral_id: referral.id,
    };
    await trx.insertInto('referrals').values(opened).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'step-change', entity: 'referral', entityIds: [referral.id, opened.id] }, ctx.now());
    return { ended: toReferral(ended), opened: toReferral(opened) };
  });
}

export function carePlanHandlers(context: ContextSource): HandlerMap<typeof carePlanMethods> {
  return {
    'carePlan.get': (i) => getCarePlan(context(), i.referralId),
    'carePlan.save': (i) => saveCarePlan(context(), i),
    'carePlan.addGoal': (i) => addGoal(context(), i),
    'carePlan.rateGoals': (i) => rateGoals(context(), i),
    'carePlan.stepChange': (i) => changeStep(context(), i),
  };
}
