import { Alert, Badge, Button, Group, Paper, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import type { WaitingPause } from '../../../../shared/contract/waiting';
import { formatUkDate } from '../../../../shared/domain/dates';
import { EIGHTEEN_WEEKS_DAYS, SIX_WEEKS_DAYS } from '../../../../shared/domain/waitingClock';
import { api } from '../../lib/api';
import { useLoaded } from '../../lib/useLoaded';
import { PauseDialog } from './PauseDialog';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const weeksAndDays = (days: number) => `${plural(Math.floor(days / 7), 'week')} ${plural(days % 7, 'day')}`;

/**
 * The waiting clock (ref §4: referral to first attended treatment) with patient-initiated pauses beside it
 * (IDS108): their days are shown and reported separately, never taken off the wait.
 */
export function WaitingPanel({ referralId, open }: { referralId: string; open: boolean }) {
  const { value: view, setValue: setView, failure } = useLoaded(() => api['waiting.get']({ referralId }), referralId);
  const [dialog, setDialog] = useState<{ ending?: WaitingPause } | null>(null);

  if (failure) return <Alert color="red" role="alert">{failure}</Alert>;
  if (!view) return null;
  const past = view.waitedDays > EIGHTEEN_WEEKS_DAYS ? 'past 18 weeks' : view.waitedDays > SIX_WEEKS_DAYS ? 'past 6 weeks' : 'within 6 weeks';
  const canPause = open && view.waiting;

  return (
    <Paper withBorder p="md" aria-labelledby="waiting-title">
      <Group justify="space-between" mb={4}>
        <Group gap="sm">
          <Title order={2} size="h4" id="waiting-title">Waiting clock</Title>
          <Badge variant="light" color={past === 'within 6 weeks' ? 'green' : past === 'past 6 weeks' ? 'yellow' : 'red'} c="dark.9">{past}</Badge>
        </Group>
        {canPause && <Button variant="default" size="xs" onClick={() => setDialog({})}>Pause at the patient’s request</Button>}
      </Group>
      <Text size="sm" data-testid="waiting-clock">
        {view.waiting
          ? `Waiting ${view.waitedDays} days (${weeksAndDays(view.waitedDays)}) since the referral on ${formatUkDate(view.receivedDate)}. Six weeks on ${formatUkDate(view.sixWeeksOn)}; eighteen weeks on ${formatUkDate(view.eighteenWeeksOn)}.`
          : `Waited ${view.waitedDays} days (${weeksAndDays(view.waitedDays)}) from the referral on ${formatUkDate(view.receivedDate)} to first treatment on ${formatUkDate(view.firstTreatmentDate!)}.`}
      </Text>
      {view.pauses.length > 0 && (
        <>
          <Text size="sm" mt={4} data-testid="paused-days">
            Paused at the patient’s request for {view.pausedDays} days of that wait: shown and reported separately, not taken off it.
          </Text>
          <Table aria-label="Waiting-time pauses" verticalSpacing={4} mt="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>From</Table.Th>
                <Table.Th>Until</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th><VisuallyHidden>End</VisuallyHidden></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.pauses.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{formatUkDate(p.startDate)}</Table.Td>
                  <Table.Td>{p.endDate ? formatUkDate(p.endDate) : 'Still paused'}</Table.Td>
                  <Table.Td>{p.reason}</Table.Td>
                  <Table.Td>{p.endDate === null && open && <Button size="xs" variant="light" onClick={() => setDialog({ ending: p })}>End pause</Button>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
      {dialog && (
        <PauseDialog
          referralId={referralId}
          {...(dialog.ending ? { ending: dialog.ending } : {})}
          onClose={() => setDialog(null)}
          onSaved={(v) => {
            setDialog(null);
            setView(v);
          }}
        />
      )}
    </Paper>
  );
}
