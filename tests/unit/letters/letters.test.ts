import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../../helpers/tempStore';
import { contactInput, gad7Answers, harness, patientInput, phq9Answers, referralInput, TODAY, type Harness } from '../episode/episodeHarness';

let h: Harness;
let exportDir: string;
beforeAll(async () => {
  h = await harness();
  exportDir = tempDir('caseload-letters-');
});
afterAll(async () => {
  await h.engine.close();
  removeDir(h.dir);
  removeDir(exportDir);
});

async function pdfText(path: string): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(readFileSync(path)));
  // Lines wrap where the page is full: compare the words, not the line breaks.
  return (await extractText(pdf, { mergePages: true })).text.replace(/\s+/g, ' ');
}

/** Assessment, six sessions PHQ-9 18 → 6 and GAD-7 15 → 5, discharged "completed" (46): recovered and reliably improved. */
async function dischargedEpisode(names = { givenName: 'Zoë', familyName: 'Ní Bhriain' }) {
  const p = await h.call('patients.create', patientInput(names));
  let r = await h.call('referrals.create', referralInput(p.id, { referrerName: 'Sr Łucja Kowalska' }));
  r = await h.call('referrals.update', { id: r.id, version: r.version, changes: { status: 'in-treatment', problemDescriptor: 'F41.1', step: 3, optedIn: true } });
  await h.call('contacts.create', contactInput(r.id, '2026-01-20', { type: 'assessment' }));
  const course = [
    ['2026-02-02', 18, 15],
    ['2026-02-09', 14, 12],
    ['2026-02-16', 6, 5],
  ] as const;
  for (const [date, phq, gad] of course) {
    const c = await h.call('contacts.create', contactInput(r.id, date));
    await h.call('measures.record', { referralId: r.id, contactId: c.id, date, instrumentId: 'phq9', answers: phq9Answers(phq), completedBy: 'patient' });
    await h.call('measures.record', { referralId: r.id, contactId: c.id, date, instrumentId: 'gad7', answers: gad7Answers(gad), completedBy: 'patient' });
  }
  r = await h.call('referrals.discharge', { id: r.id, version: r.version, endCode: '46', dischargeDate: '2026-02-16' });
  return { patient: p, referral: r };
}

describe('a discharge letter to the GP, from the record to a PDF', () => {
  it('is filled from the record: condition, presenting problem, first and last scores with their meaning, step', async () => {
    const { referral } = await dischargedEpisode();
    const letter = await h.call('letters.draft', { referralId: referral.id, kind: 'discharge', recipient: 'gp' });
    expect(letter).toMatchObject({ status: 'draft', letterVersion: 1, recipientName: 'The GP, Riverside Medical Centre', supersedesId: null, version: 1 });
    expect(letter.body).toContain('Dear Doctor,');
    expect(letter.body).toContain('Zoë Ní Bhriain was discharged from Diabetes clinic, West Herts on 16/02/2026');
    expect(letter.body).toContain('after 3 attended treatment sessions at step 3 (high-intensity psychological therapy)');
    expect(letter.body).toContain('Long-term condition: Diabetes type 2.');
    expect(letter.body).toContain('Presenting problem: Generalised anxiety disorder (F41.1).');
    expect(letter.body).toMatch(/PHQ-9 \(depression\): first 18 on 02\/02\/2026 \(moderately severe; at or above the caseness cut-off of ≥ 10\); last 6 on 16\/02\/2026 \(mild; below the caseness cut-off of ≥ 10\)\./);
    expect(letter.body).toMatch(/GAD-7 \(anxiety\): first 15 on 02\/02\/2026 \(severe; at or above the caseness cut-off of ≥ 8\); last 5 on 16\/02\/2026 \(mild; below/);
    expect(letter.body).toContain('What this means: At the start the scores were at caseness; they have since moved below caseness (recovered); the improvement is reliable');
    expect(letter.body).toContain('Dr Ada Lovelace');
  });

  it('is edited, refused while a gap is left, finalised, exported to the chosen folder and recorded as sent', async () => {
    const { referral, patient } = await dischargedEpisode({ givenName: 'Łukasz', familyName: 'Wójcik' });
    let letter = await h.call('letters.draft', { referralId: referral.id, kind: 'discharge', recipient: 'gp' });
    expect(letter.body).toContain('[to complete: where they can turn if difficulties return]');

    // A gap left in: refused, naming it, and nothing written.
    const before = await h.changes();
    const gap = await h.refusal('letters.finalise', { id: letter.id, version: letter.version });
    expect(gap).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'body' }] });
    expect(gap.message).toContain('[to complete: where they can turn if difficulties return]');
    expect(await h.changes()).toBe(before);

    const body = letter.body.replace('[to complete: where they can turn if difficulties return]', 'Steps2Wellbeing self-referral line; the practice nurse at the diabetes review.');
    letter = await h.call('letters.update', { id: letter.id, version: letter.version, recipientName: 'Dr Amara Okafor\nRiverside Medical Centre', body });
    expect(letter).toMatchObject({ version: 2, recipientName: 'Dr Amara Okafor\nRiverside Medical Centre' });
    const stale = await h.refusal('letters.finalise', { id: letter.id, version: 1 });
    expect(stale.code).toBe('STALE_VERSION');
    letter = await h.call('letters.finalise', { id: letter.id, version: letter.version });
    expect(letter).toMatchObject({ status: 'final', version: 3, finalisedBy: h.engine.status().owner!.id, finalisedAt: `${TODAY}T10:00:00.000Z` });

    // Final means final: the service refuses, and the store itself refuses a rewrite of its words.
    const edit = await h.refusal('letters.update', { id: letter.id, version: letter.version, recipientName: 'x', body: 'changed' });
    expect(edit).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'body' }] });
    await expect(sql`update letters set body = 'tampered' where id = ${letter.id}`.execute(h.engine.context().db)).rejects.toThrow(/a final letter cannot be changed/);

    // No folder chosen yet: refused, no file, no audit event.
    const auditBefore = await h.auditCount();
    const noFolder = await h.refusal('letters.export', { id: letter.id });
    expect(noFolder).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'folder' }] });
    expect(await h.auditCount()).toBe(auditBefore);

    h.engine.setDestination('letters', exportDir);
    const exported = await h.call('letters.export', { id: letter.id });
    expect(exported.path).toBe(join(exportDir, exported.file));
    expect(exported.file).toMatch(/^letter-discharge-2026-06-30-v1-[0-9a-f]{8}\.pdf$/);
    expect(exported.file).not.toMatch(/ukasz|jcik/i);
    expect(readdirSync(exportDir)).toEqual([exported.file]); // written in place: no staging file left behind
    const text = await pdfText(exported.path);
    expect(text).toContain('Re: Łukasz Wójcik, born 12/04/1961, NHS number');
    expect(text).toContain(patient.nhsNumber.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3'));
    expect(text).toContain('Dr Amara Okafor');
    expect(text).toContain('first 18 on 02/02/2026');
    expect(text).toContain('last 6 on 16/02/2026');
    expect(text).toContain('Steps2Wellbeing self-referral line');
    expect(text).toContain('version 1, finalised 30/06/2026');

    // The export is audited naming the letter and the file, never its content.
    const event = await h.engine.context().db.selectFrom('audit_event').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ action: 'export', entity: 'letter', entity_ids: JSON.stringify([letter.id, exported.file]) });

    const sent = await h.call('letters.recordSent', { id: letter.id, version: letter.version, sentOn: TODAY, sentTo: 'Dr Amara Okafor by NHSmail' });
    expect(sent).toMatchObject({ sentOn: TODAY, sentTo: 'Dr Amara Okafor by NHSmail', sentBy: h.engine.status().owner!.id, body: letter.body, status: 'final' });
    const twice = await h.refusal('letters.recordSent', { id: letter.id, version: sent.version, sentOn: TODAY, sentTo: 'again' });
    expect(twice.message).toContain('already recorded as sent on 30/06/2026');
  });

  it('a correction is a new version that supersedes the final letter only once it is final itself', async () => {
    const { referral } = await dischargedEpisode();
    let first = await h.call('letters.draft', { referralId: referral.id, kind: 'assessment', recipient: 'referrer' });
    expect(first.recipientName).toBe('Sr Łucja Kowalska');
    expect(first.body).toContain('Dear Sr Łucja Kowalska,');
    expect(first.body).toContain('whom I assessed on 20/01/2026');
    expect(first.body).toContain('Scores at assessment:\nPHQ-9 (depression): 18 on 02/02/2026');
    first = await h.call('letters.update', { id: first.id, version: first.version, recipientName: first.recipientName, body: first.body.replace(/\[to complete:[^\]]*\]/g, 'Eight sessions of CBT adapted for diabetes.') });
    first = await h.call('letters.finalise', { id: first.id, version: first.version });

    const draftOnDraft = await h.refusal('letters.correct', { id: (await h.call('letters.draft', { referralId: referral.id, kind: 'assessment', recipient: 'gp' })).id });
    expect(draftOnDraft.message).toContain('is a draft');

    let second = await h.call('letters.correct', { id: first.id });
    expect(second).toMatchObject({ status: 'draft', letterVersion: 2, supersedesId: first.id, body: first.body });
    expect((await h.refusal('letters.correct', { id: first.id })).message).toContain('already has a correction (version 2, draft)');
    let listed = await h.call('letters.list', { referralId: referral.id });
    expect(listed.letters.find((l) => l.id === first.id)?.supersededById).toBeNull();

    second = await h.call('letters.update', { id: second.id, version: second.version, recipientName: second.recipientName, body: second.body.replace('Eight', 'Ten') });
    second = await h.call('letters.finalise', { id: second.id, version: second.version });
    listed = await h.call('letters.list', { referralId: referral.id });
    expect(listed.letters.find((l) => l.id === first.id)).toMatchObject({ supersededById: second.id, body: first.body, status: 'final' });
    expect(listed.letters.map((l) => l.referralId)).toEqual(listed.letters.map(() => referral.id));
  });
});

describe('letters at opt-in failure and after a missed appointment', () => {
  it('names the contact attempts that failed', async () => {
    const p = await h.call('patients.create', patientInput());
    const r = await h.call('referrals.create', referralInput(p.id));
    await h.call('contactAttempts.record', { referralId: r.id, date: '2026-01-08', method: 'telephone', outcome: 'no-answer' });
    await h.call('contactAttempts.record', { referralId: r.id, date: '2026-01-12', method: 'text', outcome: 'voicemail' });
    const letter = await h.call('letters.draft', { referralId: r.id, kind: 'opt-in-failure', recipient: 'gp' });
    expect(letter.body).toContain('We tried to contact them to opt in to the service 2 times: 08/01/2026 (telephone, no answer); 12/01/2026 (text, voicemail).');
  });

  it('names the missed appointment', async () => {
    const p = await h.call('patients.create', patientInput());
    const r = await h.call('referrals.create', referralInput(p.id));
    await h.call('contacts.create', contactInput(r.id, '2026-02-03', { startTime: '14:30', attendance: 3 }));
    const letter = await h.call('letters.draft', { referralId: r.id, kind: 'dna', recipient: 'referrer' });
    expect(letter.recipientName).toBe('Diabetes specialist nurse');
    expect(letter.body).toContain('did not attend the appointment booked for 03/02/2026 at 14:30.');
  });
});

describe('refusals change nothing and say why', () => {
  it('a discharge letter before discharge, a missed-appointment letter with none missed, a referrer letter for a self-referral', async () => {
    const p = await h.call('patients.create', patientInput());
    const open = await h.call('referrals.create', referralInput(p.id));
    const self = await h.call('referrals.create', referralInput(p.id, { referrerRole: 'self' }));
    const counts = await h.tableCounts();
    const before = await h.changes();
    expect(await h.refusal('letters.draft', { referralId: open.id, kind: 'discharge', recipient: 'gp' })).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'kind', message: expect.stringContaining('has not been discharged') }] });
    expect(await h.refusal('letters.draft', { referralId: open.id, kind: 'dna', recipient: 'gp' })).toMatchObject({ fields: [{ path: 'kind', message: expect.stringContaining('did not attend') }] });
    expect(await h.refusal('letters.draft', { referralId: self.id, kind: 'assessment', recipient: 'referrer' })).toMatchObject({ fields: [{ path: 'recipient' }] });
    expect(await h.refusal('letters.draft', { referralId: open.id, kind: 'thank-you' as never, recipient: 'gp' })).toMatchObject({ fields: [{ path: 'kind' }] });
    expect(await h.refusal('letters.update', { id: open.id, version: 1, recipientName: 'x', body: '   ' })).toMatchObject({ fields: [{ path: 'body', message: 'is required' }] });
    expect(await h.refusal('letters.recordSent', { id: open.id, version: 1, sentOn: '2026-02-30', sentTo: 'GP' })).toMatchObject({ fields: [{ path: 'sentOn' }] });
    expect(await h.refusal('letters.export', { id: open.id })).toMatchObject({ code: expect.stringMatching(/VALIDATION|NOT_FOUND/) });
    expect(await h.tableCounts()).toEqual(counts);
    expect(await h.changes()).toBe(before);
  });

  it('a sent date before finalising or in the future; an export to a folder that has gone', async () => {
    const { referral } = await dischargedEpisode();
    let letter = await h.call('letters.draft', { referralId: referral.id, kind: 'discharge', recipient: 'gp' });
    letter = await h.call('letters.update', { id: letter.id, version: letter.version, recipientName: letter.recipientName, body: letter.body.replace(/\[to complete:[^\]]*\]/g, 'Self-referral.') });
    expect((await h.refusal('letters.recordSent', { id: letter.id, version: letter.version, sentOn: TODAY, sentTo: 'GP' })).message).toContain('finalise the letter before');
    letter = await h.call('letters.finalise', { id: letter.id, version: letter.version });
    expect((await h.refusal('letters.recordSent', { id: letter.id, version: letter.version, sentOn: '2026-06-29', sentTo: 'GP' })).message).toContain('before the letter was finalised (30/06/2026)');
    expect((await h.refusal('letters.recordSent', { id: letter.id, version: letter.version, sentOn: '2026-07-01', sentTo: 'GP' })).message).toContain('in the future');

    const gone = join(exportDir, 'gone');
    mkdirSync(gone);
    h.engine.setDestination('letters', gone);
    rmSync(gone, { recursive: true });
    const audit = await h.auditCount();
    const refused = await h.refusal('letters.export', { id: letter.id });
    expect(refused.message).toContain('is not there any more');
    expect(await h.auditCount()).toBe(audit);
  });

  it('the store itself (0008_letters) refuses an unknown kind and a final letter rewritten, but takes its sent record and a tombstone', async () => {
    const db = h.engine.context().db;
    const { referral } = await dischargedEpisode();
    let letter = await h.call('letters.draft', { referralId: referral.id, kind: 'discharge', recipient: 'gp' });
    await expect(sql`update letters set kind = 'thank-you' where id = ${letter.id}`.execute(db)).rejects.toThrow(/CHECK constraint failed/);
    letter = await h.call('letters.update', { id: letter.id, version: letter.version, recipientName: letter.recipientName, body: 'Short and complete.' });
    letter = await h.call('letters.finalise', { id: letter.id, version: letter.version });
    for (const change of [sql`status = 'draft'`, sql`recipient_name = 'Someone else'`, sql`letter_version = 7`, sql`referral_id = ${referral.id}, body = 'x'`]) {
      await expect(sql`update letters set ${change} where id = ${letter.id}`.execute(db)).rejects.toThrow(/a final letter cannot be changed/);
    }
    await sql`update letters set sent_on = '2026-06-30', sent_to = 'GP' where id = ${letter.id}`.execute(db);
    await sql`update letters set deleted_at = '2026-06-30T10:00:00Z' where id = ${letter.id}`.execute(db);
    const row = await db.selectFrom('letters').select(['body', 'sent_to', 'deleted_at']).where('id', '=', letter.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ body: 'Short and complete.', sent_to: 'GP', deleted_at: '2026-06-30T10:00:00Z' });
    expect((await h.refusal('letters.export', { id: letter.id })).code).toBe('NOT_FOUND'); // a tombstoned letter is gone
  });

  it('every write and view above appended to a chain that still verifies', async () => {
    const result = await h.call('audit.verify', {});
    expect(result).toMatchObject({ ok: true, problems: [] });
  });
});
