import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import type { GroupView } from '../../../../shared/contract/groups';
import { formatUkDate } from '../../../../shared/domain/dates';
import { ATTENDANCE_LABELS } from '../../../../shared/domain/episodeCodes';
import { GROUP_CONDITION_LABELS } from '../../../../shared/domain/groups';
import { useNavigation } from '../../app/navigation';
import { api } from '../../lib/api';
import { useLoaded } from '../../lib/useLoaded';
import { useOutcomes } from '../../lib/useOutcomes';
import { AddMemberDialog } from './AddMemberDialog';
import { RecordSessionDialog } from './RecordSessionDialog';

/**
 * One group course (issue #10 §7): its members and sessions. Each member's attendance is a contact of their own
 * episode, so their measures are entered on that contact's session screen, as for any session.
 */
export function GroupPage({ groupId }: { groupId: string }) {
  const { go } = useNavigation();
  const outcomes = useOutcomes();
  const { value: view, setValue: setView, failure } = useLoaded(() => api['groups.get']({ id: groupId }), groupId);
  const [dialog, setDialog] = useState<'member' | 'session' | null>(null);

  if (failure) return <Alert color="red" role="alert">{failure}</Alert>;
  if (!view) return <Text>Loading…</Text>;
  const { group, members, sessions } = view;
  const nameOf = new Map(members.map((m) => [m.referralId, m.name]));
  const saved = (next: GroupView) => {
    setDialog(null);
    setView(next);
  };

  return (
    <Stack>
      <div>
        <Anchor component="button" size="sm" onClick={() => go({ view: 'groups' })}>← Group courses</Anchor>
        <Title order={1} size="h2" mt={4}>{group.title}</Title>
        <Text size="sm" c="gray.8">
          {GROUP_CONDITION_LABELS[group.condition]} · run with {group.coFacilitatorName} ({group.coFacilitatorRole}) · {group.location} · from {formatUkDate(group.startsOn)} · {sessions.length} of {group.plannedSessions} sessions held
        </Text>
      </div>

      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">Members</Title>
          <Button variant="default" onClick={() => setDialog('member')}>Add member</Button>
        </Group>
        {members.length === 0 ? (
          <Text c="gray.7">No members yet. Add patients from your caseload.</Text>
        ) : (
          <Table aria-label="Members" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>NHS number</Table.Th>
                <Table.Th>Joined</Table.Th>
                <Table.Th>Referral</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <Anchor component="button" onClick={() => go({ view: 'episode', referralId: m.referralId })}>{m.name}</Anchor>
                  </Table.Td>
                  <Table.Td>{m.nhsNumber}</Table.Td>
                  <Table.Td>{formatUkDate(m.joinedOn)}</Table.Td>
                  <Table.Td>{m.active ? 'Open' : <Badge variant="light" c="gray.8" color="gray">Ended</Badge>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">Sessions</Title>
          <Button onClick={() => setDialog('session')} disabled={!members.some((m) => m.active)}>Record a session</Button>
        </Group>
        {sessions.length === 0 && <Text c="gray.7">No sessions recorded yet.</Text>}
        <Stack gap="md">
          {sessions.map((s) => (
            <section key={s.id} aria-labelledby={`session-${s.id}`}>
              <Title order={3} size="h5" id={`session-${s.id}`} mb={4}>
                Session {s.sessionNumber} · {formatUkDate(s.date)} {s.startTime} · {s.durationMinutes} minutes
              </Title>
              <Table aria-label={`Session ${s.sessionNumber} attendance and measures`} verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Member</Table.Th>
                    <Table.Th>Attendance</Table.Th>
                    <Table.Th>Measures</Table.Th>
                    <Table.Th><VisuallyHidden>Open</VisuallyHidden></Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.attendance.map((a) => {
                    const name = nameOf.get(a.referralId) ?? 'Member';
                    const attended = a.attendance === 5 || a.attendance === 6;
                    return (
                      <Table.Tr key={a.contactId}>
                        <Table.Td>{name}</Table.Td>
                        <Table.Td>{a.attendance === null ? 'Booked' : ATTENDANCE_LABELS[a.attendance]}</Table.Td>
                        <Table.Td data-testid={`measures-${s.sessionNumber}-${a.referralId}`}>
                          {a.measures.length === 0 ? (attended ? 'None yet' : '—') : a.measures.map((m) => `${outcomes.instrument(m.instrumentId).title.split(' (')[0]} ${m.total ?? '—'}`).join(', ')}
                        </Table.Td>
                        <Table.Td>
                          {attended && (
                            <Button size="xs" variant="light" onClick={() => go({ view: 'session', referralId: a.referralId, contactId: a.contactId })} aria-label={`Enter measures for ${name}, session ${s.sessionNumber}`}>
                              Enter measures
                            </Button>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </section>
          ))}
        </Stack>
      </Paper>
      {dialog === 'member' && <AddMemberDialog view={view} onClose={() => setDialog(null)} onSaved={saved} />}
      {dialog === 'session' && <RecordSessionDialog view={view} onClose={() => setDialog(null)} onSaved={saved} />}
    </Stack>
  );
}
