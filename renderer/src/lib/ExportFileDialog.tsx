import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { DestinationPurpose } from '../../../shared/contract/files';
import { api } from './api';
import { Dialog } from './Dialog';
import { errorMessage } from './errors';

/**
 * The one way a file of the caseload leaves the encrypted store from a screen: the warning first, then the folder
 * picked through the shell (files.chooseFolder), never typed into the page, then `write`, a service call that
 * writes the file there and audits the export naming it. `write` answers what to show once saved.
 */
export function ExportFileDialog({ opened, onClose, title, purpose, fileKind, warning, write }: {
  opened: boolean;
  onClose: () => void;
  title: string;
  purpose: DestinationPurpose;
  fileKind: 'PDF' | 'CSV';
  warning: string;
  write: () => Promise<string>;
}) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (opened) setResult(null);
  }, [opened]);

  const run = async () => {
    setBusy(true);
    setResult(null);
    try {
      const { folder } = await api['files.chooseFolder']({ purpose });
      if (folder === null) {
        setResult({ ok: false, text: 'No folder was chosen, so nothing was written.' });
        return;
      }
      setResult({ ok: true, text: await write() });
    } catch (err) {
      setResult({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog opened={opened} onClose={onClose} title={title} size="lg">
      <Stack gap="sm">
        <Alert color="orange" variant="light" title={<Text fw={700} c="dark.9">This file leaves the encrypted caseload</Text>}>
          <Text size="sm">{warning} The export is recorded in the audit trail with the file’s name.</Text>
        </Alert>
        {result?.ok ? (
          <Alert color="teal" role="status" title={<Text fw={700} c="dark.9">{fileKind} saved</Text>}>
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
