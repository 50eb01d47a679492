import type { ReportTable } from '../../../shared/contract/reports';
import { programmeFigures, type ProgrammeFigure } from '../../../shared/outcomes';
import type { ComputedReport } from './serviceReport';

/**
 * RFC 4180 quoting, and a leading quote on anything a spreadsheet would run as a formula (=, +, -, @, tab, CR):
 * labels include names the team typed (a clinician's, a team's).
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const line = (cells: readonly (string | number | boolean | null)[]) => cells.map(csvCell).join(',');
const small = (n: number, below: number) => n > 0 && n < below;

const FIGURE_HEADER = ['figure', 'label', 'kind', 'value', 'count', 'denominator', 'referrals', 'source', 'local', 'suppressed', 'note'];
const figureRow = (f: ProgrammeFigure, prefix: string[] = []) => [...prefix, f.id, f.label, f.kind, f.value, f.count, f.denominator, f.suppressed ? null : f.referrals, f.source, f.local, f.suppressed, f.note ?? null];

export interface Csv {
  text: string;
  rows: number;
  suppressed: number;
}

/**
 * One table of a report as CSV, with export suppression: figures through `programmeFigures(…, { suppressBelow })`
 * (1–4 referrals or a count of 1–4 lose their values); the LTC tables lose theirs when taken over 1–4 courses.
 */
export function reportCsv(table: ReportTable, computed: ComputedReport, suppressBelow: number): Csv {
  const { rates, split, report } = computed;
  let header: string[];
  let rows: (string | number | boolean | null)[][];
  let suppressed = 0;
  switch (table) {
    case 'figures': {
      const figures = programmeFigures(rates, { suppressBelow });
      suppressed = figures.filter((f) => f.suppressed).length;
      header = FIGURE_HEADER;
      rows = figures.map((f) => figureRow(f));
      break;
    }
    case 'split': {
      header = ['group', 'group label', ...FIGURE_HEADER];
      rows = [];
      const labels = new Map(report.split?.groups.map((g) => [g.key, g.label]) ?? []);
      for (const g of split?.groups ?? []) {
        const figures = programmeFigures(g.rates, { suppressBelow });
        suppressed += figures.filter((f) => f.suppressed).length;
        rows.push(...figures.map((f) => figureRow(f, [g.key, labels.get(g.key) ?? g.label])));
      }
      break;
    }
    case 'effect-sizes': {
      header = ['instrument', 'pairs', 'mean first', 'mean last', 'SD of first scores', 'effect size', 'suppressed', 'note'];
      rows = report.effectSizes.map((e) => {
        const hide = small(e.pairs, suppressBelow);
        if (hide) suppressed += 1;
        return hide
          ? [e.instrumentId, null, null, null, null, null, true, `suppressed: from fewer than ${suppressBelow} courses`]
          : [e.instrumentId, e.pairs, e.meanFirst, e.meanLast, e.sdFirst, e.effectSize, false, e.reason ?? null];
      });
      break;
    }
    case 'hba1c': {
      const h = report.hba1c;
      const hide = small(h.n, suppressBelow);
      suppressed = hide ? 1 : 0;
      header = ['courses', 'mean first (mmol/mol)', 'mean last (mmol/mol)', 'mean change (mmol/mol)', 'suppressed', 'note'];
      rows = [hide ? [null, null, null, null, true, `suppressed: from fewer than ${suppressBelow} courses`] : [h.n, h.meanFirst, h.meanLast, h.meanChange, false, h.reason ?? null]];
      break;
    }
    case 'healthcare-use': {
      const u = report.healthcareUse;
      const hide = small(u.n, suppressBelow);
      header = ['item', 'label', 'courses', 'before', 'after', 'unit cost (£)', 'saving (£)', 'suppressed'];
      rows = u.items.map((i) => (hide ? [i.itemId, i.label, null, null, null, i.unitCost, null, true] : [i.itemId, i.label, u.n, i.before, i.after, i.unitCost, i.saving, false]));
      rows.push(hide ? ['total', 'All items', null, null, null, null, null, true] : ['total', 'All items', u.n, u.totalBefore, u.totalAfter, null, u.totalSaving, false]);
      suppressed = hide ? rows.length : 0;
      break;
    }
    case 'waiting-pauses': {
      const w = report.waitingPauses;
      const hide = small(w.withPause, suppressBelow);
      suppressed = hide ? 1 : 0;
      header = ['entered treatment', 'with a pause', 'paused days', 'median paused days', 'suppressed', 'note'];
      const note = 'patient-initiated pauses (IDS108) during the wait; the waits above are not reduced by them';
      rows = [hide ? [w.enteredTreatment, null, null, null, true, `suppressed: fewer than ${suppressBelow} paused referrals`] : [w.enteredTreatment, w.withPause, w.pausedDays, w.medianPausedDays, false, note]];
      break;
    }
  }
  // A UTF-8 BOM so spreadsheet programs read the en dashes and pound signs as written.
  const text = '\ufeff' + [line(header), ...rows.map(line)].join('\r\n') + '\r\n';
  return { text, rows: rows.length, suppressed };
}
