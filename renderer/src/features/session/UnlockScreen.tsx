import { Alert, Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { SessionStatus } from '../../../../shared/contract/session';
import { AppError } from '../../../../shared/contract/errors';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { CentredCard } from './CentredCard';
import { StoreProblemScreen } from './StoreProblemScreen';

export function UnlockScreen({ demo, onUnlocked }: { demo: boolean; onUnlocked: (s: SessionStatus) => void }) {
  const [storeProblem, setStoreProblem] = useState<AppError | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({ initialValues: { passphrase: '' }, validate: { passphrase: (v) => (v ? null : 'Enter your passphrase') } });

  const submit = form.onSubmit(async ({ passphrase }) => {
    setFailure(null);
    try {
      onUnlocked(await api['session.unlock']({ passphrase }));
    } catch (err) {
      if (err instanceof AppError && ['STORE_CORRUPT', 'STORE_MISSING', 'KEYFILE_CORRUPT', 'NEWER_DATABASE'].includes(err.code)) {
        setStoreProblem(err);
        return;
      }
      form.setFieldValue('passphrase', '');
      setFailure(err instanceof AppError && err.code === 'WRONG_PASSPHRASE' ? 'That passphrase is not right. Try again — each wrong attempt makes the next one wait a little longer.' : errorMessage(err));
    }
  });

  if (storeProblem) {
    return <StoreProblemScreen problem={{ code: storeProblem.code, message: storeProblem.message, ...(storeProblem.file ? { file: storeProblem.file } : {}) }} onRestored={onUnlocked} />;
  }
  return (
    <CentredCard title="Unlock your caseload" demo={demo} intro="The caseload is locked. Enter your passphrase to open it.">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <PasswordInput label="Passphrase" autoComplete="current-password" autoFocus {...form.getInputProps('passphrase')} />
          {failure && <Alert color="red" role="alert" title="Not unlocked">{failure}</Alert>}
          <Button type="submit" loading={form.submitting}>Unlock</Button>
        </Stack>
      </form>
    </CentredCard>
  );
}
