import { Alert, Button, Checkbox, Group, Radio, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { RiskAssessmentInput } from '../../../../shared/contract/risk';
import { formatUkDate } from '../../../../shared/domain/dates';
import { RISK_LEVELS } from '../../../../shared/domain/episodeCodes';
import { api } from '../../lib/api';
import { showSaveError } from '../../lib/errors';
import { isoFromTyped, schemaErrors } from '../../lib/forms';
import { Dialog } from '../../lib/Dialog';

interface Values {
  thoughts: boolean;
  plans: boolean;
  intent: boolean;
  protectiveFactors: string;
  level: string;
  plan: string;
  nextReviewDate: string;
}

/** The structured risk review (issue #8 item 4); saving it answers the referral's open item-9 alerts. */
export function RiskReviewDialog({ referralId, contactId, date, opened, onClose, onSaved }: { referralId: string; contactId?: string; date: string; opened: boolean; onClose: () => void; onSaved: () => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const toInput = (v: Values) => ({ referralId, ...(contactId ? { contactId } : {}), date, ...v, nextReviewDate: isoFromTyped(v.nextReviewDate) });
  const form = useForm<Values>({
    initialValues: { thoughts: true, plans: false, intent: false, protectiveFactors: '', level: '', plan: '', nextReviewDate: '' },
    validate: (v) => schemaErrors(RiskAssessmentInput, toInput(v), { nextReviewDate: v.nextReviewDate }),
    validateInputOnBlur: true,
  });
  const submit = form.onSubmit(async (v) => {
    setFailure(null);
    try {
      await api['risk.record'](toInput(v) as Parameters<(typeof api)['risk.record']>[0]);
      form.reset();
      onSaved();
    } catch (err) {
      showSaveError(err, form.setErrors, setFailure);
    }
  });
  return (
    <Dialog opened={opened} onClose={onClose} title={`Risk review, ${formatUkDate(date)}`} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Group>
            <Checkbox label="Thoughts of self-harm or suicide" data-autofocus {...form.getInputProps('thoughts', { type: 'checkbox' })} />
            <Checkbox label="Plans" {...form.getInputProps('plans', { type: 'checkbox' })} />
            <Checkbox label="Intent" {...form.getInputProps('intent', { type: 'checkbox' })} />
          </Group>
          <Textarea label="Protective factors" autosize minRows={2} {...form.getInputProps('protectiveFactors')} />
          <Radio.Group label="Risk level" {...form.getInputProps('level')}>
            <Group mt={4}>
              {RISK_LEVELS.map((l) => (
                <Radio key={l} value={l} label={l[0]!.toUpperCase() + l.slice(1)} />
              ))}
            </Group>
          </Radio.Group>
          <Textarea label="Risk plan" autosize minRows={2} {...form.getInputProps('plan')} />
          <SimpleGrid cols={2}>
            <TextInput label="Next review" description="DD/MM/YYYY" autoComplete="off" {...form.getInputProps('nextReviewDate')} />
          </SimpleGrid>
          {failure && <Alert color="red" role="alert">{failure}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Save risk review</Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
