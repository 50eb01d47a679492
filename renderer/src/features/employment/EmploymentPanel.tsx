import { Alert, Button, Group, Paper, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import type { EmploymentSupport, EmploymentView } from '../../../../shared/contract/employment';
import { formatUkDate } from '../../../../shared/domain/dates';
import { api } from '../../lib/api';
import { useLoaded } from '../../lib/useLoaded';
import { EmploymentSupportDialog } from './EmploymentSupportDialog';

type StatusRecord = NonNullable<EmploymentView['atStart']>;
const describe = (s: StatusRecord) => `${s.status ?? 'status not stated'}${s.sicknessAbsence ? ', on sickness absence' : ''} (recorded ${formatUkDate(s.date)})`;

/**
 * Employment (issue #10 §6, ref §1 IDS004): the status recorded at the first and the latest contact, and referrals
 * to employment support with their dates.
 */
export function EmploymentPanel({ referralId, open }: { referralId: string; open: boolean }) {
  const { value: view, setValue: setView, failure } = useLoaded(() => api['employment.get']({ referralId }), referralId);
  const [dialog, setDialog] = useState<{ dates?: EmploymentSupport } | null>(null);

  if (failure) return <Alert color="red" role="alert">{failure}</Alert>;
  if (!view) return null;
  const changed = view.atStart && view.latest && view.latest.measureId !== view.atStart.measureId;

  return (
    <Paper withBorder p="md" aria-labelledby="employment-title">
      <Group justify="space-between" mb={4}>
        <Title order={2} size="h4" id="employment-title">Employment</Title>
        {open && <Button variant="default" size="xs" onClick={() => setDialog({})}>Refer to employment support</Button>}
      </Group>
      <Text size="sm" data-testid="employment-status">
        {view.atStart === null
          ? 'Employment status not recorded yet: it is due at the first and the final contact.'
          : changed
            ? `At the start: ${describe(view.atStart)}. Latest: ${describe(view.latest!)}.`
            : `At the start: ${describe(view.atStart)}.`}
      </Text>
      {view.support.length > 0 && (
        <Table aria-label="Employment support" verticalSpacing={4} mt="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Referred to</Table.Th>
              <Table.Th>Referred on</Table.Th>
              <Table.Th>Support started</Table.Th>
              <Table.Th>Support ended</Table.Th>
              <Table.Th><VisuallyHidden>Dates</VisuallyHidden></Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.support.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{s.provider}</Table.Td>
                <Table.Td>{formatUkDate(s.referredOn)}</Table.Td>
                <Table.Td>{s.startedOn ? formatUkDate(s.startedOn) : '—'}</Table.Td>
                <Table.Td>{s.endedOn ? formatUkDate(s.endedOn) : '—'}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="light" onClick={() => setDialog({ dates: s })} aria-label={`Record dates of support from ${s.provider}`}>Record dates</Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {dialog && (
        <EmploymentSupportDialog
          referralId={referralId}
          {...(dialog.dates ? { support: dialog.dates } : {})}
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
