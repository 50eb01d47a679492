import { Alert, Button, Checkbox, Group, Paper, Select, SimpleGrid, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ReferralChanges, type Referral } from '../../../../shared/contract/referrals';
import { OPEN_STATUSES, PATHWAY_LABELS, PATHWAYS, PROBLEM_DESCRIPTORS, REFERRAL_STATUS_LABELS } from '../../../../shared/domain/episodeCodes';
import { api } from '../../lib/api';
import { errorMessage, fieldErrors } from '../../lib/errors';
import { schemaErrors } from '../../lib/forms';
import { useOutcomes } from '../../lib/useOutcomes';

interface Values {
  status: string;
  pathway: string;
  problemDescriptor: string;
  step: string;
  optedIn: string;
  discussInSupervision: boolean;
  ltcImpact: string;
}

function toChanges(v: Values) {
  return {
    status: v.status,
    pathway: v.pathway,
    problemDescriptor: v.problemDescriptor || null,
    step: v.step ? Number(v.step) : null,
    optedIn: v.optedIn === '' ? null : v.optedIn === 'yes',
    discussInSupervision: v.discussInSupervision,
    ltcImpact: v.ltcImpact.trim() ? v.ltcImpact : null,
  };
}

/** Triage and assessment decisions on the episode: where it is, which pathway, the problem descriptor and step. */
export function AssessmentPanel({ referral, onSaved, onNotSuitable }: { referral: Referral; onSaved: (r: Referral) => void; onNotSuitable: () => void }) {
  const outcomes = useOutcomes();
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm<Values>({
    initialValues: {
      status: referral.status === 'discharged' ? 'in-treatment' : referral.status,
      pathway: referral.pathway,
      problemDescriptor: referral.problemDescriptor ?? '',
      step: referral.step ? String(referral.step) : '',
      optedIn: referral.optedIn === null ? '' : referral.optedIn ? 'yes' : 'no',
      discussInSupervision: referral.discussInSupervision,
      ltcImpact: referral.ltcImpact ?? '',
    },
    validate: (v) => schemaErrors(ReferralChanges.partial(), toChanges(v)),
  });
  const adsm = form.values.problemDescriptor ? outcomes.adsmFor(form.values.problemDescriptor) : null;
  const discharged = referral.status === 'discharged';
  const submit = form.onSubmit(async (v) => {
    setFailure(null);
    setSaved(false);
    try {
      onSaved(await api['referrals.update']({ id: referral.id, version: referral.version, changes: toChanges(v) as Parameters<(typeof api)['referrals.update']>[0]['changes'] }));
      setSaved(true);
    } catch (err) {
      const fields = Object.fromEntries(Object.entries(fieldErrors(err)).map(([k, m]) => [k.replace(/^changes\./, ''), m]));
      form.setErrors(fields);
      if (Object.keys(fields).length === 0) setFailure(errorMessage(err));
    }
  });
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">Triage and assessment</Title>
      <form onSubmit={submit} noValidate>
        <fieldset disabled={discharged} style={{ border: 0, padding: 0, margin: 0 }}>
          <SimpleGrid cols={3} spacing="sm">
            <Select label="Status" data={OPEN_STATUSES.map((s) => ({ value: s, label: REFERRAL_STATUS_LABELS[s] }))} allowDeselect={false} {...form.getInputProps('status')} />
            <Select label="Pathway" data={PATHWAYS.map((p) => ({ value: p, label: PATHWAY_LABELS[p] }))} allowDeselect={false} {...form.getInputProps('pathway')} />
            <Select label="Opted in" data={[{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }]} placeholder="Not yet" clearable {...form.getInputProps('optedIn')} />
            <Select
              label="Problem descriptor"
              placeholder="Not assessed yet"
              data={PROBLEM_DESCRIPTORS.map((p) => ({ value: p.code, label: `${p.code} ${p.label}` }))}
              searchable
              clearable
              {...form.getInputProps('problemDescriptor')}
            />
            <Select label="Step" placeholder="Not set" data={['2', '3', '4'].map((s) => ({ value: s, label: `Step ${s}` }))} clearable {...form.getInputProps('step')} />
            <Checkbox mt="xl" label="Discuss in supervision" {...form.getInputProps('discussInSupervision', { type: 'checkbox' })} />
          </SimpleGrid>
          {referral.pathway === 'integrated-ltc' && (
            <Textarea mt="sm" label="Impact of the long-term condition" description="How the condition and the mood or anxiety affect each other" autosize minRows={2} {...form.getInputProps('ltcImpact')} />
          )}
          <Text size="sm" mt="xs" c="gray.7">
            Anxiety measure for outcomes: {adsm ? outcomes.instrument(adsm).title : 'GAD-7'}
            {form.values.problemDescriptor ? '' : ' (until a problem descriptor is recorded)'}
          </Text>
          {failure && <Alert color="red" role="alert" mt="sm">{failure}</Alert>}
          {saved && <Text size="sm" c="teal.9" role="status" mt="sm">Saved.</Text>}
          {!discharged && (
            <Group justify="space-between" mt="sm">
              <Button variant="default" onClick={onNotSuitable}>Not suitable…</Button>
              <Button type="submit" variant="light" loading={form.submitting}>Save triage and assessment</Button>
            </Group>
          )}
        </fieldset>
      </form>
    </Paper>
  );
}
