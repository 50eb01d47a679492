import { Alert, Button, Group, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { StepChangeInput } from '../../../../shared/contract/carePlan';
import type { Contact } from '../../../../shared/contract/contacts';
import type { Referral } from '../../../../shared/contract/referrals';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { END_CODES } from '../../../../shared/domain/episodeCodes';
import { ROLE_LABELS, type User } from '../../../../shared/domain/people';
import { STEP_CHANGE_SOURCE, stepChangeEndCode, stepDirection } from '../../../../shared/domain/stepChange';
import { REFERRAL_SOURCES, TREATMENT_TYPES, type Step } from '../../../../shared/outcomes';
import { api } from '../../lib/api';
import { Dialog } from '../../lib/Dialog';
import { showSaveError } from '../../lib/errors';
import { isoFromTyped, schemaErrors } from '../../lib/forms';

/**
 * Step up or down (ref §5.7): says before confirming exactly what will happen — this referral's end code and
 * date, and the new referral's source (N1/N2, ref §5.2), step and caseholder — then does it in one step.
 */
export function StepChangeDialog({
  referral,
  contacts,
  ownId,
  opened,
  onClose,
  onChanged,
}: {
  referral: Referral;
  contacts: Contact[];
  ownId: string;
  opened: boolean;
  onClose: () => void;
  onChanged: (opened: Referral) => void;
}) {
  const from = referral.step as Step;
  const [toStep, setToStep] = useState<string | null>(from === 2 ? '3' : from === 3 ? '2' : '3');
  const [reason, setReason] = useState('');
  const [date, setDate] = useState(formatUkDate(todayIso()));
  const [caseholderId, setCaseholderId] = useState<string | null>(ownId || null);
  const [people, setPeople] = useState<User[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!opened) return;
    api['users.list']({}).then(
      (r) => setPeople(r.users.filter((u) => u.active && (u.role === 'pwp' || u.role === 'hit' || u.role === 'supervisor'))),
      () => setPeople([]),
    );
  }, [opened]);

  const iso = isoFromTyped(date);
  const direction = toStep ? stepDirection(from, Number(toStep) as Step) : null;
  const treated = contacts.filter((c) => TREATMENT_TYPES.has(c.type) && (c.attendance === 5 || c.attendance === 6) && c.date <= iso).length;
  const endCode = stepChangeEndCode(treated);
  const source = direction ? STEP_CHANGE_SOURCE[direction] : null;
  const sourceLabel = REFERRAL_SOURCES.find((s) => s.code === source)?.label;

  const confirm = async () => {
    setFailure(null);
    const input = { referralId: referral.id, version: referral.version, toStep: toStep ? Number(toStep) : undefined, reason, date: iso, ...(caseholderId ? { caseholderId } : {}) };
    const problems = schemaErrors(StepChangeInput, input, { date });
    if (toStep && direction === null) problems.toStep = `Choose a step other than the current one (${from})`;
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setSaving(true);
    try {
      const result = await api['carePlan.stepChange'](input as Parameters<(typeof api)['carePlan.stepChange']>[0]);
      onChanged(result.opened);
    } catch (err) {
      showSaveError(err, setErrors, setFailure);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog opened={opened} onClose={onClose} title="Step up or down" size="lg">
      <Stack gap="sm">
        <SimpleGrid cols={3}>
          <TextInput label="Current step" value={`Step ${from}`} readOnly />
          <Select
            label="New step"
            data={['2', '3', '4'].filter((s) => Number(s) !== from).map((s) => ({ value: s, label: `Step ${s}` }))}
            value={toStep}
            onChange={setToStep}
            allowDeselect={false}
            error={errors.toStep}
            data-autofocus
          />
          <TextInput label="Date" description="DD/MM/YYYY" autoComplete="off" value={date} onChange={(e) => setDate(e.currentTarget.value)} error={errors.date ?? errors.dischargeDate} />
        </SimpleGrid>
        <Textarea label="Reason" description="Why the patient needs a different step; it becomes the new referral's reason" autosize minRows={2} value={reason} onChange={(e) => (setReason(e.currentTarget.value), setErrors(({ reason: _, ...rest }) => rest))} error={errors.reason} />
        <Select
          label="Caseholder of the new referral"
          data={people.map((u) => ({ value: u.id, label: `${u.displayName} (${ROLE_LABELS[u.role]})` }))}
          value={caseholderId}
          onChange={setCaseholderId}
          allowDeselect={false}
          error={errors.caseholderId}
          searchable
        />
        {direction && (
          <Alert color="nhsBlue" title={<Text fw={700} c="nhsBlue.9">What happens</Text>} data-testid="step-change-preview">
            <Text size="sm">
              This referral ends on {/^\d{4}-\d{2}-\d{2}$/.test(iso) ? formatUkDate(iso) : 'the date'} with end code {endCode} ({END_CODES[endCode]}).
            </Text>
            <Text size="sm">
              A new referral opens that day at step {toStep}, source {source} ({sourceLabel}), linked to this one.
            </Text>
          </Alert>
        )}
        {failure && <Alert color="red" role="alert">{failure}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button loading={saving} onClick={() => void confirm()}>
            {direction === 'down' ? 'Step down' : 'Step up'}
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}
