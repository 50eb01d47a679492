import { Alert, Button, Group, Paper, Select, SimpleGrid, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { CarePlanInput, type CarePlanView } from '../../../../shared/contract/carePlan';
import type { Step } from '../../../../shared/outcomes';
import { api } from '../../lib/api';
import { showSaveError } from '../../lib/errors';
import { schemaErrors } from '../../lib/forms';
import { therapyOptions } from './therapyOptions';

const STEP_OPTIONS = [
  { value: '2', label: 'Step 2 · low intensity' },
  { value: '3', label: 'Step 3 · high intensity' },
  { value: '4', label: 'Step 4' },
];

/** The step (the referral's own) and the intervention, a therapy type of that step's intensity (ref §5.5, §5.7). */
export function PlanForm({ view, onSaved }: { view: CarePlanView; onSaved: (v: CarePlanView) => void }) {
  const [step, setStep] = useState<string | null>(view.referral.step ? String(view.referral.step) : null);
  const [therapyType, setTherapyType] = useState<string | null>(view.plan?.therapyType ?? null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  const closed = view.referral.status === 'discharged';
  const options = therapyOptions(step ? (Number(step) as Step) : null);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaved(false);
    setFailure(null);
    const input = { referralId: view.referral.id, version: view.plan?.version ?? null, step: step ? Number(step) : undefined, therapyType: therapyType ?? undefined };
    const problems = schemaErrors(CarePlanInput, input);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setSaving(true);
    try {
      onSaved(await api['carePlan.save'](input as Parameters<(typeof api)['carePlan.save']>[0]));
      setSaved(true);
    } catch (err) {
      showSaveError(err, setErrors, setFailure);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">Step and intervention</Title>
      <form onSubmit={(e) => void save(e)} noValidate>
        <fieldset disabled={closed} style={{ border: 0, padding: 0, margin: 0 }}>
          <SimpleGrid cols={2} spacing="sm">
            <Select
              label="Step"
              placeholder="Choose"
              data={STEP_OPTIONS}
              value={step}
              allowDeselect={false}
              onChange={(s) => {
                setStep(s);
                // A therapy type of the other intensity no longer fits: ask again rather than keep it silently.
                if (therapyType && !therapyOptions(s ? (Number(s) as Step) : null).some((o) => o.value === therapyType)) setTherapyType(null);
              }}
              error={errors.step}
            />
            <Select
              label="Intervention (therapy type)"
              description="The data set's therapy type for this step"
              placeholder={step ? 'Choose' : 'Choose the step first'}
              data={options}
              value={therapyType}
              onChange={setTherapyType}
              error={errors.therapyType}
              searchable
            />
          </SimpleGrid>
          {failure && <Alert color="red" role="alert" mt="sm">{failure}</Alert>}
          {saved && <Text size="sm" c="teal.9" role="status" mt="sm">Care plan saved.</Text>}
          {!closed && (
            <Group justify="flex-end" mt="sm">
              <Button type="submit" variant="light" loading={saving}>Save care plan</Button>
            </Group>
          )}
        </fieldset>
      </form>
    </Paper>
  );
}
