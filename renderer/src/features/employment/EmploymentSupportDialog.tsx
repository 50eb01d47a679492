import { Alert, Button, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { EmploymentDatesInput, EmploymentReferralInput, type EmploymentSupport, type EmploymentView } from '../../../../shared/contract/employment';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { api } from '../../lib/api';
import { Dialog } from '../../lib/Dialog';
import { isoFromTyped, schemaErrors } from '../../lib/forms';
import { useSaveForm } from '../../lib/useSaveForm';

interface Values {
  provider: string;
  referredOn: string;
  startedOn: string;
  endedOn: string;
}

const optionalDate = (typed: string) => (typed.trim() ? isoFromTyped(typed) : null);

/** A referral to employment support (new), or the dates support started and ended (`support` given). */
export function EmploymentSupportDialog({ referralId, support, onClose, onSaved }: { referralId: string; support?: EmploymentSupport; onClose: () => void; onSaved: (v: EmploymentView) => void }) {
  const toRefer = (v: Values) => ({ referralId, referredOn: isoFromTyped(v.referredOn), provider: v.provider });
  const toDates = (v: Values) => ({ id: support?.id ?? '', version: support?.version ?? 1, startedOn: optionalDate(v.startedOn), endedOn: optionalDate(v.endedOn) });
  const form = useForm<Values>({
    initialValues: {
      provider: support?.provider ?? '',
      referredOn: formatUkDate(support?.referredOn ?? todayIso()),
      startedOn: support?.startedOn ? formatUkDate(support.startedOn) : '',
      endedOn: support?.endedOn ? formatUkDate(support.endedOn) : '',
    },
    validate: (v) =>
      support
        ? schemaErrors(EmploymentDatesInput, toDates(v), { startedOn: v.startedOn, endedOn: v.endedOn })
        : schemaErrors(EmploymentReferralInput, toRefer(v), { referredOn: v.referredOn }),
    validateInputOnBlur: true,
  });
  const { failure, close, submit } = useSaveForm(form, (v: Values) => (support ? api['employment.setDates'](toDates(v)) : api['employment.refer'](toRefer(v))), onSaved, onClose);
  return (
    <Dialog opened onClose={close} title={support ? `Employment support from ${support.provider}` : 'Refer to employment support'}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={2}>
            <TextInput label="Referred to" description="For example: IPS employment adviser" autoComplete="off" disabled={!!support} data-autofocus={!support || undefined} {...form.getInputProps('provider')} />
            <TextInput label="Referred on" description="DD/MM/YYYY" autoComplete="off" disabled={!!support} {...form.getInputProps('referredOn')} />
          </SimpleGrid>
          {support && (
            <SimpleGrid cols={2}>
              <TextInput label="Support started" description="DD/MM/YYYY, or empty" autoComplete="off" data-autofocus {...form.getInputProps('startedOn')} />
              <TextInput label="Support ended" description="DD/MM/YYYY, or empty" autoComplete="off" {...form.getInputProps('endedOn')} />
            </SimpleGrid>
          )}
          {failure && <Alert color="red" role="alert">{failure}</Alert>}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>{support ? 'Save dates' : 'Save referral'}</Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
