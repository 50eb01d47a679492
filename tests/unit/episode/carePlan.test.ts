import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../../shared/contract/contract';
import { removeDir } from '../../helpers/tempStore';
import { contactInput, harness, patientInput, referralInput, type Harness } from './episodeHarness';

/**
 * Issue #10 item 2 on the real dispatcher and encrypted store: the care plan's step and intervention (ref §5.5,
 * §5.7), goals rated 0–10, and the step change that ends one referral and opens the next with source N1 or N2
 * (ref §5.2), linked, in one audited transaction. Every refusal names its field and changes nothing.
 */
let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.engine.close();
  removeDir(h.dir);
});

const GUIDED_SELF_HELP = '748051000000105';
const CBT = '304891004';
const EMPLOYMENT_SUPPORT = '1098051000000103';

async function openReferral() {
  const p = await h.call('patients.create', patientInput());
  const r = await h.call('referrals.create', referralInput(p.id, { status: 'in-treatment' }));
  return { patient: p, referral: r };
}

/** A refusal that must leave the store byte-for-byte as it was: no row written, no audit event. */
async function refusedUnchanged<M extends Parameters<Harness['refusal']>[0]>(method: M, input: MethodInput<M>) {
  const changes = await h.changes();
  const audit = await h.auditCount();
  const error = await h.refusal(method, input);
  expect(await h.changes(), `${method} wrote nothing`).toBe(changes);
  expect(await h.auditCount()).toBe(audit);
  return error;
}

describe('care plan', () => {
  it('saves the step on the referral and a therapy type of that step’s intensity; refuses a mismatch naming the field', async () => {
    const { referral } = await openReferral();
    const mismatch = await refusedUnchanged('carePlan.save', { referralId: referral.id, version: null, step: 2, therapyType: CBT });
    expect(mismatch).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'therapyType' }] });
    expect(mismatch.message).toContain('low-intensity therapy type for step 2');
    const employment = await refusedUnchanged('carePlan.save', { referralId: referral.id, version: null, step: 3, therapyType: EMPLOYMENT_SUPPORT });
    expect(employment.fields?.[0]?.message).toContain('employment support');
    expect(await refusedUnchanged('carePlan.save', { referralId: referral.id, version: null, step: 5 as 2, therapyType: CBT })).toMatchObject({ fields: [{ path: 'step' }] });
    expect(await refusedUnchanged('carePlan.save', { referralId: referral.id, version: null, step: 3, therapyType: '123456789' as typeof CBT })).toMatchObject({ fields: [{ path: 'therapyType' }] });

    const saved = await h.call('carePlan.save', { referralId: referral.id, version: null, step: 2, therapyType: GUIDED_SELF_HELP });
    expect(saved.plan).toMatchObject({ therapyType: GUIDED_SELF_HELP, version: 1 });
    expect(saved.referral).toMatchObject({ step: 2, version: referral.version + 1 });
    // A second "new" plan, or an edit from a stale version, is refused as stale.
    expect(await refusedUnchanged('carePlan.save', { referralId: referral.id, version: null, step: 2, therapyType: GUIDED_SELF_HELP })).toMatchObject({ code: 'STALE_VERSION' });
    const edited = await h.call('carePlan.save', { referralId: referral.id, version: 1, step: 2, therapyType: '748061000000108' });
    expect(edited.plan).toMatchObject({ therapyType: '748061000000108', version: 2 });
    expect(edited.referral.version).toBe(saved.referral.version); // the step did not change, so the referral is untouched
    expect(await refusedUnchanged('carePlan.save', { referralId: referral.id, version: 1, step: 2, therapyType: GUIDED_SELF_HELP })).toMatchObject({ code: 'STALE_VERSION' });
  });

  it('stamps the plan’s therapy type on treatment contacts made after it (ref §5.5), not on assessments', async () => {
    const { referral } = await openReferral();
    const before = await h.call('contacts.create', contactInput(referral.id, '2026-02-02'));
    expect(before.therapyType).toBeNull();
    await h.call('carePlan.save', { referralId: referral.id, version: null, step: 3, therapyType: CBT });
    const treatment = await h.call('contacts.create', contactInput(referral.id, '2026-02-09'));
    const assessment = await h.call('contacts.create', contactInput(referral.id, '2026-02-10', { type: 'assessment' }));
    expect(treatment.therapyType).toBe(CBT);
    expect(assessment.therapyType).toBeNull();
    const detail = await h.call('referrals.get', { id: referral.id });
    expect(detail.contacts.map((c) => c.therapyType)).toEqual([null, CBT, null]);
  });

  it('keeps goals in the patient’s words and their 0–10 ratings by session; bad ratings are refused whole', async () => {
    const { referral } = await openReferral();
    const session = await h.call('contacts.create', contactInput(referral.id, '2026-02-09'));
    let view = await h.call('carePlan.addGoal', { referralId: referral.id, description: '  Walk to the post office without stopping  ' });
    view = await h.call('carePlan.addGoal', { referralId: referral.id, description: 'Check my sugars every morning' });
    const [walk, sugars] = view.goals;
    expect(walk!.description).toBe('Walk to the post office without stopping');
    expect(await refusedUnchanged('carePlan.addGoal', { referralId: referral.id, description: '   ' })).toMatchObject({ fields: [{ path: 'description' }] });

    const other = await openReferral();
    const foreign = (await h.call('carePlan.addGoal', { referralId: other.referral.id, description: 'Someone else’s goal' })).goals[0]!;
    const rate = (overrides: Partial<MethodInput<'carePlan.rateGoals'>>): MethodInput<'carePlan.rateGoals'> => ({
      referralId: referral.id,
      date: '2026-02-09',
      contactId: session.id,
      ratings: [
        { goalId: walk!.id, rating: 2 },
        { goalId: sugars!.id, rating: 5 },
      ],
      ...overrides,
    });
    expect(await refusedUnchanged('carePlan.rateGoals', rate({ ratings: [{ goalId: walk!.id, rating: 2 }, { goalId: sugars!.id, rating: 11 }] }))).toMatchObject({ fields: [{ path: 'ratings.1.rating' }] });
    expect(await refusedUnchanged('carePlan.rateGoals', rate({ ratings: [{ goalId: walk!.id, rating: 2.5 }] }))).toMatchObject({ fields: [{ path: 'ratings.0.rating' }] });
    expect(await refusedUnchanged('carePlan.rateGoals', rate({ ratings: [{ goalId: walk!.id, rating: 2 }, { goalId: foreign.id, rating: 3 }] }))).toMatchObject({ fields: [{ path: 'ratings.1.goalId' }] });
    expect(await refusedUnchanged('carePlan.rateGoals', rate({ ratings: [{ goalId: walk!.id, rating: 2 }, { goalId: walk!.id, rating: 3 }] }))).toMatchObject({ fields: [{ path: 'ratings' }] });
    expect(await refusedUnchanged('carePlan.rateGoals', rate({ date: '2026-02-10' }))).toMatchObject({ fields: [{ path: 'date' }] });
    expect(await refusedUnchanged('carePlan.rateGoals', rate({ date: '2025-12-01', contactId: undefined }))).toMatchObject({ fields: [{ path: 'date' }] });
    expect(await refusedUnchanged('carePlan.rateGoals', rate({ date: '2026-07-01', contactId: undefined }))).toMatchObject({ fields: [{ path: 'date' }] });

    await h.call('carePlan.rateGoals', rate({}));
    view = await h.call('carePlan.rateGoals', rate({ date: '2026-03-02', contactId: undefined, ratings: [{ goalId: walk!.id, rating: 6 }] }));
    expect(view.goals.map((g) => g.ratings.map((r) => [r.date, r.rating]))).toEqual([
      [
        ['2026-02-09', 2],
        ['2026-03-02', 6],
      ],
      [['2026-02-09', 5]],
    ]);
    expect(view.goals[0]!.ratings[0]!.contactId).toBe(session.id);
  });
});

describe('step change (ref §5.7)', () => {
  it('a step up ends the referral at 46 after treatment and opens one with source N1 at step 3, linked, in one audited transaction', async () => {
    const { patient, referral } = await openReferral();
    await h.call('carePlan.save', { referralId: referral.id, version: null, step: 2, therapyType: GUIDED_SELF_HELP });
    await h.call('contacts.create', contactInput(referral.id, '2026-02-02'));
    // The team directory is the admin's (a synced store receives it); the engine's own handler stands in for that here.
    const hi = await h.engine.handlers()['users.create']({ displayName: 'Hana High-Intensity', role: 'hit' });
    const current = (await h.call('referrals.get', { id: referral.id })).referral;
    const audit = await h.auditCount();
    const { ended, opened } = await h.call('carePlan.stepChange', { referralId: referral.id, version: current.version, toStep: 3, reason: 'No change after six sessions of guided self-help; needs CBT', date: '2026-03-02', caseholderId: hi.id });
    expect(await h.auditCount()).toBe(audit + 1);
    const event = await sql<{ action: string; entity_ids: string }>`select action, entity_ids from audit_event order by seq desc limit 1`.execute(h.engine.context().db);
    expect(event.rows[0]).toEqual({ action: 'step-change', entity_ids: JSON.stringify([referral.id, opened.id]) });

    expect(ended).toMatchObject({ id: referral.id, status: 'discharged', endCode: '46', dischargeDate: '2026-03-02', version: current.version + 1 });
    expect(opened).toMatchObject({
      patientId: patient.id,
      sourceCode: 'N1',
      step: 3,
      previousReferralId: referral.id,
      receivedDate: '2026-03-02',
      status: 'waiting-treatment',
      caseholderId: hi.id,
      reason: 'No change after six sessions of guided self-help; needs CBT',
      ltcCodes: referral.ltcCodes,
      pathway: referral.pathway,
      referrerRole: referral.referrerRole,
      referrerName: referral.referrerName,
      createdBy: h.engine.status().owner!.id,
    });
    const newView = await h.call('carePlan.get', { referralId: opened.id });
    expect(newView.previous).toMatchObject({ id: referral.id, endCode: '46', step: 2 });
    expect(newView.plan).toBeNull();
    const oldView = await h.call('carePlan.get', { referralId: referral.id });
    expect(oldView.next).toMatchObject({ id: opened.id, sourceCode: 'N1', step: 3 });
    // The ended referral's plan is history now.
    expect(await refusedUnchanged('carePlan.addGoal', { referralId: referral.id, description: 'Too late' })).toMatchObject({ fields: [{ path: 'referralId' }] });
    const list = await h.call('referrals.listForPatient', { patientId: patient.id });
    expect(list.referrals.map((r) => [r.sourceCode, r.status])).toEqual([
      ['N1', 'waiting-treatment'],
      ['H2', 'discharged'],
    ]);
  });

  it('a step down with no treatment yet ends at 13 and opens source N2', async () => {
    const { referral } = await openReferral();
    const planned = await h.call('carePlan.save', { referralId: referral.id, version: null, step: 3, therapyType: CBT });
    const { ended, opened } = await h.call('carePlan.stepChange', { referralId: referral.id, version: planned.referral.version, toStep: 2, reason: 'Prefers guided self-help', date: '2026-02-01' });
    expect(ended.endCode).toBe('13');
    expect(opened).toMatchObject({ sourceCode: 'N2', step: 2, previousReferralId: referral.id, caseholderId: h.engine.status().owner!.id });
  });

  it('refuses a bad step change naming the field, and changes nothing', async () => {
    const { referral } = await openReferral();
    const noStep = await refusedUnchanged('carePlan.stepChange', { referralId: referral.id, version: referral.version, toStep: 3, reason: 'Needs CBT', date: '2026-03-02' });
    expect(noStep).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'toStep' }] });
    const planned = await h.call('carePlan.save', { referralId: referral.id, version: null, step: 2, therapyType: GUIDED_SELF_HELP });
    await h.call('contacts.create', contactInput(referral.id, '2026-02-16'));
    const v = planned.referral.version;
    const base = { referralId: referral.id, version: v, toStep: 3 as const, reason: 'Needs CBT', date: '2026-03-02' };
    expect(await refusedUnchanged('carePlan.stepChange', { ...base, toStep: 2 })).toMatchObject({ fields: [{ path: 'toStep' }] });
    expect(await refusedUnchanged('carePlan.stepChange', { ...base, date: '2026-02-10' })).toMatchObject({ fields: [{ path: 'dischargeDate' }] });
    expect(await refusedUnchanged('carePlan.stepChange', { ...base, reason: '' })).toMatchObject({ fields: [{ path: 'reason' }] });
    expect(await refusedUnchanged('carePlan.stepChange', { ...base, caseholderId: '01900000-0000-7000-8000-000000000000' })).toMatchObject({ fields: [{ path: 'caseholderId' }] });
    expect(await refusedUnchanged('carePlan.stepChange', { ...base, version: v - 1 })).toMatchObject({ code: 'STALE_VERSION' });
    expect(await refusedUnchanged('carePlan.stepChange', { ...base, referralId: '01900000-0000-7000-8000-000000000000' })).toMatchObject({ code: 'NOT_FOUND' });
    const stillOpen = (await h.call('referrals.get', { id: referral.id })).referral;
    expect(stillOpen).toMatchObject({ status: 'in-treatment', endCode: null, version: v });
    await h.call('carePlan.stepChange', base);
    expect(await refusedUnchanged('carePlan.stepChange', { ...base, version: v + 1 })).toMatchObject({ fields: [{ path: 'referralId' }] });
  });
});

describe('one step for the referral and its plan', () => {
  it('refuses a step set on the triage panel that no longer fits the plan’s intervention, and takes one that does', async () => {
    const { referral } = await openReferral();
    const planned = await h.call('carePlan.save', { referralId: referral.id, version: null, step: 3, therapyType: CBT });
    const v = planned.referral.version;
    const misfit = await refusedUnchanged('referrals.update', { id: referral.id, version: v, changes: { step: 2 } });
    expect(misfit).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'changes.step' }] });
    expect(misfit.message).toContain('Cognitive behavioural therapy (CBT), high intensity');
    expect(await refusedUnchanged('referrals.update', { id: referral.id, version: v, changes: { step: null } })).toMatchObject({ fields: [{ path: 'changes.step' }] });
    expect(await h.call('referrals.update', { id: referral.id, version: v, changes: { step: 4 } })).toMatchObject({ step: 4 });
  });
});
