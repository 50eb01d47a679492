import { Alert, Button, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { EndPauseInput, PauseInput, type WaitingPause, type WaitingView } from '../../../../shared/contract/waiting';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { api } from '../../lib/api';
import { Dialog } from '../../lib/Dialog';
import { isoFromTyped, schemaErrors } from '../../lib/forms';
import { useSaveForm } from '../../lib/useSaveForm';

interface Values {
  startDate: string;
  endDate: string;
  reason: string;
}

/**
 * A patient-initiated pause in waiting (IDS108): new (dates and reason; the end may be left open), or `ending`
 * an open one with the date waiting resumes.
 */
export function PauseDialog({ referralId, ending, onClose, onSaved }: { referralId: string; ending?: WaitingPause; onClose: () => void; onSaved: (v: WaitingView) => void }) {
  const toNew = (v: Values) => ({ referralId, startDate: isoFromTyped(v.startDate), ...(v.endDate.trim() ? { endDate: isoFromTyped(v.endDate) } : {}), reason: v.reason });
  const toEnd = (v: Values) => ({ id: ending?.id ?? '', version: ending?.version ?? 1, endDate: isoFromTyped(v.endDate) });
  const form = useForm<Values>({
    initialValues: { startDate: ending ? formatUkDate(ending.startDate) : formatUkDate(todayIso()), endDate: ending ? formatUkDate(todayIso()) : '', reason: ending?.reason ?? '' },
    validate: (v) => (ending ? schemaErrors(EndPauseInput, toEnd(v), { endDate: v.endDate }) : schemaErrors(PauseInput, toNew(v), { startDate: v.startDate, endDate: v.endDate })),
    validateInputOnBlur: true,
  });
  const { failure, close, submit } = useSaveForm(form, (v: Values) => (ending ? api['waiting.endPause'](toEnd(v)) : api['waiting.addPause'](toNew(v))), onSaved, onClose);
  return (
    <Dialog opened onClose={close} title={ending ? 'End the pause' : 'Pause in waiting, at the patient’s request'}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={2}>
            <TextInput label="From" description="DD/MM/YYYY" autoComplete="off" disabled={!!ending} data-autofocus={!ending || undefined} {...form.getInputProps('startDate')} />
            <TextInput label={ending ? 'Waiting resumes on' : 'Until (optional)'} description={ending ? 'DD/MM/YYYY' : 'DD/MM/YYYY; leave empty while it goes on'} autoComplete="off" data-autofocus={ending ? true : undefined} {...form.getInputProps('endDate')} />
          </SimpleGrid>
          <TextInput label="Reason" description="What the patient asked for, for example: abroad until the 20th" autoComplete="off" disabled={!!ending} {...form.getInputProps('reason')} />
          {failure && <Alert color="red" role="alert">{failure}</Alert>}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>{ending ? 'End pause' : 'Save pause'}</Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
