import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { DestinationPurpose } from '../../../shared/contract/files';
import { SERVICE_USE_ITEMS, type ReportTable, type ServiceReport, type reportMethods, ReportRequest } from '../../../shared/contract/reports';
import {
  effectSizes,
  hba1cChange,
  healthcareUseChange,
  programmeFigures,
  type FinishedCourse,
  type ProgrammeFigure,
  type ProgrammeRates,
  type ProgrammeRatesSplit,
  type ReportItem,
} from '../../../shared/outcomes';
import { appendAudit } from '../audit/auditChain';
import type { CaseloadContext } from '../caseload/context';
import { caseholderScope } from '../caseload/scope';
import { serviceOutcomes } from '../caseload/serviceSettings';
import type { Trx } from '../caseload/records';
import type { ContextSource, HandlerMap } from '../handlers';
import { writeFileAtomic } from '../store/atomicWrite';
import { statementsFor } from '../store/database';
import { loadReportEntries } from './reportQuery';
import { waitingPausesOf } from './pauseReport';
import { reportCsv } from './reportCsv';
import type { z } from 'zod';

type Request = z.output<typeof ReportRequest>;

/** Export suppression (ref §4 as `programmeFigures` applies it): counts and bases of 1–4 are hidden. */
export const SUPPRESS_BELOW = 5;

/** Everything a report is made of, before it is shaped for the screen or a file. */
export interface ComputedReport {
  rates: ProgrammeRates;
  split: ProgrammeRatesSplit | null;
  report: ServiceReport;
}

/**
 * The classified finished courses of the period (ref §4: discharged in the period having finished a course) —
 * what the effect sizes, HbA1c and healthcare-use figures are taken over. They are the report's own classified
 * episodes (one classification each); a malformed episode is already left out there and counted as excluded.
 */
function finishedCourses(items: readonly ReportItem[], period: { start: string; end: string }): FinishedCourse[] {
  const out: FinishedCourse[] = [];
  for (const { episode, result } of items) {
    if (episode.dischargeDate === undefined || episode.dischargeDate < period.start || episode.dischargeDate > period.end) continue;
    if (result.finishedCourse) out.push({ episode, result });
  }
  return out;
}

/** Computes a report over the caller's scope from the store: the one query path the screen, export and bench share. */
export async function computeReport(trx: Trx, ctx: CaseloadContext, request: Request): Promise<ComputedReport> {
  const outcomes = await serviceOutcomes(trx);
  const scope = await caseholderScope(trx, ctx);
  // Runs on the same connection as trx, inside its transaction (database.ts statementsFor).
  const { entries, serviceUse } = loadReportEntries(statementsFor(ctx.db), outcomes, { period: request.period, filters: request.filters, scope }, SERVICE_USE_ITEMS);
  const { rates, split, items } = outcomes.programmeReportOf(entries, request.period, request.splitBy);
  const names = request.splitBy === 'clinician' ? new Map((await trx.selectFrom('users').select(['id', 'display_name']).execute()).map((u) => [u.id, u.display_name])) : new Map<string, string>();
  const courses = finishedCourses(items, request.period);
  const itemLabels = new Map(outcomes.instrument('service-use').items.map((item) => [item.id, item.text]));
  const use = healthcareUseChange(courses, serviceUse, SERVICE_USE_ITEMS, request.unitCosts as Record<string, number>);
  const report: ServiceReport = {
    period: request.period,
    filters: request.filters,
    referralsConsidered: entries.length,
    figures: programmeFigures(rates),
    split: split
      ? {
          dimension: split.dimension,
          groups: split.groups.map((g) => ({ key: g.key, label: names.get(g.key) ?? g.label, figures: programmeFigures(g.rates) })),
        }
      : null,
    effectSizes: effectSizes(courses),
    hba1c: hba1cChange(courses),
    healthcareUse: { ...use, items: use.items.map((i) => ({ ...i, label: itemLabels.get(i.itemId) ?? i.itemId })) },
    waitingPauses: await waitingPausesOf(trx, items, request.period),
    dataQuality: { excludedCount: rates.dataQuality.excludedCount, warningCount: rates.dataQuality.warnings.length },
  };
  return { rates, split, report };
}

/**
 * A service report, audited as a view. The report shows aggregate figures only (no referral is named), so the
 * audit event records the request rather than listing the thousands of referrals a year's figures rest on.
 */
export async function serviceReport(ctx: CaseloadContext, request: Request): Promise<ServiceReport> {
  return ctx.db.transaction().execute(async (trx) => {
    const { report } = await computeReport(trx, ctx, request);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'service-report', entityIds: [] }, ctx.now());
    return report;
  });
}

/** No patient data in the name: the period, the table and the moment, nothing else. */
function csvFileName(table: ReportTable, period: { start: string; end: string }, now: Date): string {
  return `service-report-${table}-${period.start}-to-${period.end}-${now.toISOString().replace(/[:.]/g, '').slice(0, 17)}.csv`;
}

export function suppressedFigures(rates: ProgrammeRates): ProgrammeFigure[] {
  return programmeFigures(rates, { suppressBelow: SUPPRESS_BELOW });
}

/**
 * One table of the report as a CSV file in the folder chosen for reports (files.chooseFolder, purpose
 * "reports"), small numbers suppressed (ref §4 suppression as `programmeFigures` applies it). The file is made in
 * memory and written once, atomically, at the destination; the audit event names it, in the same transaction.
 */
export async function exportReportCsv(ctx: CaseloadContext, folder: string | null, request: Request & { table: ReportTable }): Promise<{ file: string; path: string; rows: number; suppressed: number }> {
  if (folder === null) throw new AppError('VALIDATION', 'Choose a folder for reports first: the file is written only where you choose.', { fields: [{ path: 'folder', message: 'is not chosen yet' }] });
  if (!existsSync(folder)) throw new AppError('VALIDATION', `The folder ${folder} chosen for reports is not there any more. Choose it again.`, { fields: [{ path: 'folder', message: 'is missing' }] });
  if (request.table === 'split' && request.splitBy === undefined) throw new AppError('VALIDATION', 'Choose what to split the report by before exporting the split table.', { fields: [{ path: 'splitBy', message: 'is required for the split table' }] });
  return ctx.db.transaction().execute(async (trx) => {
    const computed = await computeReport(trx, ctx, request);
    const csv = reportCsv(request.table, computed, SUPPRESS_BELOW);
    const file = csvFileName(request.table, request.period, ctx.now());
    const path = join(folder, file);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'export', entity: 'service-report', entityIds: [file] }, ctx.now());
    // Written last inside the transaction: a failed write rolls the audit event back.
    writeFileAtomic(path, Buffer.from(csv.text, 'utf8'));
    return { file, path, rows: csv.rows, suppressed: csv.suppressed };
  });
}

export function reportHandlers(context: ContextSource, chosenFolder: (purpose: DestinationPurpose) => string | null): HandlerMap<typeof reportMethods> {
  return {
    'reports.service': (i) => serviceReport(context(), i),
    'reports.exportCsv': (i) => exportReportCsv(context(), chosenFolder('reports'), i),
  };
}
