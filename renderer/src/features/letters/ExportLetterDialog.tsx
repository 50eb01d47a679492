import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Letter } from '../../../../shared/contract/letters';
import { api } from '../../lib/api';
import { Dialog } from '../../lib/Dialog';
import { errorMessage } from '../../lib/errors';

/**
 * Exporting is the one way a letter leaves the encrypted store, so it says so first, and the folder is always
 * picked through the shell (files.chooseFolder, purpose "letters"), never typed into the page. The service
 * writes the PDF there and audits the export naming the file.
 */
export function ExportLetterDialog({ letter, opened, onClose }: { letter: Letter; opened: boolean; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (opened) setResult(null);
  }, [opened]);

  const exportPdf = async () => {
    setBusy(true);
    setResult(null);
    try {
      const { folder } = await api['files.chooseFolder']({ purpose: 'letters' });
      if (folder === null) {
        setResult({ ok: false, text: 'No folder was chosen, so nothing was written.' });
        return;
      }
      const written = await api['letters.export']({ id: letter.id });
      setResult({ ok: true, text: written.path });
    } catch (err) {
      setResult({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog opened={opened} onClose={onClose} title="Export letter as PDF" size="lg">
      <Stack gap="sm">
        <Alert color="orange" variant="light" title={<Text fw={700} c="dark.9">This file leaves the encrypted caseload</Text>}>
          <Text size="sm">
            The PDF is not encrypted: anyone who can open the folder you choose can read the patient’s name, NHS number and scores. Choose a folder your service
            approves for patient letters, and delete the file once it has been sent. The export is recorded in the audit trail with the file’s name.
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
          {!result?.ok && (
            <Button onClick={() => void exportPdf()} loading={busy}>Choose folder and export</Button>
          )}
        </Group>
      </Stack>
    </Dialog>
  );
}
