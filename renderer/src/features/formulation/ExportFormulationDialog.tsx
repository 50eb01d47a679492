import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../../lib/api';
import { Dialog } from '../../lib/Dialog';
import { errorMessage } from '../../lib/errors';

/**
 * Exporting is the one way a formulation leaves the encrypted store, so it says so first, and the folder is
 * always picked through the shell (files.chooseFolder, purpose "formulations"), never typed into the page. The
 * service writes the PDF there and audits the export naming the file.
 */
export function ExportFormulationDialog({ id, versionLabel, opened, onClose }: { id: string; versionLabel: string; opened: boolean; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (opened) setResult(null);
  }, [opened]);

  const exportPdf = async () => {
    setBusy(true);
    setResult(null);
    try {
      const { folder } = await api['files.chooseFolder']({ purpose: 'formulations' });
      if (folder === null) {
        setResult({ ok: false, text: 'No folder was chosen, so nothing was written.' });
        return;
      }
      const written = await api['formulation.export']({ id });
      setResult({ ok: true, text: written.path });
    } catch (err) {
      setResult({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog opened={opened} onClose={onClose} title={`Export formulation ${versionLabel} as PDF`} size="lg">
      <Stack gap="sm">
        <Alert color="orange" variant="light" title={<Text fw={700} c="dark.9">This file leaves the encrypted caseload</Text>}>
          <Text size="sm">
            The PDF is not encrypted: anyone who can open the folder you choose can read the patient’s name and everything in the formulation. Choose a folder your
            service approves for sharing with patients, and delete the file once it has been given to them. The export is recorded in the audit trail with the file’s name.
          </Text>
        </Alert>
        {result?.ok ? (
          <Alert color="teal" role="status" title={<Text fw={700} c="dark.9">PDF saved</Text>}>
            <Code>{result.text}</Code>
          </Alert>
        ) : (
          result && <Alert color="red" role="alert">{result.text}</Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{result?.ok ? 'Done' : 'Cancel'}</Button>
          {!result?.ok && <Button onClick={() => void exportPdf()} loading={busy}>Choose folder and export</Button>}
        </Group>
      </Stack>
    </Dialog>
  );
}
