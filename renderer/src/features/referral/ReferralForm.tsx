import { Alert, Button, Checkbox, Group, MultiSelect, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ReferralInput, type Referral } from '../../../../shared/contract/referrals';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { PATHWAY_LABELS, PATHWAYS, REFERRER_ROLE_LABELS, REFERRER_ROLES } from '../../../../shared/domain/episodeCodes';
import { api } from '../../lib/api';
import { isoFromTyped, schemaErrors } from '../../lib/forms';
import { Dialog } from '../../lib/Dialog';
import { useSaveForm } from '../../lib/useSaveForm';
import { useLtcOptions } from '../../lib/useOutcomes';

interface Values {
  receivedDate: string;
  referrerRole: string;
  referrerName: string;
  ltcCodes: string[];
  reason: string;
  riskKnown: boolean;
  riskDetails: string;
  consent: boolean;
  urgency: string;
  pathway: string;
  team: string;
}

function toInput(patientId: string, v: Values) {
  return {
    patientId,
    receivedDate: isoFromTyped(v.receivedDate),
    referrerRole: v.referrerRole,
    ...(v.referrerName.trim() ? { referrerName: v.referrerName } : {}),
    ltcCodes: v.ltcCodes,
    reason: v.reason,
    riskKnown: v.riskKnown,
    ...(v.riskKnown && v.riskDetails.trim() ? { riskDetails: v.riskDetails } : {}),
    consent: v.consent,
    urgency: v.urgency,
    pathway: v.pathway,
    team: v.team,
  };
}

/** A referral captured in clinic (issue #8 item 1): it waits for the single point of access once saved. */
export function ReferralForm({ patientId, opened, onClose, onSaved, prefill }: { patientId: string; opened: boolean; onClose: () => void; onSaved: (r: Referral) => void; prefill?: Partial<Values> }) {
  // The service's list: its own codes for the conditions the reference does not code.
  const ltcList = useLtcOptions();
  const form = useForm<Values>({
    initialValues: {
      receivedDate: formatUkDate(todayIso()),
      referrerRole: '',
      referrerName: '',
      ltcCodes: [],
      reason: '',
      riskKnown: false,
      riskDetails: '',
      consent: false,
      urgency: 'routine',
      pathway: 'integrated-ltc',
      team: '',
      ...prefill,
    },
    validate: (v) => schemaErrors(ReferralInput, toInput(patientId, v), { receivedDate: v.receivedDate }),
    validateInputOnBlur: true,
  });
  const { failure, close, submit } = useSaveForm(form, (values: Values) => api['referrals.create'](toInput(patientId, values) as Parameters<(typeof api)['referrals.create']>[0]), onSaved, onClose);
  return (
    <Dialog opened={opened} onClose={close} title="New referral" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={2}>
            <TextInput label="Received" description="DD/MM/YYYY" autoComplete="off" data-autofocus {...form.getInputProps('receivedDate')} />
            <Select label="Referred by" placeholder="Choose" data={REFERRER_ROLES.map((r) => ({ value: r, label: REFERRER_ROLE_LABELS[r] }))} {...form.getInputProps('referrerRole')} />
            <TextInput label="Referrer's name" description="Optional" autoComplete="off" {...form.getInputProps('referrerName')} />
            <TextInput label="Team" description="Clinic or practice the referral belongs to" autoComplete="off" {...form.getInputProps('team')} />
          </SimpleGrid>
          <MultiSelect label="Long-term conditions" placeholder="Choose any" data={ltcList.map((o) => ({ value: o.code, label: o.label }))} searchable {...form.getInputProps('ltcCodes')} />
          <Textarea label="Reason for referral" autosize minRows={2} {...form.getInputProps('reason')} />
          <Checkbox label="The referrer knows of a risk" {...form.getInputProps('riskKnown', { type: 'checkbox' })} />
          {form.values.riskKnown && <Textarea label="Risk the referrer described" autosize minRows={2} {...form.getInputProps('riskDetails')} />}
          <SimpleGrid cols={2}>
            <Select label="Urgency" data={[{ value: 'routine', label: 'Routine' }, { value: 'urgent', label: 'Urgent' }]} allowDeselect={false} {...form.getInputProps('urgency')} />
            <Select label="Pathway" data={PATHWAYS.map((p) => ({ value: p, label: PATHWAY_LABELS[p] }))} allowDeselect={false} {...form.getInputProps('pathway')} />
          </SimpleGrid>
          <Checkbox label="The patient consents to this referral" {...form.getInputProps('consent', { type: 'checkbox' })} />
          {failure && <Alert color="red" role="alert">{failure}</Alert>}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Save referral</Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
