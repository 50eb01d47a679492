import type { z } from 'zod';
import { formatUkDate } from '../../../shared/domain/dates';
import type { RiskAssessment, RiskAssessmentInput, riskMethods } from '../../../shared/contract/risk';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { RiskAssessmentsTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { meta, newColumns, refuse } from './records';
import { referralInScope } from './scope';

type ParsedRisk = z.output<typeof RiskAssessmentInput>;

export function toRiskAssessment(row: RiskAssessmentsTable): RiskAssessment {
  return {
    id: row.id,
    referralId: row.referral_id,
    contactId: row.contact_id,
    date: row.date,
    thoughts: row.thoughts === 1,
    plans: row.plans === 1,
    intent: row.intent === 1,
    protectiveFactors: row.protective_factors,
    level: row.level as RiskAssessment['level'],
    plan: row.plan,
    nextReviewDate: row.next_review_date,
    ...meta(row),
  };
}

/**
 * Saves a risk review. It answers every open risk alert of the referral (PHQ-9 item 9 > 0): those measures are
 * linked to this review in the same transaction, which is what lets the session note be signed.
 */
export async function recordRisk(ctx: CaseloadContext, input: ParsedRisk): Promise<{ assessment: RiskAssessment; alertsAnswered: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, input.referralId);
    if (input.date < referral.received_date) throw refuse('date', `is before the referral was received (${formatUkDate(referral.received_date)})`);
    if (input.contactId) {
      const contact = await trx.selectFrom('contacts').select(['referral_id', 'date']).where('id', '=', input.contactId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!contact || contact.referral_id !== referral.id) throw refuse('contactId', 'is not a contact of this referral');
    }
    const row: RiskAssessmentsTable = {
      ...newColumns(ctx),
      referral_id: referral.id,
      contact_id: input.contactId ?? null,
      date: input.date,
      thoughts: input.thoughts ? 1 : 0,
      plans: input.plans ? 1 : 0,
      intent: input.intent ? 1 : 0,
      protective_factors: input.protectiveFactors,
      level: input.level,
      plan: input.plan,
      next_review_date: input.nextReviewDate,
    };
    await trx.insertInto('risk_assessments').values(row).execute();
    const open = await trx
      .selectFrom('measures')
      .select(['id', 'version'])
      .where('referral_id', '=', referral.id)
      .where('deleted_at', 'is', null)
      .where('risk_review_id', 'is', null)
      .where('risk_flags', '!=', '[]')
      .execute();
    const at = ctx.now().toISOString();
    for (const m of open) {
      await trx.updateTable('measures').set({ risk_review_id: row.id, version: m.version + 1, updated_by: ctx.actorId, updated_at: at }).where('id', '=', m.id).execute();
    }
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'risk-assessment', entityIds: [row.id, ...open.map((m) => m.id)] }, ctx.now());
    return { assessment: toRiskAssessment(row), alertsAnswered: open.length };
  });
}

export function riskHandlers(context: ContextSource): HandlerMap<typeof riskMethods> {
  return { 'risk.record': (i) => recordRisk(context(), i) };
}
