import { Alert, Button, Group, NumberInput, Select, SimpleGrid, Stack, Table, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { GroupSessionInput, type GroupView } from '../../../../shared/contract/groups';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { ATTENDANCE_LABELS, CONSULTATION_MECHANISMS } from '../../../../shared/domain/episodeCodes';
import { api } from '../../lib/api';
import { Dialog } from '../../lib/Dialog';
import { isoFromTyped, schemaErrors } from '../../lib/forms';
import { useSaveForm } from '../../lib/useSaveForm';

interface Values {
  date: string;
  startTime: string;
  durationMinutes: number | string;
  mechanism: string;
  /** Attendance code per member's referral, as the select holds it. */
  attendance: Record<string, string>;
}

const ATTENDANCE_OPTIONS = Object.entries(ATTENDANCE_LABELS).map(([code, label]) => ({ value: code, label: `${code} · ${label}` }));

/** One meeting of the course: when, and what happened for each active member (ref §5.4 codes 2–7). */
export function RecordSessionDialog({ view, onClose, onSaved }: { view: GroupView; onClose: () => void; onSaved: (g: GroupView) => void }) {
  const active = view.members.filter((m) => m.active);
  const last = view.sessions[view.sessions.length - 1];
  const toInput = (v: Values) => ({
    groupId: view.group.id,
    date: isoFromTyped(v.date),
    startTime: v.startTime,
    durationMinutes: Number(v.durationMinutes),
    mechanism: v.mechanism,
    attendance: active.map((m) => ({ referralId: m.referralId, attendance: Number(v.attendance[m.referralId]) })),
  });
  const form = useForm<Values>({
    initialValues: {
      date: formatUkDate(todayIso()),
      startTime: last?.startTime ?? '14:00',
      durationMinutes: last?.durationMinutes ?? 90,
      mechanism: '01',
      attendance: Object.fromEntries(active.map((m) => [m.referralId, '5'])),
    },
    validate: (v) => schemaErrors(GroupSessionInput, toInput(v), { date: v.date }),
    validateInputOnBlur: true,
  });
  const { failure, close, submit } = useSaveForm(form, (v: Values) => api['groups.recordSession'](toInput(v) as Parameters<(typeof api)['groups.recordSession']>[0]), onSaved, onClose);
  return (
    <Dialog opened onClose={close} title={`Record session ${view.sessions.length + 1} of ${view.group.title}`} size="xl">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={4}>
            <TextInput label="Date" description="DD/MM/YYYY" autoComplete="off" data-autofocus {...form.getInputProps('date')} />
            <TextInput label="Start time" description="HH:MM" autoComplete="off" {...form.getInputProps('startTime')} />
            <NumberInput label="Length (minutes)" min={15} max={240} allowDecimal={false} {...form.getInputProps('durationMinutes')} />
            <Select label="Medium" data={Object.entries(CONSULTATION_MECHANISMS).map(([value, label]) => ({ value, label }))} allowDeselect={false} {...form.getInputProps('mechanism')} />
          </SimpleGrid>
          <Table aria-label="Attendance" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Member</Table.Th>
                <Table.Th>Attendance</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {active.map((m) => (
                <Table.Tr key={m.referralId}>
                  <Table.Td>{m.name}</Table.Td>
                  <Table.Td>
                    <Select aria-label={`Attendance of ${m.name}`} data={ATTENDANCE_OPTIONS} allowDeselect={false} {...form.getInputProps(`attendance.${m.referralId}`)} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {form.errors.attendance && <Alert color="red" role="alert">{form.errors.attendance}</Alert>}
          {failure && <Alert color="red" role="alert">{failure}</Alert>}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Save session</Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
