import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { DestinationPurpose } from '../../../shared/contract/files';
import type { Formulation, FormulationSummary, formulationMethods } from '../../../shared/contract/formulation';
import { formatUkDate } from '../../../shared/domain/dates';
import type { FormulationDiagram } from '../../../shared/domain/formulation';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import { renderFormulationPdf } from '../pdf/formulationPdf';
import { writeFileAtomic } from '../store/atomicWrite';
import type { FormulationsTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { meta, newColumns, notFound, stale, type Trx } from './records';
import { referralInScope } from './scope';

/**
 * Formulation (issue #10 stage 6) is versioned like notes (DESIGN §5.4), more strictly: every save is a new row,
 * and a saved version is never changed (a trigger backs this), so every version stays readable by its date. A save
 * names the version it was edited from; saving over an older one is refused as stale. Exporting writes one version
 * as a PDF into the folder chosen for formulations — the one place it leaves the encrypted store — audited naming
 * the file, never its content.
 */
async function nameOf(trx: Trx, userId: string): Promise<string> {
  return (await trx.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst())?.display_name ?? 'A former team member';
}

function toFormulation(row: FormulationsTable, savedByName: string): Formulation {
  return {
    id: row.id,
    referralId: row.referral_id,
    formulationVersion: row.formulation_version,
    diagram: JSON.parse(row.diagram) as FormulationDiagram,
    savedByName,
    ...meta(row),
  };
}

/** A version whose patient this person may see; one out of scope is answered as not found (DESIGN §5.6). */
async function liveFormulation(trx: Trx, ctx: CaseloadContext, id: string): Promise<FormulationsTable> {
  const row = await trx.selectFrom('formulations').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('formulation');
  await referralInScope(trx, ctx, row.referral_id, 'formulation');
  return row;
}

/** Newest first; two versions with the same number (saved on two laptops offline) by save time. */
async function versionsOf(trx: Trx, referralId: string): Promise<FormulationsTable[]> {
  return trx
    .selectFrom('formulations')
    .selectAll()
    .where('referral_id', '=', referralId)
    .where('deleted_at', 'is', null)
    .orderBy('formulation_version', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function listFormulations(ctx: CaseloadContext, referralId: string): Promise<{ versions: FormulationSummary[]; latest: Formulation | null }> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, referralId);
    const rows = await versionsOf(trx, referral.id);
    const names = new Map<string, string>();
    for (const r of rows) if (!names.has(r.created_by)) names.set(r.created_by, await nameOf(trx, r.created_by));
    await appendAudit(trx, { actorId: ctx.actorId, action: 'list', entity: 'formulation', entityIds: [referral.id, ...rows.map((r) => r.id)] }, ctx.now());
    return {
      versions: rows.map((r) => ({ id: r.id, formulationVersion: r.formulation_version, savedAt: r.created_at, savedByName: names.get(r.created_by)! })),
      latest: rows[0] ? toFormulation(rows[0], names.get(rows[0].created_by)!) : null,
    };
  });
}

export async function getFormulation(ctx: CaseloadContext, id: string): Promise<Formulation> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await liveFormulation(trx, ctx, id);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'formulation', entityIds: [row.id] }, ctx.now());
    return toFormulation(row, await nameOf(trx, row.created_by));
  });
}

export async function saveFormulation(ctx: CaseloadContext, input: { referralId: string; baseVersion: number; diagram: FormulationDiagram }): Promise<Formulation> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, input.referralId);
    const latest = (await versionsOf(trx, referral.id))[0];
    if ((latest?.formulation_version ?? 0) !== input.baseVersion) throw stale();
    const row: FormulationsTable = {
      ...newColumns(ctx),
      referral_id: referral.id,
      formulation_version: input.baseVersion + 1,
      diagram: JSON.stringify(input.diagram),
      status: 'saved',
    };
    await trx.insertInto('formulations').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'formulation', entityIds: [row.id, referral.id] }, ctx.now());
    return toFormulation(row, await nameOf(trx, ctx.actorId));
  });
}

/** No patient data in the name: the folder may be shared, indexed or synced by the desktop. */
function pdfFileName(row: FormulationsTable): string {
  return `formulation-${row.created_at.slice(0, 10)}-v${row.formulation_version}-${row.id.slice(-8)}.pdf`;
}

/**
 * Writes one saved version as a PDF into the folder chosen for formulations, made in memory and written once,
 * atomically, at the destination. The audit event (same transaction) names the version and the file.
 */
export async function exportFormulation(ctx: CaseloadContext, folder: string | null, id: string): Promise<{ file: string; path: string; bytes: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await liveFormulation(trx, ctx, id);
    if (folder === null) throw new AppError('VALIDATION', 'Choose a folder for formulations first: the PDF is written only where you choose.', { fields: [{ path: 'folder', message: 'is not chosen yet' }] });
    if (!existsSync(folder)) throw new AppError('VALIDATION', `The folder ${folder} chosen for formulations is not there any more. Choose it again.`, { fields: [{ path: 'folder', message: 'is missing' }] });
    const referral = await referralInScope(trx, ctx, row.referral_id, 'formulation');
    const patient = await trx.selectFrom('patients').select(['given_name', 'family_name']).where('id', '=', referral.patient_id).executeTakeFirstOrThrow();
    const savedOn = formatUkDate(row.created_at.slice(0, 10));
    const bytes = await renderFormulationPdf(
      {
        title: 'Formulation',
        heading: [`Formulation for ${patient.given_name} ${patient.family_name}`, `Version ${row.formulation_version}, saved ${savedOn} by ${await nameOf(trx, row.created_by)}`],
        diagram: JSON.parse(row.diagram) as FormulationDiagram,
        footer: `Confidential. Formulation version ${row.formulation_version}, saved ${savedOn}`,
      },
      ctx.now(),
    );
    const file = pdfFileName(row);
    const path = join(folder, file);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'export', entity: 'formulation', entityIds: [row.id, file] }, ctx.now());
    // Written last inside the transaction: a failed write rolls the audit event back.
    writeFileAtomic(path, bytes);
    return { file, path, bytes: bytes.length };
  });
}

export function formulationHandlers(context: ContextSource, chosenFolder: (purpose: DestinationPurpose) => string | null): HandlerMap<typeof formulationMethods> {
  return {
    'formulation.list': (i) => listFormulations(context(), i.referralId),
    'formulation.get': (i) => getFormulation(context(), i.id),
    'formulation.save': (i) => saveFormulation(context(), i),
    'formulation.export': (i) => exportFormulation(context(), chosenFolder('formulations'), i.id),
  };
}
