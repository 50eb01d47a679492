import { Alert, Button, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ClinicInput, WEEKDAYS, type Clinic } from '../../../../shared/contract/clinics';
import { PATHWAY_LABELS, PATHWAYS } from '../../../../shared/domain/episodeCodes';
import { api } from '../../lib/api';
import { schemaErrors } from '../../lib/forms';
import { Dialog } from '../../lib/Dialog';
import { useSaveForm } from '../../lib/useSaveForm';
import { useLtcOptions } from '../../lib/useOutcomes';

interface Values {
  name: string;
  site: string;
  weekday: string;
  startTime: string;
  endTime: string;
  pathway: string;
  ltcCode: string | null;
}

const toInput = (v: Values) => ({ ...v, weekday: Number(v.weekday), ltcCode: v.ltcCode || null });

/** A clinic the team runs every week ("Tuesday diabetes clinic" at "Lister Hospital"): a new one, or `clinic` changed. */
export function ClinicDialog({ clinic, onClose, onSaved }: { clinic?: Clinic; onClose: () => void; onSaved: (c: Clinic) => void }) {
  const ltcOptions = useLtcOptions();
  const form = useForm<Values>({
    initialValues: clinic
      ? { name: clinic.name, site: clinic.site, weekday: String(clinic.weekday), startTime: clinic.startTime, endTime: clinic.endTime, pathway: clinic.pathway, ltcCode: clinic.ltcCode }
      : { name: '', site: '', weekday: '2', startTime: '09:00', endTime: '13:00', pathway: 'integrated-ltc', ltcCode: null },
    validate: (v) => schemaErrors(ClinicInput, toInput(v)),
    validateInputOnBlur: true,
  });
  const { failure, close, submit } = useSaveForm(
    form,
    (v: Values) => {
      const input = toInput(v) as Parameters<(typeof api)['clinics.create']>[0];
      return clinic ? api['clinics.update']({ id: clinic.id, version: clinic.version, changes: input }) : api['clinics.create'](input);
    },
    onSaved,
    onClose,
  );
  return (
    <Dialog opened onClose={close} title={clinic ? `Change ${clinic.name}` : 'New clinic'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={2}>
            <TextInput label="Clinic name" description="What the team calls it" autoComplete="off" data-autofocus {...form.getInputProps('name')} />
            <TextInput label="Site" description="Hospital or practice, and the room" autoComplete="off" {...form.getInputProps('site')} />
          </SimpleGrid>
          <SimpleGrid cols={3}>
            <Select label="Weekday" data={WEEKDAYS.map((d, i) => ({ value: String(i + 1), label: d }))} allowDeselect={false} {...form.getInputProps('weekday')} />
            <TextInput label="Starts" description="HH:MM" autoComplete="off" {...form.getInputProps('startTime')} />
            <TextInput label="Ends" description="HH:MM" autoComplete="off" {...form.getInputProps('endTime')} />
          </SimpleGrid>
          <SimpleGrid cols={2}>
            <Select label="Pathway" data={PATHWAYS.map((p) => ({ value: p, label: PATHWAY_LABELS[p] }))} allowDeselect={false} {...form.getInputProps('pathway')} />
            <Select label="Long-term condition" placeholder="Any" clearable data={ltcOptions.map((o) => ({ value: o.code, label: o.label }))} {...form.getInputProps('ltcCode')} />
          </SimpleGrid>
          {failure && <Alert color="red" role="alert">{failure}</Alert>}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Save clinic</Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
