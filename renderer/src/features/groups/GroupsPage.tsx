import { Alert, Anchor, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { formatUkDate } from '../../../../shared/domain/dates';
import { GROUP_CONDITION_LABELS } from '../../../../shared/domain/groups';
import { useNavigation } from '../../app/navigation';
import { api } from '../../lib/api';
import { useLoaded } from '../../lib/useLoaded';
import { GroupDialog } from './GroupDialog';

/** The team's group courses: condition, co-facilitator, members and how far each has run. */
export function GroupsPage() {
  const { go } = useNavigation();
  const { value: groups, failure } = useLoaded(async () => (await api['groups.list']({})).groups, 'groups');
  const [creating, setCreating] = useState(false);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">Group courses</Title>
        <Button onClick={() => setCreating(true)}>New group course</Button>
      </Group>
      {failure && <Alert color="red" role="alert">{failure}</Alert>}
      <Paper withBorder p="md">
        {groups === null ? (
          <Text>Loading…</Text>
        ) : groups.length === 0 ? (
          <Text c="gray.7">No group courses yet. A course such as “Living well with diabetes” is run with a physical-health colleague; each member’s sessions count in their own episode.</Text>
        ) : (
          <Table aria-label="Group courses" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Course</Table.Th>
                <Table.Th>Condition</Table.Th>
                <Table.Th>Co-facilitator</Table.Th>
                <Table.Th>Where</Table.Th>
                <Table.Th>Starts</Table.Th>
                <Table.Th>Members</Table.Th>
                <Table.Th>Sessions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {groups.map((g) => (
                <Table.Tr key={g.id}>
                  <Table.Td>
                    <Anchor component="button" onClick={() => go({ view: 'group', groupId: g.id })}>{g.title}</Anchor>
                  </Table.Td>
                  <Table.Td>{GROUP_CONDITION_LABELS[g.condition]}</Table.Td>
                  <Table.Td>{g.coFacilitatorName} ({g.coFacilitatorRole})</Table.Td>
                  <Table.Td>{g.location}</Table.Td>
                  <Table.Td>{formatUkDate(g.startsOn)}</Table.Td>
                  <Table.Td>{g.memberCount}</Table.Td>
                  <Table.Td>{g.sessionsHeld} of {g.plannedSessions}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {creating && (
        <GroupDialog
          onClose={() => setCreating(false)}
          onSaved={(view) => {
            setCreating(false);
            go({ view: 'group', groupId: view.group.id });
          }}
        />
      )}
    </Stack>
  );
}
