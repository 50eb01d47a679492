import { Alert, Button, Group, NumberInput, Radio, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { CancelInput, RescheduleInput, type Appointment } from '../../../../shared/contract/appointments';
import { formatUkDate } from '../../../../shared/domain/dates';
import { ATTENDANCE_LABELS } from '../../../../shared/domain/episodeCodes';
import { api } from '../../lib/api';
import { showSaveError } from '../../lib/errors';
import { isoFromTyped, schemaErrors } from '../../lib/forms';
import { Dialog } from '../../lib/Dialog';

interface Values {
  cancelledBy: string;
  reason: string;
  date: string;
  startTime: string;
  durationMinutes: number | string;
}

/**
 * Cancel or reschedule one booking. Either way the booking is closed with the data set's code for who asked
 * (2 patient, 4 service; ref §5.4); a reschedule also books the new time, linked to the old.
 */
export function ChangeBookingDialog({ mode, appointment, patientName, onClose, onSaved }: { mode: 'cancel' | 'reschedule'; appointment: Appointment; patientName: string; onClose: () => void; onSaved: () => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const rescheduling = mode === 'reschedule';
  const alreadyCancelled = appointment.attendance !== null;
  const toInput = (v: Values) => ({
    id: appointment.id,
    version: appointment.version,
    cancelledBy: v.cancelledBy,
    ...(v.reason.trim() ? { reason: v.reason } : {}),
    ...(rescheduling ? { date: isoFromTyped(v.date), startTime: v.startTime, durationMinutes: typeof v.durationMinutes === 'number' ? v.durationMinutes : Number.NaN } : {}),
  });
  const form = useForm<Values>({
    initialValues: { cancelledBy: 'patient', reason: '', date: formatUkDate(appointment.date), startTime: appointment.startTime, durationMinutes: appointment.durationMinutes },
    validate: (v) => schemaErrors(rescheduling ? RescheduleInput : CancelInput, toInput(v), rescheduling ? { date: v.date } : {}),
    validateInputOnBlur: true,
  });
  const submit = form.onSubmit(async (v) => {
    setFailure(null);
    try {
      if (rescheduling) await api['appointments.reschedule'](toInput(v) as Parameters<(typeof api)['appointments.reschedule']>[0]);
      else await api['appointments.cancel'](toInput(v) as Parameters<(typeof api)['appointments.cancel']>[0]);
      onSaved();
    } catch (err) {
      showSaveError(err, form.setErrors, setFailure);
    }
  });
  const title = rescheduling ? (alreadyCancelled ? 'Rebook a cancelled appointment' : 'Reschedule appointment') : 'Cancel appointment';
  return (
    <Dialog opened onClose={onClose} title={title} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">
            {patientName} · booked for {formatUkDate(appointment.date)} at {appointment.startTime} ({appointment.durationMinutes} minutes)
            {alreadyCancelled && appointment.attendance !== null ? ` · ${ATTENDANCE_LABELS[appointment.attendance]}` : ''}
          </Text>
          {!alreadyCancelled && (
            <Radio.Group label={rescheduling ? 'Who asked to move it' : 'Who cancelled'} {...form.getInputProps('cancelledBy')}>
              <Group mt={4}>
                <Radio value="patient" label={`The patient (${ATTENDANCE_LABELS[2]}, code 2)`} />
                <Radio value="service" label={`The service (${ATTENDANCE_LABELS[4]}, code 4)`} />
              </Group>
            </Radio.Group>
          )}
          {rescheduling && (
            <SimpleGrid cols={3}>
              <TextInput label="New date" description="DD/MM/YYYY" autoComplete="off" data-autofocus {...form.getInputProps('date')} />
              <TextInput label="New start time" description="HH:MM" autoComplete="off" {...form.getInputProps('startTime')} />
              <NumberInput label="Minutes" description="Length" min={5} max={480} {...form.getInputProps('durationMinutes')} />
            </SimpleGrid>
          )}
          {!alreadyCancelled && <TextInput label="Reason" description="Optional" autoComplete="off" {...form.getInputProps('reason')} />}
          {failure && <Alert color="red" role="alert">{failure}</Alert>}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>Back</Button>
            <Button type="submit" color={rescheduling ? undefined : 'red.8'} loading={form.submitting}>{rescheduling ? 'Book the new time' : 'Cancel the appointment'}</Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
