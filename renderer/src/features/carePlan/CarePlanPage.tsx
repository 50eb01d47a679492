import { Alert, Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { CarePlanView } from '../../../../shared/contract/carePlan';
import { formatUkDate } from '../../../../shared/domain/dates';
import { REFERRAL_STATUS_LABELS, SOURCE_CODES, type SourceCode } from '../../../../shared/domain/episodeCodes';
import { useNavigation } from '../../app/navigation';
import { api } from '../../lib/api';
import { useLoaded } from '../../lib/useLoaded';
import { PatientHeader } from '../patient/PatientHeader';
import { GoalsPanel } from './GoalsPanel';
import { LinkedReferrals } from './LinkedReferrals';
import { PlanForm } from './PlanForm';
import { StepChangeDialog } from './StepChangeDialog';
import { therapyLabel } from './therapyOptions';

/** The care plan of one referral (issue #10 item 2): step and intervention, goals and their ratings, step changes. */
export function CarePlanPage({ referralId, ownId, sessionDate }: { referralId: string; ownId: string; sessionDate?: string | undefined }) {
  const { go } = useNavigation();
  const loaded = useLoaded(async () => {
    const [detail, view] = await Promise.all([api['referrals.get']({ id: referralId }), api['carePlan.get']({ referralId })]);
    return { detail, view };
  }, referralId);
  const [stepping, setStepping] = useState(false);

  if (loaded.failure) return <Alert color="red" role="alert">{loaded.failure}</Alert>;
  if (!loaded.value) return <Text>Loading…</Text>;
  const { detail, view } = loaded.value;
  const setView = (v: CarePlanView) => loaded.setValue({ detail, view: v });
  const { referral } = view;
  const open = referral.status !== 'discharged';

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <PatientHeader patient={detail.patient} back={{ view: 'episode', referralId }} backLabel="Referral" title="Care plan" />
        <Group gap="sm">
          <Badge size="lg" variant="light" c="nhsBlue.8">{REFERRAL_STATUS_LABELS[referral.status]}</Badge>
          {open && (
            <Button variant="default" onClick={() => setStepping(true)} disabled={referral.step === null}>
              Step up or down…
            </Button>
          )}
        </Group>
      </Group>
      <Paper withBorder p="md">
        <Text size="sm">
          Referral received {formatUkDate(referral.receivedDate)} · source {referral.sourceCode} ({SOURCE_CODES[referral.sourceCode as SourceCode] ?? 'unknown code'}) · step {referral.step ?? 'not set'} · intervention {therapyLabel(view.plan?.therapyType ?? null)}
        </Text>
        <LinkedReferrals previous={view.previous} next={view.next} sourceCode={referral.sourceCode} />
        {!open && <Text size="sm" c="gray.8" mt={4}>This referral has ended; its care plan is kept as it was.</Text>}
        {open && referral.step === null && <Text size="sm" c="gray.8" mt={4}>Save the care plan with a step to be able to step the patient up or down.</Text>}
      </Paper>
      <PlanForm view={view} onSaved={setView} />
      <GoalsPanel view={view} contacts={detail.contacts} sessionDate={sessionDate} onSaved={setView} />
      {stepping && referral.step !== null && (
        <StepChangeDialog
          referral={referral}
          contacts={detail.contacts}
          ownId={ownId}
          opened={stepping}
          onClose={() => setStepping(false)}
          onChanged={(next) => {
            setStepping(false);
            go({ view: 'episode', referralId: next.id });
          }}
        />
      )}
    </Stack>
  );
}
