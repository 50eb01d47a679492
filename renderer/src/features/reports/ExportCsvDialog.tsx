import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ReportRequest, ReportTable } from '../../../../shared/contract/reports';
import { api } from '../../lib/api';
import { Dialog } from '../../lib/Dialog';
import { errorMessage } from '../../lib/errors';

/**
 * A report table leaves the encrypted store only here: a warning first, the folder through the shell
 * (files.chooseFolder, purpose "reports"), then the service writes the CSV with small numbers suppressed and
 * audits the export naming the file.
 */
export function ExportCsvDialog({ request, table, title, onClose }: { request: ReportRequest; table: ReportTable | null; title: string; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => setResult(null), [table]);

  const run = async () => {
    if (!table) return;
    setBusy(true);
    setResult(null);
    try {
      const { folder } = await api['files.chooseFolder']({ purpose: 'reports' });
      if (folder === null) {
        setResult({ ok: false, text: 'No folder was chosen, so nothing was written.' });
        return;
      }
      const written = await api['reports.exportCsv']({ ...request, table });
      setResult({ ok: true, text: `${written.path} — ${written.rows} rows, ${written.suppressed} suppressed` });
    } catch (err) {
      setResult({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog opened={table !== null} onClose={onClose} title={`Export ${title} as CSV`} size="lg">
      <Stack gap="sm">
        <Alert color="orange" variant="light" title={<Text fw={700} c="dark.9">This file leaves the encrypted caseload</Text>}>
          <Text size="sm">
            The CSV is not encrypted. It holds aggregate figures only, and any figure from fewer than 5 referrals, or with a count from 1 to 4, is
            left blank and marked suppressed. Choose a folder your service approves. The export is recorded in the audit trail with the file’s name.
          </Text>
        </Alert>
        {result?.ok ? (
          <Alert color="teal" role="status" title={<Text fw={700} c="dark.9">CSV saved</Text>}>
            <Code>{result.text}</Code>
          </Alert>
        ) : (
          result && <Alert color="red" role="alert">{result.text}</Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{result?.ok ? 'Done' : 'Cancel'}</Button>
          {!result?.ok && <Button onClick={() => void run()} loading={busy}>Choose folder and export</Button>}
        </Group>
      </Stack>
    </Dialog>
  );
}
