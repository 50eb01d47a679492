import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract/contract';
import { AppError } from '../../../../shared/contract/errors';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { useCountdown } from '../session/UnlockScreen';

/** The clinician's passphrase ends the mode; wrong ones wait out the unlock delay, counted down here as there. */
export function ExitPatientMode({ onExited, onCancel }: { onExited: (result: MethodOutput<'patientMode.exit'>) => void; onCancel?: () => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const [secondsLeft, waitFor] = useCountdown();
  const form = useForm({ initialValues: { passphrase: '' }, validate: { passphrase: (v) => (v ? null : 'Enter the clinician’s passphrase') } });
  const submit = form.onSubmit(async ({ passphrase }) => {
    setFailure(null);
    try {
      onExited(await api['patientMode.exit']({ passphrase }));
    } catch (err) {
      form.setFieldValue('passphrase', '');
      if (err instanceof AppError && err.retryAfterMs) waitFor(err.retryAfterMs);
      setFailure(err instanceof AppError && err.code === 'WRONG_PASSPHRASE' ? 'That passphrase is not right. Each wrong attempt makes the next one wait a little longer.' : errorMessage(err));
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <PasswordInput label="Clinician’s passphrase" autoComplete="current-password" data-autofocus {...form.getInputProps('passphrase')} />
        {failure && (
          <Alert color="red" role="alert" title="Still in patient questionnaires">
            {failure}
            {secondsLeft > 0 && ` You can try again in ${secondsLeft} second${secondsLeft === 1 ? '' : 's'}.`}
          </Alert>
        )}
        <Group justify="flex-end">
          {onCancel && <Button variant="default" onClick={onCancel}>Back to the questions</Button>}
          <Button type="submit" loading={form.submitting} disabled={secondsLeft > 0}>
            {secondsLeft > 0 ? `Wait ${secondsLeft} s` : 'End and return to the record'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
