import { Alert, Button, Group, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { BookingInput, type Appointment } from '../../../../shared/contract/appointments';
import type { Clinic } from '../../../../shared/contract/clinics';
import { formatUkDate } from '../../../../shared/domain/dates';
import { CONSULTATION_MECHANISM_LIST, CONSULTATION_MECHANISMS } from '../../../../shared/domain/episodeCodes';
import { formatNhsNumber } from '../../../../shared/domain/nhsNumber';
import type { User } from '../../../../shared/domain/people';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { isoFromTyped, schemaErrors } from '../../lib/forms';
import { Dialog } from '../../lib/Dialog';
import { useSaveForm } from '../../lib/useSaveForm';
import { CONTACT_TYPES } from '../../../../shared/outcomes';
import { contactTypeLabel } from '../sessions/NewContactDialog';

interface Values {
  referralId: string | null;
  date: string;
  startTime: string;
  durationMinutes: number | string;
  type: string;
  mechanism: string;
  clinicId: string;
  location: string;
  clinicianId: string;
}

/** The form's word for an appointment outside any clinic (a call, a home visit). */
const NO_CLINIC = 'none';
/** The form's word for the clinician using this device (the service's default). */
const ME = 'me';
const BOOKABLE_TYPES = CONTACT_TYPES.filter((t) => t !== 'employment-support');

function toInput(v: Values) {
  return {
    referralId: v.referralId ?? '',
    date: isoFromTyped(v.date),
    startTime: v.startTime,
    durationMinutes: typeof v.durationMinutes === 'number' ? v.durationMinutes : Number.NaN,
    type: v.type,
    mechanism: v.mechanism,
    clinicId: v.clinicId === NO_CLINIC ? null : v.clinicId,
    ...(v.location.trim() ? { location: v.location } : {}),
    ...(v.clinicianId !== ME ? { clinicianId: v.clinicianId } : {}),
  };
}

/** Books a patient's open episode into a clinic (or outside one) on a day still to come. */
export function BookDialog({ opened, onClose, onSaved, clinics, colleagues, defaults, forOthersOnly = false }: {
  opened: boolean;
  onClose: () => void;
  onSaved: (a: Appointment) => void;
  clinics: Clinic[];
  colleagues: User[];
  defaults: { date: string; clinicId: string | null; clinicianId: string | null };
  /** A booking clerk books into clinicians' diaries, never their own. */
  forOthersOnly?: boolean;
}) {
  const firstChoice = defaults.clinicianId ?? (forOthersOnly ? '' : ME);
  const [episodes, setEpisodes] = useState<{ value: string; label: string }[]>([]);
  const form = useForm<Values>({
    initialValues: { referralId: null, date: formatUkDate(defaults.date), startTime: '09:00', durationMinutes: 50, type: 'treatment', mechanism: '01', clinicId: defaults.clinicId ?? NO_CLINIC, location: '', clinicianId: firstChoice },
    validate: (v) => ({ ...schemaErrors(BookingInput, toInput(v), { date: v.date }), ...(v.clinicianId === '' ? { clinicianId: 'Choose whose diary it goes in' } : {}) }),
    validateInputOnBlur: true,
  });
  const { failure, setFailure, close, submit } = useSaveForm(form, (v: Values) => api['appointments.book'](toInput(v) as Parameters<(typeof api)['appointments.book']>[0]), onSaved, onClose);
  useEffect(() => {
    if (!opened) return;
    form.setValues({ date: formatUkDate(defaults.date), clinicId: defaults.clinicId ?? NO_CLINIC, clinicianId: firstChoice });
    api['appointments.bookable']({})
      .then(({ referrals }) => setEpisodes(referrals.map((r) => ({ value: r.referralId, label: `${r.familyName.toUpperCase()}, ${r.givenName} · ${formatNhsNumber(r.nhsNumber)}` }))))
      .catch((err: unknown) => setFailure(errorMessage(err)));
    // Only on opening: the defaults are the day and clinic on screen at that moment.
  }, [opened]);
  return (
    <Dialog opened={opened} onClose={close} title="Book an appointment" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={2}>
            <Select label="Patient" description="Patients with an open referral" placeholder="Type a name or NHS number" searchable data={episodes} nothingFoundMessage="No open referral matches" data-autofocus {...form.getInputProps('referralId')} />
            <Select label="Clinician" description="Whose diary it goes in" data={[...(forOthersOnly ? [] : [{ value: ME, label: 'Me' }]), ...colleagues.map((u) => ({ value: u.id, label: u.displayName }))]} placeholder="Choose a clinician" allowDeselect={false} {...form.getInputProps('clinicianId')} />
          </SimpleGrid>
          <SimpleGrid cols={3}>
            <TextInput label="Date" description="DD/MM/YYYY" autoComplete="off" {...form.getInputProps('date')} />
            <TextInput label="Start time" description="HH:MM" autoComplete="off" {...form.getInputProps('startTime')} />
            <NumberInput label="Minutes" description="Length" min={5} max={480} {...form.getInputProps('durationMinutes')} />
          </SimpleGrid>
          <SimpleGrid cols={2}>
            <Select label="Type" data={BOOKABLE_TYPES.map((t) => ({ value: t, label: contactTypeLabel(t) }))} allowDeselect={false} {...form.getInputProps('type')} />
            <Select label="Medium" data={CONSULTATION_MECHANISM_LIST.map((m) => ({ value: m, label: `${CONSULTATION_MECHANISMS[m]} (${m})` }))} allowDeselect={false} {...form.getInputProps('mechanism')} />
            <Select label="Clinic" data={[{ value: NO_CLINIC, label: 'No clinic' }, ...clinics.map((c) => ({ value: c.id, label: `${c.name} · ${c.site}` }))]} allowDeselect={false} {...form.getInputProps('clinicId')} />
            <TextInput label="Location" description="Leave empty for the clinic's site" autoComplete="off" {...form.getInputProps('location')} />
          </SimpleGrid>
          {failure && <Alert color="red" role="alert">{failure}</Alert>}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Book appointment</Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
