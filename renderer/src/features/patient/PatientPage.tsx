import { Alert, Anchor, Badge, Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { Referral, ReferralDetail } from '../../../../shared/contract/referrals';
import type { Screening } from '../../../../shared/contract/screenings';
import { formatUkDate } from '../../../../shared/domain/dates';
import { PATHWAY_LABELS, REFERRAL_STATUS_LABELS, REFERRER_ROLE_LABELS, type LtcKey } from '../../../../shared/domain/episodeCodes';
import type { Patient } from '../../../../shared/domain/people';
import { useNavigation } from '../../app/navigation';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { useLtcOptions, useOutcomes } from '../../lib/useOutcomes';
import { OutcomePanel } from './OutcomePanel';
import { Timeline } from './Timeline';
import { ReferralForm } from '../referral/ReferralForm';
import { ScreeningDialog } from '../screening/ScreeningDialog';
import { PatientHeader } from './PatientHeader';

/** The condition a positive screen points to, for the referral it offers (DDS2 leaves the diabetes type to the clinician). */
const SCREEN_LTC: Record<string, LtcKey> = { 'copd-screen': 'copd', 'cardiac-screen': 'coronary-heart-disease' };

/** A patient and their referrals over time; each referral is an episode of care. */
export function PatientPage({ patientId }: { patientId: string }) {
  const { go } = useNavigation();
  const [patient, setPatient] = useState<Patient | null>(null);
  const [referrals, setReferrals] = useState<Referral[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [details, setDetails] = useState<ReferralDetail[]>([]);
  const [screenings, setScreenings] = useState<Screening[]>([]);
  const [shown, setShown] = useState<string | null>(null);
  const [screening, setScreening] = useState(false);
  const [prefill, setPrefill] = useState<{ ltcCodes: string[]; reason: string } | undefined>(undefined);
  const outcomes = useOutcomes();
  const ltcList = useLtcOptions();

  const load = useCallback(async () => {
    try {
      const [p, list, screened] = await Promise.all([
        api['patients.get']({ id: patientId }),
        api['referrals.listForPatient']({ patientId }),
        api['screenings.list']({ patientId }),
      ]);
      const all = await Promise.all(list.referrals.map((r) => api['referrals.get']({ id: r.id })));
      setPatient(p);
      setReferrals(list.referrals);
      setScreenings(screened.screenings);
      setDetails(all);
    } catch (err) {
      setFailure(errorMessage(err));
    }
  }, [patientId]);
  useEffect(() => {
    void load();
  }, [load]);

  if (failure) return <Alert color="red" role="alert">{failure}</Alert>;
  if (!patient || !referrals) return <Text>Loading…</Text>;
  const outcomeOf = details.find((d) => d.referral.id === shown) ?? details[0];
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <PatientHeader patient={patient} back={{ view: 'caseload' }} backLabel="Caseload" title="Patient" />
        <Group gap="sm">
          <Button variant="default" onClick={() => setScreening(true)}>Screen</Button>
          <Button
            onClick={() => {
              setPrefill(undefined);
              setAdding(true);
            }}
          >
            New referral
          </Button>
        </Group>
      </Group>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="sm">Referrals</Title>
        {referrals.length === 0 ? (
          <Text c="gray.7">No referrals yet. Use “New referral” when the patient is referred.</Text>
        ) : (
          <Table aria-label="Referrals" verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Received</Table.Th>
                <Table.Th>Referred by</Table.Th>
                <Table.Th>Pathway</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Team</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {referrals.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor component="button" fw={600} onClick={() => go({ view: 'episode', referralId: r.id })} aria-label={`Open the referral received ${formatUkDate(r.receivedDate)}`}>
                      {formatUkDate(r.receivedDate)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {REFERRER_ROLE_LABELS[r.referrerRole]} ({r.sourceCode})
                  </Table.Td>
                  <Table.Td>{PATHWAY_LABELS[r.pathway]}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={r.status === 'discharged' ? 'gray' : 'nhsBlue'} c={r.status === 'discharged' ? 'gray.8' : 'nhsBlue.8'}>
                      {REFERRAL_STATUS_LABELS[r.status]}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{r.team}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {screenings.length > 0 && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">Screens</Title>
          <Table aria-label="Screens" verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Screen</Table.Th>
                <Table.Th>Score</Table.Th>
                <Table.Th>Result</Table.Th>
                <Table.Th>Referral offered</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {screenings.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{formatUkDate(s.date)}</Table.Td>
                  <Table.Td>{outcomes.instrument(s.instrumentId).title.split(' — ')[0]}</Table.Td>
                  <Table.Td>{s.total ?? '—'}</Table.Td>
                  <Table.Td>{s.resultLabel ?? 'No result (no service cut-off, or an item skipped)'}</Table.Td>
                  <Table.Td>{s.referralOffered ? 'Yes' : 'No'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {outcomeOf && (
        <Stack gap={4}>
          {details.length > 1 && (
            <Select
              label="Outcome of the referral received"
              w={320}
              data={details.map((d) => ({ value: d.referral.id, label: `${formatUkDate(d.referral.receivedDate)} · ${REFERRAL_STATUS_LABELS[d.referral.status]}` }))}
              value={outcomeOf.referral.id}
              onChange={setShown}
              allowDeselect={false}
            />
          )}
          <OutcomePanel detail={outcomeOf} outcomes={outcomes} screenings={screenings} />
        </Stack>
      )}
      {details.length > 0 && <Timeline details={details} outcomes={outcomes} />}
      <ScreeningDialog
        patientId={patientId}
        opened={screening}
        onClose={() => setScreening(false)}
        onSaved={(saved, offer) => {
          setScreening(false);
          void load();
          if (offer) {
            const title = outcomes.instrument(saved.instrumentId).title.split(' — ')[0];
            // The service's code for the condition, which its settings may have corrected.
            const condition = ltcList.find((o) => o.key === SCREEN_LTC[saved.instrumentId]);
            setPrefill({ ltcCodes: condition ? [condition.code] : [], reason: `${title}: ${saved.resultLabel} (score ${saved.total}) on ${formatUkDate(saved.date)}.` });
            setAdding(true);
          }
        }}
      />
      <ReferralForm
        key={prefill ? prefill.reason : 'blank'}
        prefill={prefill}
        patientId={patientId}
        opened={adding}
        onClose={() => setAdding(false)}
        onSaved={(r) => {
          setAdding(false);
          go({ view: 'episode', referralId: r.id });
        }}
      />
    </Stack>
  );
}
