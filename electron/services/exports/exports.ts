import { createHmac } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { exportMethods } from '../../../shared/contract/exports';
import type { DestinationPurpose } from '../../../shared/contract/files';
import { completeness, csvOf, DATA_SET_NOTICE, dataSetFiles } from '../../../shared/exports/dataSet';
import { fhirBundle } from '../../../shared/exports/fhirBundle';
import { pseudonymisedRows } from '../../../shared/exports/pseudonymised';
import { toCsv } from '../../../shared/exports/csv';
import { appendAudit } from '../audit/auditChain';
import type { CaseloadContext } from '../caseload/context';
import type { Trx } from '../caseload/records';
import { loadSettings } from '../caseload/serviceSettings';
import type { ContextSource, HandlerMap } from '../handlers';
import { writeFileAtomic } from '../store/atomicWrite';
import { readExportSource } from './exportSource';

/**
 * Exports (issue #11 §3). Each is one call by the person, after the screen's warning that the files leave the
 * encrypted store; each writes only into the folder they chose for exports (files.chooseFolder, purpose
 * "exports") and is audited in the same transaction, naming the files and the referrals whose data left. The
 * content is made in memory and written once per file, atomically, at the destination: nothing is staged
 * elsewhere. If any file of a set cannot be written, the ones already written are removed and the audit event
 * rolls back, so a failed export leaves nothing behind.
 */
type Period = { from: string; to: string };

/** No patient data in a file name: the folder may be shared, indexed or synced by the desktop. */
const stem = (kind: string, period: Period) => `caseload-${kind}-${period.from}_to_${period.to}`;

function destination(folder: string | null): string {
  if (folder === null) throw new AppError('VALIDATION', 'Choose a folder for exports first: files are written only where you choose.', { fields: [{ path: 'folder', message: 'is not chosen yet' }] });
  if (!existsSync(folder)) throw new AppError('VALIDATION', `The folder ${folder} chosen for exports is not there any more. Choose it again.`, { fields: [{ path: 'folder', message: 'is missing' }] });
  return folder;
}

/** Writes every file or none: a failure part-way removes what was written, and the caller's transaction rolls back. */
function writeAll(files: { path: string; content: string }[]): void {
  const written: string[] = [];
  try {
    for (const f of files) {
      writeFileAtomic(f.path, f.content);
      written.push(f.path);
    }
  } catch (err) {
    for (const path of written) rmSync(path, { force: true });
    throw err;
  }
}

const bytesOf = (text: string) => Buffer.byteLength(text, 'utf8');

/** The codes an export uses: the service's own (settings), with any typed for this export laid over them. */
async function toolCodesFor(trx: Trx, typed: Record<string, string>): Promise<Record<string, string>> {
  return { ...(await loadSettings(trx)).toolCodes, ...typed };
}

export async function previewDataSet(ctx: CaseloadContext, input: { period: Period; toolCodes: Record<string, string> }) {
  return ctx.db.transaction().execute(async (trx) => {
    const source = await readExportSource(trx, ctx, input.period);
    const files = dataSetFiles(source, { toolCodes: await toolCodesFor(trx, input.toolCodes) });
    const referralIds = files[0]!.rows.map((r) => String(r[0]));
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'export-preview', entityIds: referralIds }, ctx.now());
    return { notice: DATA_SET_NOTICE, completeness: completeness(files), referrals: referralIds.length };
  });
}

export async function exportDataSet(ctx: CaseloadContext, chosen: string | null, input: { period: Period; toolCodes: Record<string, string> }) {
  return ctx.db.transaction().execute(async (trx) => {
    const folder = destination(chosen);
    const source = await readExportSource(trx, ctx, input.period);
    const files = dataSetFiles(source, { toolCodes: await toolCodesFor(trx, input.toolCodes) });
    const out = files.map((f) => {
      const content = csvOf(f);
      const file = `${stem(f.table, input.period)}.csv`;
      return { file, path: join(folder, file), content, rows: f.rows.length };
    });
    const notice = { file: `${stem('data-set-README', input.period)}.txt`, content: `${DATA_SET_NOTICE}\r\n` };
    const referralIds = files[0]!.rows.map((r) => String(r[0]));
    await appendAudit(trx, { actorId: ctx.actorId, action: 'export', entity: 'data-set', entityIds: [...out.map((f) => f.file), notice.file, ...referralIds] }, ctx.now());
    // Written last inside the transaction: a failed write rolls the audit event back (letters.ts does the same).
    writeAll([...out.map((f) => ({ path: f.path, content: f.content })), { path: join(folder, notice.file), content: notice.content }]);
    return {
      folder,
      notice: DATA_SET_NOTICE,
      files: out.map((f) => ({ file: f.file, path: f.path, bytes: bytesOf(f.content), rows: f.rows })),
      completeness: completeness(files),
    };
  });
}

export async function exportFhir(ctx: CaseloadContext, chosen: string | null, input: { period: Period; toolCodes: Record<string, string> }) {
  return ctx.db.transaction().execute(async (trx) => {
    const folder = destination(chosen);
    const source = await readExportSource(trx, ctx, input.period);
    const bundle = fhirBundle(source, { toolCodes: await toolCodesFor(trx, input.toolCodes), timestamp: ctx.now().toISOString() });
    const entries = bundle.entry ?? [];
    const count = (type: string) => entries.filter((e) => e.resource?.resourceType === type).length;
    const content = JSON.stringify(bundle, null, 2);
    const file = `${stem('fhir-r4-bundle', input.period)}.json`;
    const path = join(folder, file);
    const patientIds = entries.filter((e) => e.resource?.resourceType === 'Patient').map((e) => e.resource!.id!);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'export', entity: 'fhir-bundle', entityIds: [file, ...patientIds] }, ctx.now());
    writeAll([{ path, content }]);
    return {
      folder,
      file: { file, path, bytes: bytesOf(content), rows: entries.length },
      resources: { Patient: count('Patient'), QuestionnaireResponse: count('QuestionnaireResponse'), Observation: count('Observation') },
    };
  });
}

/**
 * The keyed pseudonym: HMAC-SHA-256 of the NHS number under the key typed in for this export. The key lives only
 * in this call's memory; it is never written, logged or audited.
 */
export function linkagePseudonym(key: string): (nhsNumber: string) => string {
  return (nhsNumber) => createHmac('sha256', key).update(nhsNumber.replace(/\s/g, ''), 'utf8').digest('hex');
}

export async function exportPseudonymised(ctx: CaseloadContext, chosen: string | null, input: { period: Period; linkageKey: string }) {
  return ctx.db.transaction().execute(async (trx) => {
    const folder = destination(chosen);
    const source = await readExportSource(trx, ctx, input.period);
    const { outcomes } = await loadSettings(trx);
    const { columns, rows } = pseudonymisedRows(source, linkagePseudonym(input.linkageKey), outcomes.serviceUseRecallMonths);
    const content = toCsv(columns, rows);
    const file = `${stem('healthcare-use-pseudonymised', input.period)}.csv`;
    const path = join(folder, file);
    const referralIds = [...new Set(source.measures.filter((m) => m.instrumentId === 'service-use').map((m) => m.referralId))];
    await appendAudit(trx, { actorId: ctx.actorId, action: 'export', entity: 'pseudonymised-extract', entityIds: [file, ...referralIds] }, ctx.now());
    writeAll([{ path, content }]);
    return { folder, file: { file, path, bytes: bytesOf(content), rows: rows.length } };
  });
}

export function exportHandlers(context: ContextSource, chosenFolder: (purpose: DestinationPurpose) => string | null): HandlerMap<typeof exportMethods> {
  return {
    'exports.preview': (i) => previewDataSet(context(), i),
    'exports.dataSet': (i) => exportDataSet(context(), chosenFolder('exports'), i),
    'exports.fhir': (i) => exportFhir(context(), chosenFolder('exports'), i),
    'exports.pseudonymised': (i) => exportPseudonymised(context(), chosenFolder('exports'), i),
  };
}
