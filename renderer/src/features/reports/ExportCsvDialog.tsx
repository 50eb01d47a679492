import type { ReportRequest, ReportTable } from '../../../../shared/contract/reports';
import { api } from '../../lib/api';
import { ExportFileDialog } from '../../lib/ExportFileDialog';

/** A report table leaves the encrypted store only as this CSV, small numbers suppressed (purpose "reports"). */
export function ExportCsvDialog({ request, table, title, onClose }: { request: ReportRequest; table: ReportTable | null; title: string; onClose: () => void }) {
  return (
    <ExportFileDialog
      opened={table !== null}
      onClose={onClose}
      title={`Export ${title} as CSV`}
      purpose="reports"
      fileKind="CSV"
      warning="The CSV is not encrypted. It holds aggregate figures only, and any figure from fewer than 5 referrals, or with a count from 1 to 4, is left blank and marked suppressed. Choose a folder your service approves."
      write={async () => {
        const written = await api['reports.exportCsv']({ ...request, table: table! });
        return `${written.path} — ${written.rows} rows, ${written.suppressed} suppressed`;
      }}
    />
  );
}
