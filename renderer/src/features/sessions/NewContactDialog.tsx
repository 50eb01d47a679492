import { Alert, Button, Group, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ContactInput, type Contact } from '../../../../shared/contract/contacts';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { ATTENDANCE_LABELS, CONSULTATION_MECHANISM_LIST, CONSULTATION_MECHANISMS } from '../../../../shared/domain/episodeCodes';
import { CONTACT_TYPES } from '../../../../shared/outcomes';
import { api } from '../../lib/api';
import { isoFromTyped, schemaErrors } from '../../lib/forms';
import { Dialog } from '../../lib/Dialog';
import { useSaveForm } from '../../lib/useSaveForm';

const TYPE_LABELS: Record<(typeof CONTACT_TYPES)[number], string> = {
  assessment: 'Assessment',
  treatment: 'Treatment',
  'assessment-and-treatment': 'Assessment and treatment',
  'review-and-treatment': 'Review and treatment',
  'follow-up': 'Follow-up after discharge',
  other: 'Other',
  'employment-support': 'Employment support',
};
export const contactTypeLabel = (t: string) => TYPE_LABELS[t as keyof typeof TYPE_LABELS] ?? t;

/** "booked" is the form's word for no attendance code yet: the contact is in the diary, not yet happened. */
const BOOKED = 'booked';

interface Values {
  date: string;
  startTime: string;
  durationMinutes: number | string;
  type: string;
  mechanism: string;
  location: string;
  attendance: string;
}

function toInput(referralId: string, v: Values) {
  return {
    referralId,
    date: isoFromTyped(v.date),
    startTime: v.startTime,
    durationMinutes: typeof v.durationMinutes === 'number' ? v.durationMinutes : Number.NaN,
    type: v.type,
    mechanism: v.mechanism,
    location: v.location,
    attendance: v.attendance === BOOKED ? null : Number(v.attendance),
  };
}

function nowTime(): string {
  const d = new Date();
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes() - (d.getMinutes() % 5)).padStart(2, '0')}`;
}

/** Records a contact: one that happened (with its attendance code) or one booked ahead. */
export function NewContactDialog({ referralId, opened, onClose, onSaved, defaults }: { referralId: string; opened: boolean; onClose: () => void; onSaved: (c: Contact) => void; defaults: { location: string; type: string; date?: string; booked?: boolean } }) {
  const form = useForm<Values>({
    initialValues: {
      date: formatUkDate(defaults.date ?? todayIso()),
      startTime: nowTime(),
      durationMinutes: 50,
      type: defaults.type,
      mechanism: '01',
      location: defaults.location,
      attendance: defaults.booked ? BOOKED : '5',
    },
    validate: (v) => schemaErrors(ContactInput, toInput(referralId, v), { date: v.date }),
    validateInputOnBlur: true,
  });
  const { failure, close, submit } = useSaveForm(form, (v: Values) => api['contacts.create'](toInput(referralId, v) as Parameters<(typeof api)['contacts.create']>[0]), onSaved, onClose);
  return (
    <Dialog opened={opened} onClose={close} title="Record a contact" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={3}>
            <TextInput label="Date" description="DD/MM/YYYY" autoComplete="off" data-autofocus {...form.getInputProps('date')} />
            <TextInput label="Start time" description="HH:MM" autoComplete="off" {...form.getInputProps('startTime')} />
            <NumberInput label="Minutes" description="Duration" min={1} max={480} {...form.getInputProps('durationMinutes')} />
          </SimpleGrid>
          <SimpleGrid cols={2}>
            <Select label="Type" data={CONTACT_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))} allowDeselect={false} {...form.getInputProps('type')} />
            <Select label="Medium" data={CONSULTATION_MECHANISM_LIST.map((m) => ({ value: m, label: `${CONSULTATION_MECHANISMS[m]} (${m})` }))} allowDeselect={false} {...form.getInputProps('mechanism')} />
            <TextInput label="Location" description="Clinic, GP practice, home or video" autoComplete="off" {...form.getInputProps('location')} />
            <Select
              label="Attendance"
              data={[{ value: BOOKED, label: 'Booked — not happened yet' }, ...[5, 6, 7, 3, 2, 4].map((c) => ({ value: String(c), label: `${ATTENDANCE_LABELS[c]} (${c})` }))]}
              allowDeselect={false}
              {...form.getInputProps('attendance')}
            />
          </SimpleGrid>
          {failure && <Alert color="red" role="alert">{failure}</Alert>}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Save contact</Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
