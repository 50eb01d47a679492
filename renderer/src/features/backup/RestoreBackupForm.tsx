import { Alert, Button, Checkbox, Code, PasswordInput, Radio, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract/contract';
import type { SessionStatus } from '../../../../shared/contract/session';
import { api } from '../../lib/api';
import { showSaveError } from '../../lib/errors';
import { formatInstant } from '../../lib/format';

type BackupList = MethodOutput<'backup.list'>;

/**
 * Restore, wherever it is offered: from an open caseload, from the unlock screen (today's passphrase first —
 * an old passphrase alone never replaces a caseload that opens), and from the setup and problem screens when
 * the caseload's files are missing or damaged. A backup of another caseload needs its own confirmation.
 */
export function RestoreBackupForm({ needsCurrentPassphrase, onRestored }: { needsCurrentPassphrase: boolean; onRestored: (s: SessionStatus) => void }) {
  const [list, setList] = useState<BackupList | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({
    initialValues: { file: '', passphrase: '', currentPassphrase: '', replaceOtherCaseload: false },
    validate: {
      file: (v) => (v ? null : 'Choose a backup'),
      passphrase: (v) => (v ? null : 'Enter the passphrase you used when the backup was made'),
      currentPassphrase: (v) => (!needsCurrentPassphrase || v ? null : 'Enter the passphrase that opens this caseload today'),
    },
  });

  useEffect(() => {
    api['backup.list']({}).then(
      (r) => {
        setList(r);
        if (r.backups[0]) form.setFieldValue('file', r.backups[0].file);
      },
      () => setList({ folder: '', backups: [] }),
    );
  }, []);

  const chosen = list?.backups.find((b) => b.file === form.values.file);
  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    if (chosen?.otherCaseload && !values.replaceOtherCaseload) {
      form.setFieldError('replaceOtherCaseload', 'Tick this to replace this caseload with a backup of another one');
      return;
    }
    try {
      onRestored(
        await api['backup.restore']({
          file: values.file,
          passphrase: values.passphrase,
          replaceOtherCaseload: values.replaceOtherCaseload,
          ...(needsCurrentPassphrase ? { currentPassphrase: values.currentPassphrase } : {}),
        }),
      );
    } catch (err) {
      showSaveError(err, form.setErrors, setFailure);
    }
  });

  if (!list) return <Text size="sm">Looking for backups…</Text>;
  if (list.backups.length === 0) {
    return (
      <Text size="sm">
        No backups were found in <Code>{list.folder}</Code>. If your backups are on another drive, connect it and choose its folder from an open caseload, or ask your service's IT support.
      </Text>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Radio.Group label="Backup to restore" description={`From ${list.folder}`} {...form.getInputProps('file')}>
          <Stack gap={4} mt={4}>
            {list.backups.map((b) => (
              <Radio
                key={b.file}
                value={b.file}
                label={`${formatInstant(b.createdAt)} — ${(b.bytes / 1024).toFixed(0)} KB${b.otherCaseload ? ' — another caseload' : ''}`}
              />
            ))}
          </Stack>
        </Radio.Group>
        {needsCurrentPassphrase && <PasswordInput label="Today's passphrase" autoComplete="current-password" {...form.getInputProps('currentPassphrase')} />}
        <PasswordInput label="Passphrase at the time of the backup" autoComplete="off" {...form.getInputProps('passphrase')} />
        {chosen?.otherCaseload && (
          <Checkbox
            label="Replace this caseload with another one (the backup was made from a different caseload)"
            {...form.getInputProps('replaceOtherCaseload', { type: 'checkbox' })}
          />
        )}
        <Text size="sm" c="dimmed">Everything recorded after the backup was made is replaced. The files it replaces are kept beside the caseload.</Text>
        {failure && <Alert color="red" role="alert" title="Not restored">{failure}</Alert>}
        <Button type="submit" loading={form.submitting}>Restore this backup</Button>
      </Stack>
    </form>
  );
}
