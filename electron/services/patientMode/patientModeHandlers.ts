import type { z } from 'zod';
import { AppError } from '../../../shared/contract/errors';
import { isSelfReportable, type PatientAnswer, type PatientModeStartInput, type PatientModeView, type patientModeMethods } from '../../../shared/contract/patientMode';
import { formatUkDate } from '../../../shared/domain/dates';
import { appendAudit } from '../audit/auditChain';
import { recordMeasure } from '../caseload/measures';
import { fromOutcomeError, liveReferral, notFound, refuse } from '../caseload/records';
import { serviceOutcomes } from '../caseload/serviceSettings';
import type { CaseloadEngine } from '../engine';
import type { HandlerMap } from '../handlers';
import { activePatientMode, beginPatientMode, endPatientMode, PatientModeSession, type HeldQuestionnaire } from './patientModeSession';

function requireMode(engine: CaseloadEngine): PatientModeSession {
  engine.context(); // a locked store answers LOCKED, as every other method does
  const mode = activePatientMode(engine);
  if (!mode) throw new AppError('NOT_FOUND', 'Patient questionnaires are not open.');
  return mode;
}

/**
 * Checks the whole hand-over before the laptop leaves the clinician: the session is live and attended, within its
 * referral, and each questionnaire is one the catalogue allows a patient to complete and not yet recorded there.
 * Nothing is held or written unless all of it is right.
 */
async function startPatientMode(engine: CaseloadEngine, input: z.output<typeof PatientModeStartInput>): Promise<PatientModeView> {
  const ctx = engine.context();
  if (activePatientMode(engine)) throw new AppError('PATIENT_MODE', 'Patient questionnaires are already open.');
  const mode = await ctx.db.transaction().execute(async (trx) => {
    const contact = await trx.selectFrom('contacts').selectAll().where('id', '=', input.contactId).where('deleted_at', 'is', null).executeTakeFirst();
    if (!contact) throw notFound('session');
    // measures.ts takes measures only at attended contacts (attendance 5 or 6, ref §5.4).
    if (contact.attendance !== 5 && contact.attendance !== 6) throw refuse('contactId', 'names a session not recorded as attended');
    const referral = await liveReferral(trx, contact.referral_id);
    if (referral.discharge_date !== null && contact.date > referral.discharge_date && contact.type !== 'follow-up') {
      throw refuse('contactId', `is after discharge (${formatUkDate(referral.discharge_date)})`);
    }
    const outcomes = await serviceOutcomes(trx);
    const recorded = new Set(
      (await trx.selectFrom('measures').select('instrument_id').where('contact_id', '=', contact.id).where('deleted_at', 'is', null).execute()).map((m) => m.instrument_id),
    );
    const questionnaires: HeldQuestionnaire[] = input.instrumentIds.map((id, i) => {
      let def;
      try {
        def = outcomes.instrument(id);
      } catch (err) {
        throw fromOutcomeError(err, `instrumentIds.${i}.`);
      }
      if (!isSelfReportable(def)) throw refuse(`instrumentIds.${i}`, `${def.title} cannot be completed by the patient on screen`);
      if (recorded.has(id)) throw refuse(`instrumentIds.${i}`, `${def.title} is already recorded at this session`);
      return { def, answers: def.items.map(() => undefined) };
    });
    await appendAudit(trx, { actorId: ctx.actorId, action: 'patient-mode-start', entity: 'contact', entityIds: [contact.id] }, ctx.now());
    return new PatientModeSession(ctx.db, referral.id, contact.id, contact.date, questionnaires);
  });
  beginPatientMode(engine, mode);
  return mode.view();
}

/**
 * Answers the item on screen. The last item of a questionnaire saves it through the measures path as
 * patient-completed, in one audited transaction; if that save fails nothing moves on and the answer is not kept.
 */
async function answer(engine: CaseloadEngine, input: { questionnaireNumber: number; itemNumber: number; value: PatientAnswer }): Promise<PatientModeView> {
  const mode = requireMode(engine);
  if (mode.finished) throw refuse('itemNumber', 'is not on screen: every questionnaire is complete');
  if (input.questionnaireNumber !== mode.current + 1 || input.itemNumber !== mode.item + 1) {
    throw refuse('itemNumber', `is not the question on screen (questionnaire ${mode.current + 1}, question ${mode.item + 1})`);
  }
  const held = mode.questionnaires[mode.current]!;
  const item = held.def.items[mode.item]!;
  const allowed = (item.options ?? held.def.responseOptions).some((o) => o.value === input.value) || (input.value === 'na' && item.notApplicableAllowed);
  if (!allowed) throw refuse('value', 'is not one of this question’s answers');
  const answers = held.answers.with(mode.item, input.value);
  if (mode.item + 1 < held.def.items.length) {
    held.answers = answers;
    mode.item += 1;
    return mode.view();
  }
  const measure = await recordMeasure(engine.context(), {
    referralId: mode.referralId,
    contactId: mode.contactId,
    date: mode.date,
    instrumentId: held.def.id,
    answers: answers.map((a) => a ?? null),
    completedBy: 'patient',
  });
  held.answers = answers;
  mode.saved.push({ measureId: measure.id, instrumentId: measure.instrumentId, riskFlags: measure.riskFlags });
  mode.current += 1;
  mode.item = 0;
  return mode.view();
}

function back(engine: CaseloadEngine): PatientModeView {
  const mode = requireMode(engine);
  if (!mode.finished && mode.item > 0) mode.item -= 1;
  return mode.view();
}

/** The clinician's passphrase, verified and throttled by the engine exactly as unlock does, ends the mode. */
async function exit(engine: CaseloadEngine, passphrase: string): Promise<z.output<(typeof patientModeMethods)['patientMode.exit']['output']>> {
  const mode = requireMode(engine);
  const notices = await engine.verifyOwnerPassphrase(passphrase);
  const ctx = engine.context();
  await appendAudit(ctx.db, { actorId: ctx.actorId, action: 'patient-mode-exit', entity: 'contact', entityIds: [mode.contactId] }, ctx.now());
  endPatientMode(engine);
  return { saved: [...mode.saved], unfinished: mode.unfinishedTitles(), notices };
}

export function patientModeHandlers(engine: CaseloadEngine): HandlerMap<typeof patientModeMethods> {
  return {
    'patientMode.start': (i) => startPatientMode(engine, i),
    'patientMode.current': async () => requireMode(engine).view(),
    'patientMode.answer': (i) => answer(engine, i),
    'patientMode.back': async () => back(engine),
    'patientMode.exit': (i) => exit(engine, i.passphrase),
  };
}
