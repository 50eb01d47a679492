import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { PASSPHRASE_MIN } from '../../../../shared/contract/session';
import { AppError } from '../../../../shared/contract/errors';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { Dialog } from '../../lib/Dialog';

/** Re-wraps the data key under the new passphrase; the caseload itself is not re-encrypted. */
export function ChangePassphraseDialog({ opened, onClose, onChanged }: { opened: boolean; onClose: () => void; onChanged: () => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({
    initialValues: { current: '', next: '', confirm: '' },
    validate: {
      current: (v) => (v ? null : 'Enter your current passphrase'),
      next: (v) => (v.length >= PASSPHRASE_MIN ? null : `Use at least ${PASSPHRASE_MIN} characters`),
      confirm: (v, values) => (v === values.next ? null : 'The two new passphrases do not match'),
    },
  });
  const close = () => {
    form.reset();
    setFailure(null);
    onClose();
  };
  const submit = form.onSubmit(async ({ current, next }) => {
    setFailure(null);
    try {
      await api['session.changePassphrase']({ current, next });
      form.reset();
      onChanged();
    } catch (err) {
      if (err instanceof AppError && err.code === 'WRONG_PASSPHRASE') form.setFieldError('current', 'That is not your current passphrase');
      else setFailure(errorMessage(err));
    }
  });
  return (
    <Dialog opened={opened} onClose={close} title="Change passphrase">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <PasswordInput label="Current passphrase" autoComplete="current-password" data-autofocus {...form.getInputProps('current')} />
          <PasswordInput label="New passphrase" description={`At least ${PASSPHRASE_MIN} characters.`} autoComplete="new-password" {...form.getInputProps('next')} />
          <PasswordInput label="New passphrase again" autoComplete="new-password" {...form.getInputProps('confirm')} />
          {failure && <Alert color="red" role="alert">{failure}</Alert>}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Change passphrase</Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
