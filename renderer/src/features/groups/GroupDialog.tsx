import { Alert, Button, Group, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { GroupInput, type GroupView } from '../../../../shared/contract/groups';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { GROUP_CONDITION_LABELS, GROUP_CONDITIONS, suggestedGroupTitle, type GroupCondition } from '../../../../shared/domain/groups';
import { api } from '../../lib/api';
import { Dialog } from '../../lib/Dialog';
import { isoFromTyped, schemaErrors } from '../../lib/forms';
import { useSaveForm } from '../../lib/useSaveForm';

interface Values {
  condition: string;
  title: string;
  coFacilitatorName: string;
  coFacilitatorRole: string;
  location: string;
  startsOn: string;
  plannedSessions: number | string;
}

const toInput = (v: Values) => ({ ...v, startsOn: isoFromTyped(v.startsOn), plannedSessions: Number(v.plannedSessions) });

/** A new condition-specific course, run with a named physical-health colleague (issue #10 §7). */
export function GroupDialog({ onClose, onSaved }: { onClose: () => void; onSaved: (g: GroupView) => void }) {
  const form = useForm<Values>({
    initialValues: { condition: 'diabetes', title: suggestedGroupTitle('diabetes'), coFacilitatorName: '', coFacilitatorRole: '', location: '', startsOn: formatUkDate(todayIso()), plannedSessions: 6 },
    validate: (v) => schemaErrors(GroupInput, toInput(v), { startsOn: v.startsOn }),
    validateInputOnBlur: true,
  });
  const { failure, close, submit } = useSaveForm(form, (v: Values) => api['groups.create'](toInput(v) as Parameters<(typeof api)['groups.create']>[0]), onSaved, onClose);
  const chooseCondition = (value: string | null) => {
    if (!value) return;
    // A title still as suggested follows the condition; one the clinician wrote stays.
    const suggested = GROUP_CONDITIONS.some((c) => suggestedGroupTitle(c) === form.values.title);
    form.setFieldValue('condition', value);
    if (suggested) form.setFieldValue('title', suggestedGroupTitle(value as GroupCondition));
  };
  return (
    <Dialog opened onClose={close} title="New group course" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={2}>
            <Select label="Condition" data={GROUP_CONDITIONS.map((c) => ({ value: c, label: GROUP_CONDITION_LABELS[c] }))} allowDeselect={false} data-autofocus {...form.getInputProps('condition')} onChange={chooseCondition} />
            <TextInput label="Course title" autoComplete="off" {...form.getInputProps('title')} />
          </SimpleGrid>
          <SimpleGrid cols={2}>
            <TextInput label="Co-facilitator" description="The physical-health colleague running it with you" autoComplete="off" {...form.getInputProps('coFacilitatorName')} />
            <TextInput label="Their role" description="For example: Diabetes specialist nurse" autoComplete="off" {...form.getInputProps('coFacilitatorRole')} />
          </SimpleGrid>
          <SimpleGrid cols={3}>
            <TextInput label="Where it meets" autoComplete="off" {...form.getInputProps('location')} />
            <TextInput label="First session" description="DD/MM/YYYY" autoComplete="off" {...form.getInputProps('startsOn')} />
            <NumberInput label="Sessions planned" min={1} max={24} allowDecimal={false} {...form.getInputProps('plannedSessions')} />
          </SimpleGrid>
          {failure && <Alert color="red" role="alert">{failure}</Alert>}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Create course</Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
