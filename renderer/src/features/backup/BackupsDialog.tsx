import { Alert, Button, Code, Divider, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { SessionStatus } from '../../../../shared/contract/session';
import { api } from '../../lib/api';
import { Dialog } from '../../lib/Dialog';
import { errorMessage } from '../../lib/errors';
import { RestoreBackupForm } from './RestoreBackupForm';

/**
 * Backups from an open caseload: where they go (a folder picked in the app's own dialog, never typed), make one
 * now, or restore one. Each message names the full path, because the file leaves the caseload's folder.
 */
export function BackupsDialog({ opened, onClose, onRestored }: { opened: boolean; onClose: () => void; onRestored: (s: SessionStatus) => void }) {
  const [folder, setFolder] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [restoring, setRestoring] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setMessage(null);
    setRestoring(false);
    api['backup.list']({}).then((r) => setFolder(r.folder), () => setFolder(null));
  }, [opened]);

  const chooseFolder = async () => {
    try {
      const { folder: picked } = await api['files.chooseFolder']({ purpose: 'backups' });
      if (picked) {
        setFolder(picked);
        setMessage({ ok: true, text: `Backups will now be saved in ${picked}.` });
      }
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    }
  };
  const backUp = async () => {
    setBusy(true);
    try {
      const b = await api['backup.create']({});
      setMessage({ ok: true, text: `Encrypted backup saved as ${b.path}. It opens with today's passphrase; keep it somewhere safe.` });
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog opened={opened} onClose={onClose} title="Backups" size="lg">
      <Stack gap="sm">
        <Text size="sm">
          Backups are saved in <Code>{folder ?? '…'}</Code>
        </Text>
        <Alert color="nhsBlue" variant="light" title="This file leaves the encrypted caseload folder">
          <Text size="sm">A backup is encrypted and opens only with the passphrase of the day it was made, but it is a copy of every record: keep it on a drive or network folder your service approves.</Text>
        </Alert>
        <Group>
          <Button variant="default" onClick={() => void chooseFolder()}>Choose backup folder…</Button>
          <Button onClick={() => void backUp()} loading={busy}>Back up now</Button>
        </Group>
        {message && (
          <Alert color={message.ok ? 'teal' : 'red'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </Alert>
        )}
        <Divider />
        {restoring ? (
          <RestoreBackupForm needsCurrentPassphrase={false} onRestored={onRestored} />
        ) : (
          <Button variant="subtle" onClick={() => setRestoring(true)} w="fit-content">Restore a backup…</Button>
        )}
      </Stack>
    </Dialog>
  );
}
