import { Alert, Button, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { ROLE_LABELS, type User } from '../../../../shared/domain/people';
import { api } from '../../lib/api';
import { Dialog } from '../../lib/Dialog';
import { errorMessage } from '../../lib/errors';
import { UserForm } from './UserForm';

/**
 * The team directory, kept by the admin (issue #10 §9): add people, change their role and supervisor, and
 * deactivate those who leave. No one is deleted: their name stays on what they wrote.
 */
export function UsersPage({ ownId }: { ownId: string }) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [leaving, setLeaving] = useState<User | null>(null);

  const load = useCallback(async () => {
    try {
      setUsers((await api['users.list']({})).users);
    } catch (err) {
      setFailure(errorMessage(err));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const nameOf = (id: string | null) => (id ? (users?.find((u) => u.id === id)?.displayName ?? 'Unknown') : '—');

  const deactivate = async (user: User) => {
    setFailure(null);
    try {
      await api['users.deactivate']({ id: user.id, version: user.version });
      setNotice(`${user.displayName} has been deactivated. Their name stays on the records they wrote.`);
      setLeaving(null);
      await load();
    } catch (err) {
      setLeaving(null);
      setFailure(errorMessage(err));
    }
  };

  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between">
        <Title order={1} size="h2">Team directory</Title>
        <Button onClick={() => setEditing('new')}>Add a person</Button>
      </Group>
      <Text size="sm" c="gray.7">Who is in the team, their role and who supervises them. Roles decide what each person may see and do.</Text>
      {notice && <Alert color="teal" role="status" withCloseButton closeButtonLabel="Dismiss" onClose={() => setNotice(null)}>{notice}</Alert>}
      {failure && <Alert color="red" role="alert">{failure}</Alert>}
      <Paper withBorder>
        <Table striped verticalSpacing="xs" aria-label="Team directory">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Supervisor</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(users ?? []).map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{u.displayName}{u.id === ownId && <Text span size="sm" c="gray.7"> (you)</Text>}</Table.Td>
                <Table.Td>{ROLE_LABELS[u.role]}</Table.Td>
                <Table.Td>{nameOf(u.supervisorId)}</Table.Td>
                <Table.Td>{u.active ? 'Active' : <Text span size="sm" fw={700} c="gray.8">Deactivated</Text>}</Table.Td>
                <Table.Td>
                  {u.active && (
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setEditing(u)} aria-label={`Change ${u.displayName}`}>Change</Button>
                      {u.id !== ownId && (
                        <Button size="xs" variant="default" color="red" onClick={() => setLeaving(u)} aria-label={`Deactivate ${u.displayName}`}>Deactivate</Button>
                      )}
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Dialog opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'Add a person to the team' : `Change ${editing?.displayName ?? ''}`}>
        {editing !== null && (
          <UserForm
            key={editing === 'new' ? 'new' : editing.id}
            user={editing === 'new' ? null : editing}
            users={users ?? []}
            onCancel={() => setEditing(null)}
            onSaved={(u) => {
              setEditing(null);
              setNotice(editing === 'new' ? `${u.displayName} was added as ${ROLE_LABELS[u.role]}.` : `${u.displayName} was updated.`);
              void load();
            }}
          />
        )}
      </Dialog>
      <Dialog opened={leaving !== null} onClose={() => setLeaving(null)} title={`Deactivate ${leaving?.displayName ?? ''}?`}>
        <Stack gap="sm">
          <Text size="sm">They will no longer be offered as a caseholder or supervisor. Their records and audit trail are kept.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setLeaving(null)}>Cancel</Button>
            <Button color="red" onClick={() => leaving && void deactivate(leaving)}>Deactivate</Button>
          </Group>
        </Stack>
      </Dialog>
    </Stack>
  );
}
