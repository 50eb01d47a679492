import { Alert, Button, Divider, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { PASSPHRASE_MIN, type SessionStatus } from '../../../../shared/contract/session';
import { ROLES, ROLE_LABELS, type Role } from '../../../../shared/domain/people';
import { api } from '../../lib/api';
import { showSaveError } from '../../lib/errors';
import { RestoreBackupForm } from '../backup/RestoreBackupForm';
import { DeviceUserPicker } from '../users/DeviceUserPicker';
import { CentredCard } from './CentredCard';

export function SetupScreen({ status, onDone }: { status: SessionStatus; onDone: (s: SessionStatus) => void }) {
  const { demo, backupsAvailable } = status;
  /** Others already have a caseload here: this is a new person's store, and they can go back to choose theirs. */
  const addingPerson = status.deviceUsers.length > 0;
  const [failure, setFailure] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);
  const form = useForm({
    initialValues: { displayName: '', role: '' as Role | '', passphrase: '', confirm: '' },
    validate: {
      displayName: (v) => (v.trim() ? null : 'Enter your name as colleagues know it'),
      role: (v) => (v ? null : 'Choose your role'),
      passphrase: (v) => (v.length >= PASSPHRASE_MIN ? null : `Use at least ${PASSPHRASE_MIN} characters`),
      confirm: (v, values) => (v === values.passphrase ? null : 'The two passphrases do not match'),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      onDone(await api['session.setup']({ displayName: values.displayName, role: values.role as Role, passphrase: values.passphrase }));
    } catch (err) {
      showSaveError(err, form.setErrors, setFailure);
    }
  });

  if (restoring) {
    return (
      <CentredCard title="Restore from a backup" demo={demo} intro="The caseload's files are not on this device, but backups are. Restoring one brings back everything recorded until it was made.">
        <RestoreBackupForm needsCurrentPassphrase={false} onRestored={onDone} />
        <Button variant="subtle" onClick={() => setRestoring(false)}>Back to setting up</Button>
      </CentredCard>
    );
  }
  return (
    <CentredCard
      title={addingPerson ? 'Add a person to this laptop' : 'Set up this device'}
      demo={demo}
      intro={`${addingPerson ? 'You get your own caseload on this laptop, encrypted with your own key.' : 'Your caseload is stored on this laptop, encrypted.'} Choose a passphrase only you know: it unlocks the caseload and cannot be recovered if forgotten, so keep a backup.`}
    >
      {addingPerson && <DeviceUserPicker status={status} onStatus={onDone} onFailure={setFailure} canAdd={false} />}
      {addingPerson && <Divider label="or set up your own caseload" />}
      {backupsAvailable && (
        <Alert color="nhsBlue" title="Backups of a caseload were found on this device">
          <Stack gap="xs">
            <Text size="sm">If your caseload's files were lost, restore a backup instead of starting an empty caseload.</Text>
            <Button variant="default" onClick={() => setRestoring(true)} w="fit-content">Restore from a backup…</Button>
          </Stack>
        </Alert>
      )}
      {backupsAvailable && <Divider label="or start a new caseload" />}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="Your name" autoComplete="name" data-autofocus autoFocus {...form.getInputProps('displayName')} />
          <Select
            label="Your role"
            placeholder="Choose a role"
            data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
            allowDeselect={false}
            {...form.getInputProps('role')}
          />
          <PasswordInput
            label="Passphrase"
            description={`At least ${PASSPHRASE_MIN} characters. A few unrelated words work well.`}
            autoComplete="new-password"
            {...form.getInputProps('passphrase')}
          />
          <PasswordInput label="Passphrase again" autoComplete="new-password" {...form.getInputProps('confirm')} />
          {failure && <Alert color="red" role="alert" title="Could not set up">{failure}</Alert>}
          <Button type="submit" loading={form.submitting} mt="xs">Create encrypted caseload</Button>
        </Stack>
      </form>
    </CentredCard>
  );
}
