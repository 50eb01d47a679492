import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { DestinationPurpose } from '../../../shared/contract/files';
import { LETTER_GAP, LETTER_KIND_LABELS, type Letter, type LetterKind, type LetterRecipient, type letterMethods } from '../../../shared/contract/letters';
import { formatUkDate } from '../../../shared/domain/dates';
import { DID_NOT_ATTEND } from '../../../shared/domain/episodeCodes';
import type { Role } from '../../../shared/domain/people';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import { renderLetterPdf } from '../pdf/letterPdf';
import { writeFileAtomic } from '../store/atomicWrite';
import type { LettersTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { toContact } from './contacts';
import { toEpisode } from './episodeAdapter';
import { toContactAttempt } from './followUp';
import { draftBody, recipientNameFor, type LetterFacts } from './letterDraft';
import { liveReferral, meta, newColumns, nextColumns, notFound, refuse, stale, type Trx } from './records';
import { toReferral } from './referrals';
import { loadSettings, outcomesWith } from './serviceSettings';

/**
 * Letters (issue #10 §4) are versioned documents like notes (DESIGN §5.4): a draft may change; a final letter
 * never does (a trigger backs this); a correction is a new draft that supersedes the final one. Exporting writes
 * the final letter as a PDF into the folder the person chose for letters — the one place a letter leaves the
 * encrypted store — and is audited naming the file, never its content.
 */
function toLetter(row: LettersTable, supersededById: string | null): Letter {
  return {
    id: row.id,
    referralId: row.referral_id,
    kind: row.kind as LetterKind,
    recipient: row.recipient as LetterRecipient,
    recipientName: row.recipient_name,
    body: row.body,
    status: row.status as Letter['status'],
    letterVersion: row.letter_version,
    supersedesId: row.supersedes_id,
    supersededById,
    finalisedBy: row.finalised_by,
    finalisedAt: row.finalised_at,
    sentOn: row.sent_on,
    sentTo: row.sent_to,
    sentBy: row.sent_by,
    ...meta(row),
  };
}

async function liveLetter(trx: Trx, id: string): Promise<LettersTable> {
  const row = await trx.selectFrom('letters').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('letter');
  return row;
}

async function correctionOf(trx: Trx, id: string): Promise<LettersTable | undefined> {
  return trx.selectFrom('letters').selectAll().where('supersedes_id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/** A letter as the screen sees it: superseded only once its correction is final itself. */
async function withChain(trx: Trx, row: LettersTable): Promise<Letter> {
  const correction = await correctionOf(trx, row.id);
  return toLetter(row, correction?.status === 'final' ? correction.id : null);
}

async function authorOf(trx: Trx, id: string): Promise<{ displayName: string; role: Role }> {
  const user = await trx.selectFrom('users').select(['display_name', 'role']).where('id', '=', id).executeTakeFirstOrThrow();
  return { displayName: user.display_name, role: user.role as Role };
}

/**
 * What a letter is filled from: the stored episode through the one adapter and the service's configured
 * outcomes engine (`classifyEpisode`), as the episode screen reads it — without the notes, which no letter quotes.
 */
async function letterFacts(trx: Trx, ctx: CaseloadContext, input: { kind: LetterKind; recipient: LetterRecipient }, referralId: string): Promise<LetterFacts> {
  const referral = await liveReferral(trx, referralId);
  const [contacts, measures, attempts, patient, settings, author] = await Promise.all([
    trx.selectFrom('contacts').selectAll().where('referral_id', '=', referral.id).where('deleted_at', 'is', null).orderBy('date').orderBy('start_time').execute(),
    trx.selectFrom('measures').selectAll().where('referral_id', '=', referral.id).where('deleted_at', 'is', null).orderBy('date').orderBy('created_at').execute(),
    trx.selectFrom('contact_attempts').selectAll().where('referral_id', '=', referral.id).where('deleted_at', 'is', null).orderBy('date').orderBy('created_at').execute(),
    trx.selectFrom('patients').select(['given_name', 'family_name', 'gp_practice']).where('id', '=', referral.patient_id).executeTakeFirstOrThrow(),
    loadSettings(trx),
    authorOf(trx, ctx.actorId),
  ]);
  const outcomes = outcomesWith(settings.outcomes);
  const classified = outcomes.classifyEpisode(toEpisode(referral, contacts, measures));
  return {
    ...input,
    patient: { givenName: patient.given_name, familyName: patient.family_name, gpPractice: patient.gp_practice },
    referral: toReferral(referral),
    contacts: contacts.map(toContact),
    attempts: attempts.map(toContactAttempt),
    classification: { ...classified, reasons: { ...classified.reasons } },
    outcomes,
    ltcOptions: settings.ltcOptions,
    author,
  };
}

export async function draftLetter(ctx: CaseloadContext, input: { referralId: string; kind: LetterKind; recipient: LetterRecipient }): Promise<Letter> {
  return ctx.db.transaction().execute(async (trx) => {
    const facts = await letterFacts(trx, ctx, input, input.referralId);
    const referral = facts.referral;
    if (input.kind === 'discharge' && referral.status !== 'discharged') throw refuse('kind', 'is a discharge letter, but this referral has not been discharged yet');
    if (input.kind === 'dna' && !facts.contacts.some((c) => c.attendance === DID_NOT_ATTEND)) {
      throw refuse('kind', 'is a letter after a missed appointment, but no contact of this referral is recorded as did not attend');
    }
    if (input.recipient === 'referrer' && referral.referrerRole === 'self') throw refuse('recipient', 'is the referrer, but this person referred themselves');
    const row: LettersTable = {
      ...newColumns(ctx),
      referral_id: referral.id,
      kind: input.kind,
      recipient: input.recipient,
      recipient_name: recipientNameFor(facts),
      body: draftBody(facts),
      status: 'draft',
      letter_version: 1,
      supersedes_id: null,
      finalised_by: null,
      finalised_at: null,
      sent_on: null,
      sent_to: null,
      sent_by: null,
    };
    await trx.insertInto('letters').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'letter', entityIds: [row.id, referral.id] }, ctx.now());
    return toLetter(row, null);
  });
}

export async function listLetters(ctx: CaseloadContext, referralId: string): Promise<Letter[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await liveReferral(trx, referralId);
    const rows = await trx.selectFrom('letters').selectAll().where('referral_id', '=', referral.id).where('deleted_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    const correctedBy = new Map(rows.filter((r) => r.supersedes_id && r.status === 'final').map((r) => [r.supersedes_id!, r.id]));
    await appendAudit(trx, { actorId: ctx.actorId, action: 'list', entity: 'letter', entityIds: rows.map((r) => r.id) }, ctx.now());
    return rows.map((r) => toLetter(r, correctedBy.get(r.id) ?? null));
  });
}

function finalRefusal(row: LettersTable, path: string, what: string): never {
  throw refuse(path, `${what}: the letter was finalised on ${formatUkDate(row.finalised_at?.slice(0, 10) ?? '')}; make a correction instead`);
}

export async function updateLetter(ctx: CaseloadContext, input: { id: string; version: number; recipientName: string; body: string }): Promise<Letter> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await liveLetter(trx, input.id);
    if (row.status === 'final') finalRefusal(row, 'body', 'cannot be changed');
    if (row.version !== input.version) throw stale();
    const updated: LettersTable = { ...row, recipient_name: input.recipientName, body: input.body, ...nextColumns(row, ctx) };
    await trx.updateTable('letters').set(updated).where('id', '=', row.id).where('version', '=', input.version).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'update', entity: 'letter', entityIds: [row.id] }, ctx.now());
    return withChain(trx, updated);
  });
}

export async function finaliseLetter(ctx: CaseloadContext, input: { id: string; version: number }): Promise<Letter> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await liveLetter(trx, input.id);
    if (row.status === 'final') finalRefusal(row, 'id', 'is already final');
    if (row.version !== input.version) throw stale();
    const at = row.body.indexOf(LETTER_GAP);
    if (at >= 0) {
      const until = row.body.indexOf(']', at);
      throw refuse('body', `still has a gap to fill: "${row.body.slice(at, until < 0 ? at + 80 : until + 1)}"`);
    }
    const final: LettersTable = { ...row, status: 'final', finalised_by: ctx.actorId, finalised_at: ctx.now().toISOString(), ...nextColumns(row, ctx) };
    await trx.updateTable('letters').set(final).where('id', '=', row.id).where('version', '=', input.version).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'finalise', entity: 'letter', entityIds: [row.id] }, ctx.now());
    return withChain(trx, final);
  });
}

/** A correction starts from the final letter's words; there is at most one per letter, draft or final. */
export async function correctLetter(ctx: CaseloadContext, id: string): Promise<Letter> {
  return ctx.db.transaction().execute(async (trx) => {
    const original = await liveLetter(trx, id);
    if (original.status !== 'final') throw refuse('id', 'is a draft: change the draft itself; corrections are for final letters');
    const existing = await correctionOf(trx, original.id);
    if (existing) throw refuse('id', `already has a correction (version ${existing.letter_version}, ${existing.status}); correct that one instead`);
    const row: LettersTable = {
      ...newColumns(ctx),
      referral_id: original.referral_id,
      kind: original.kind,
      recipient: original.recipient,
      recipient_name: original.recipient_name,
      body: original.body,
      status: 'draft',
      letter_version: original.letter_version + 1,
      supersedes_id: original.id,
      finalised_by: null,
      finalised_at: null,
      sent_on: null,
      sent_to: null,
      sent_by: null,
    };
    await trx.insertInto('letters').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'letter', entityIds: [row.id, original.id] }, ctx.now());
    return toLetter(row, null);
  });
}

export async function recordLetterSent(ctx: CaseloadContext, input: { id: string; version: number; sentOn: string; sentTo: string }): Promise<Letter> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await liveLetter(trx, input.id);
    if (row.status !== 'final') throw refuse('id', 'is a draft: finalise the letter before recording that it was sent');
    if (row.sent_on) throw refuse('id', `was already recorded as sent on ${formatUkDate(row.sent_on)} to ${row.sent_to ?? ''}`);
    if (row.version !== input.version) throw stale();
    const finalisedOn = row.finalised_at!.slice(0, 10);
    if (input.sentOn < finalisedOn) throw refuse('sentOn', `is before the letter was finalised (${formatUkDate(finalisedOn)})`);
    if (input.sentOn > ctx.now().toISOString().slice(0, 10)) throw refuse('sentOn', 'is in the future');
    const sent: LettersTable = { ...row, sent_on: input.sentOn, sent_to: input.sentTo, sent_by: ctx.actorId, ...nextColumns(row, ctx) };
    await trx.updateTable('letters').set(sent).where('id', '=', row.id).where('version', '=', input.version).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'record-sent', entity: 'letter', entityIds: [row.id] }, ctx.now());
    return withChain(trx, sent);
  });
}

/** No patient data in the name: the folder may be shared, indexed or synced by the desktop. */
function pdfFileName(row: LettersTable): string {
  return `letter-${row.kind}-${row.finalised_at!.slice(0, 10)}-v${row.letter_version}-${row.id.slice(-8)}.pdf`;
}

/**
 * Writes a final letter as a PDF into the folder chosen for letters. The PDF is made in memory and written
 * once, atomically, at the destination: no copy of it is staged anywhere else. The audit event (same
 * transaction) names the letter and the file. A file already there with that name is replaced only by the same
 * letter's export (the name carries the letter's id and version).
 */
export async function exportLetter(ctx: CaseloadContext, folder: string | null, id: string): Promise<{ file: string; path: string; bytes: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await liveLetter(trx, id);
    if (row.status !== 'final') throw refuse('id', 'is a draft: only a final letter is exported');
    if (folder === null) throw new AppError('VALIDATION', 'Choose a folder for letters first: the PDF is written only where you choose.', { fields: [{ path: 'folder', message: 'is not chosen yet' }] });
    if (!existsSync(folder)) throw new AppError('VALIDATION', `The folder ${folder} chosen for letters is not there any more. Choose it again.`, { fields: [{ path: 'folder', message: 'is missing' }] });
    const referral = await liveReferral(trx, row.referral_id);
    const patient = await trx.selectFrom('patients').selectAll().where('id', '=', referral.patient_id).executeTakeFirstOrThrow();
    const author = await authorOf(trx, row.finalised_by!);
    const finalisedOn = formatUkDate(row.finalised_at!.slice(0, 10));
    const nhs = patient.nhs_number.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3');
    const bytes = await renderLetterPdf(
      {
        title: `Letter: ${LETTER_KIND_LABELS[row.kind as LetterKind]}`,
        from: [referral.team, author.displayName],
        to: row.recipient_name.split('\n'),
        date: finalisedOn,
        regarding: [`Re: ${patient.given_name} ${patient.family_name}, born ${formatUkDate(patient.date_of_birth)}, NHS number ${nhs}`],
        body: row.body,
        footer: `Confidential. ${LETTER_KIND_LABELS[row.kind as LetterKind]} letter, version ${row.letter_version}, finalised ${finalisedOn}`,
      },
      ctx.now(),
    );
    const file = pdfFileName(row);
    const path = join(folder, file);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'export', entity: 'letter', entityIds: [row.id, file] }, ctx.now());
    // Written last inside the transaction: a failed write rolls the audit event back, and a failed commit after
    // it leaves a file the person asked for, never an audit event for a file that is not there.
    writeFileAtomic(path, bytes);
    return { file, path, bytes: bytes.length };
  });
}

export function letterHandlers(context: ContextSource, chosenFolder: (purpose: DestinationPurpose) => string | null): HandlerMap<typeof letterMethods> {
  return {
    'letters.draft': (i) => draftLetter(context(), i),
    'letters.list': async (i) => ({ letters: await listLetters(context(), i.referralId) }),
    'letters.update': (i) => updateLetter(context(), i),
    'letters.finalise': (i) => finaliseLetter(context(), i),
    'letters.correct': (i) => correctLetter(context(), i.id),
    'letters.export': (i) => exportLetter(context(), chosenFolder('letters'), i.id),
    'letters.recordSent': (i) => recordLetterSent(context(), i),
  };
}
