import { Alert, Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ROLES, ROLE_LABELS, UserInput, type Role, type User } from '../../../../shared/domain/people';
import { api } from '../../lib/api';
import { showSaveError } from '../../lib/errors';
import { schemaErrors } from '../../lib/forms';

type Values = { displayName: string; role: Role | ''; supervisorId: string };

function toInput(v: Values) {
  return { displayName: v.displayName, role: v.role || undefined, supervisorId: v.supervisorId || null };
}

/**
 * Adds a person to the team directory, or changes one: name, role and supervisor. Validated inline by the
 * contract's own schema (UserInput), so the form and the service cannot disagree.
 */
export function UserForm({ user, users, onSaved, onCancel }: { user: User | null; users: User[]; onSaved: (u: User) => void; onCancel: () => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: { displayName: user?.displayName ?? '', role: user?.role ?? '', supervisorId: user?.supervisorId ?? '' },
    validate: (values) => schemaErrors(UserInput, toInput(values)),
    validateInputOnBlur: true,
  });
  // Anyone active may supervise but the person themselves; supervisors first, as they usually are.
  const supervisors = users
    .filter((u) => u.active && u.id !== user?.id)
    .sort((a, b) => Number(b.role === 'supervisor') - Number(a.role === 'supervisor'))
    .map((u) => ({ value: u.id, label: `${u.displayName} (${ROLE_LABELS[u.role]})` }));

  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    const input = UserInput.parse(toInput(values));
    try {
      onSaved(user ? await api['users.update']({ id: user.id, version: user.version, changes: input }) : await api['users.create'](input));
    } catch (err) {
      showSaveError(err, (fields) => form.setErrors(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/^changes\./, ''), v]))), setFailure);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput label="Name" autoComplete="off" data-autofocus {...form.getInputProps('displayName')} />
        <Select label="Role" placeholder="Choose a role" data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} allowDeselect={false} {...form.getInputProps('role')} />
        <Select label="Supervisor" placeholder="None" data={supervisors} clearable searchable nothingFoundMessage="No one by that name" {...form.getInputProps('supervisorId')} />
        {failure && <Alert color="red" role="alert">{failure}</Alert>}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>Cancel</Button>
          <Button type="submit" loading={form.submitting}>{user ? 'Save changes' : 'Add to the team'}</Button>
        </Group>
      </Stack>
    </form>
  );
}
