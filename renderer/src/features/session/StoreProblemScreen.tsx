import { Alert, Button, Code, PasswordInput, Radio, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import type { SessionStatus } from '../../../../shared/contract/session';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { CentredCard } from './CentredCard';

type Backup = { file: string; createdAt: string; bytes: number };

/** Shown when the store or its key file cannot be opened: says which file, changes nothing, offers a restore. */
export function StoreProblemScreen({ problem, onRestored }: { problem: SessionStatus['problem']; onRestored: (s: SessionStatus) => void }) {
  const [backups, setBackups] = useState<Backup[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({
    initialValues: { file: '', passphrase: '' },
    validate: { file: (v) => (v ? null : 'Choose a backup'), passphrase: (v) => (v ? null : 'Enter the passphrase you used when the backup was made') },
  });

  useEffect(() => {
    api['backup.list']({}).then(
      (r) => {
        setBackups(r.backups);
        if (r.backups[0]) form.setFieldValue('file', r.backups[0].file);
      },
      () => setBackups([]),
    );
  }, []);

  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      onRestored(await api['backup.restore'](values));
    } catch (err) {
      setFailure(errorMessage(err));
    }
  });

  return (
    <CentredCard title="The caseload cannot be opened" intro="Nothing has been changed or overwritten. You can restore your most recent backup; the damaged files are kept beside it.">
      <Alert color="red" role="alert" title="What went wrong">
        <Text size="sm">{problem?.message ?? 'The store could not be opened.'}</Text>
        {problem?.file && <Code block mt="xs">{problem.file}</Code>}
      </Alert>
      {backups && backups.length === 0 && <Text size="sm">No backups were found on this device. Contact your service's IT support before changing anything.</Text>}
      {backups && backups.length > 0 && (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Radio.Group label="Restore from backup" {...form.getInputProps('file')}>
              <Stack gap={4} mt={4}>
                {backups.map((b) => (
                  <Radio key={b.file} value={b.file} label={`${new Date(b.createdAt).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' })} — ${(b.bytes / 1024).toFixed(0)} KB`} />
                ))}
              </Stack>
            </Radio.Group>
            <PasswordInput label="Passphrase at the time of the backup" {...form.getInputProps('passphrase')} />
            {failure && <Alert color="red" role="alert">{failure}</Alert>}
            <Button type="submit" loading={form.submitting}>Restore this backup</Button>
          </Stack>
        </form>
      )}
    </CentredCard>
  );
}
