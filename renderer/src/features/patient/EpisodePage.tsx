import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { ATTENDANCE_LABELS, CONSULTATION_MECHANISMS, ltcLabel, REFERRAL_STATUS_LABELS, REFERRER_ROLE_LABELS, type ConsultationMechanism } from '../../../../shared/domain/episodeCodes';
import { useNavigation } from '../../app/navigation';
import { api } from '../../lib/api';
import { useLoaded } from '../../lib/useLoaded';
import { errorMessage } from '../../lib/errors';
import { useLtcOptions, useOutcomes } from '../../lib/useOutcomes';
import { DischargeDialog } from '../discharge/DischargeDialog';
import { RiskReviewDialog } from '../sessions/RiskReviewDialog';
import { OutcomePanel } from './OutcomePanel';
import { AssessmentPanel } from '../referral/AssessmentPanel';
import { ContactAttempts } from '../referral/ContactAttempts';
import { contactTypeLabel, NewContactDialog } from '../sessions/NewContactDialog';
import { PatientHeader } from './PatientHeader';
import { EmploymentPanel } from '../employment/EmploymentPanel';
import { WaitingPanel } from '../waiting/WaitingPanel';

/** One episode of care: the referral, its decisions, contacts, follow-ups, risk reviews and notes. */
export function EpisodePage({ referralId }: { referralId: string }) {
  const { go } = useNavigation();
  const { value: detail, failure, setFailure, reload: load } = useLoaded(() => api['referrals.get']({ id: referralId }), referralId);
  const [recording, setRecording] = useState<'contact' | 'follow-up' | null>(null);
  const [discharging, setDischarging] = useState<'discharge' | 'not-suitable' | null>(null);
  const [reviewingRisk, setReviewingRisk] = useState(false);
  const outcomes = useOutcomes();
  const ltcList = useLtcOptions();


  if (failure) return <Alert color="red" role="alert">{failure}</Alert>;
  if (!detail) return <Text>Loading…</Text>;
  const { referral, patient, contacts } = detail;
  const openActions = detail.actions.filter((a) => a.doneAt === null);
  const lastContact = contacts[contacts.length - 1];

  const completeAction = async (id: string, version: number) => {
    try {
      await api['actions.complete']({ id, version });
      await load();
    } catch (err) {
      setFailure(errorMessage(err));
    }
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <PatientHeader patient={patient} back={{ view: 'patient', patientId: patient.id }} backLabel="Patient" title={`Referral received ${formatUkDate(referral.receivedDate)}`} />
        <Group gap="sm">
          <Badge size="lg" variant="light" c="nhsBlue.8">{REFERRAL_STATUS_LABELS[referral.status]}</Badge>
          <Button variant="default" onClick={() => go({ view: 'letters', referralId: referral.id })}>Letters</Button>
          <Button variant="default" onClick={() => go({ view: 'carePlan', referralId: referral.id })}>Care plan</Button>
          <Button variant="default" onClick={() => go({ view: 'formulation', referralId: referral.id })}>Formulation</Button>
          {referral.status !== 'discharged' && (
            <>
              <Button variant="default" onClick={() => setReviewingRisk(true)}>Risk review</Button>
              <Button variant="default" onClick={() => setDischarging('discharge')}>Discharge</Button>
            </>
          )}
        </Group>
      </Group>
      <Paper withBorder p="md">
        <Text size="sm">
          Referred by {REFERRER_ROLE_LABELS[referral.referrerRole]}
          {referral.referrerName ? ` (${referral.referrerName})` : ''} · source {referral.sourceCode} · {referral.team}
          {referral.ltcCodes.length > 0 ? ` · ${referral.ltcCodes.map((code) => ltcLabel(code, ltcList)).join(', ')}` : ''}
        </Text>
        <Text size="sm" mt={4}>{referral.reason}</Text>
        {referral.previousReferralId && (
          <Text size="sm" mt={4} data-testid="previous-referral">
            {referral.sourceCode === 'N1' ? 'Stepped up' : referral.sourceCode === 'N2' ? 'Stepped down' : 'Continues'} from{' '}
            <Anchor component="button" size="sm" onClick={() => go({ view: 'episode', referralId: referral.previousReferralId! })}>
              the previous referral
            </Anchor>
          </Text>
        )}
        {referral.riskKnown && <Text size="sm" mt={4} c="red.9">Risk known to the referrer{referral.riskDetails ? `: ${referral.riskDetails}` : ''}</Text>}
        {referral.signposting && <Text size="sm" mt={4}>Signposted or referred to: {referral.signposting}</Text>}
      </Paper>

      {openActions.length > 0 && (
        <Alert color="yellow" title={<Text fw={700} c="dark.9">Follow-up needed</Text>} role="status">
          <Stack gap={4}>
            {openActions.map((a) => (
              <Group key={a.id} justify="space-between">
                <Text size="sm">
                  {a.description} Due {formatUkDate(a.dueDate)}.
                </Text>
                <Button size="xs" variant="default" onClick={() => void completeAction(a.id, a.version)}>Mark done</Button>
              </Group>
            ))}
          </Stack>
        </Alert>
      )}

      {referral.status === 'discharged' && referral.pathway === 'integrated-ltc' && !contacts.some((c) => c.type === 'follow-up') && (
        <Alert color="nhsBlue" title={<Text fw={700} c="nhsBlue.9">3-month follow-up</Text>}>
          <Group justify="space-between">
            <Text size="sm">Integrated LTC pathway: a follow-up contact three months after discharge records HbA1c and healthcare use.</Text>
            <Button size="xs" onClick={() => setRecording('follow-up')}>Book 3-month follow-up</Button>
          </Group>
        </Alert>
      )}

      <OutcomePanel detail={detail} outcomes={outcomes} />

      <WaitingPanel key={`waiting-${contacts.length}`} referralId={referral.id} open={referral.status !== 'discharged'} />

      <AssessmentPanel referral={referral} onSaved={() => void load()} onNotSuitable={() => setDischarging('not-suitable')} />

      {referral.status !== 'discharged' && <ContactAttempts referralId={referral.id} attempts={detail.contactAttempts} onLogged={() => void load()} />}

      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">Contacts</Title>
          {referral.status !== 'discharged' && <Button onClick={() => setRecording('contact')}>Record a contact</Button>}
        </Group>
        {contacts.length === 0 ? (
          <Text c="gray.7">No contacts yet.</Text>
        ) : (
          <Table aria-label="Contacts" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Time</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Medium</Table.Th>
                <Table.Th>Attendance</Table.Th>
                <Table.Th>Measures</Table.Th>
                <Table.Th><VisuallyHidden>Open</VisuallyHidden></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {contacts.map((c) => {
                const measures = detail.measures.filter((m) => m.contactId === c.id);
                return (
                  <Table.Tr key={c.id}>
                    <Table.Td>{formatUkDate(c.date)}</Table.Td>
                    <Table.Td>{c.startTime}</Table.Td>
                    <Table.Td>{contactTypeLabel(c.type)}{c.groupSessionId ? ' (group)' : ''}</Table.Td>
                    <Table.Td>{CONSULTATION_MECHANISMS[c.mechanism as ConsultationMechanism]}</Table.Td>
                    <Table.Td>{c.attendance === null ? 'Booked' : ATTENDANCE_LABELS[c.attendance]}</Table.Td>
                    <Table.Td>{measures.map((m) => `${outcomes.instrument(m.instrumentId).title.split(' (')[0]} ${m.total ?? '—'}`).join(', ')}</Table.Td>
                    <Table.Td>
                      {(c.attendance === 5 || c.attendance === 6) && (
                        <Button size="xs" variant="light" onClick={() => go({ view: 'session', referralId: referral.id, contactId: c.id })} aria-label={`Open session on ${formatUkDate(c.date)} at ${c.startTime}`}>
                          Open session
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      <EmploymentPanel key={`employment-${detail.measures.length}`} referralId={referral.id} open={referral.status !== 'discharged'} />

      {(detail.riskAssessments.length > 0 || detail.notes.length > 0) && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">Risk reviews and notes</Title>
          <Stack gap={4}>
            {detail.riskAssessments.map((r) => (
              <Text key={r.id} size="sm">
                {formatUkDate(r.date)} · risk review: {r.level} risk; next review {formatUkDate(r.nextReviewDate)}
              </Text>
            ))}
            {detail.notes.map((n) => (
              <Text key={n.id} size="sm">
                {formatUkDate(n.createdAt.slice(0, 10))} · note {n.status === 'signed' ? `signed ${formatUkDate(n.signedAt!.slice(0, 10))}` : '(draft)'}
                {n.addenda.length > 0 ? ` · ${n.addenda.length} addend${n.addenda.length === 1 ? 'um' : 'a'}` : ''}
              </Text>
            ))}
          </Stack>
        </Paper>
      )}

      <NewContactDialog
        key={recording ?? 'closed'}
        referralId={referral.id}
        opened={recording !== null}
        defaults={
          recording === 'follow-up'
            ? { location: lastContact?.location ?? referral.team, type: 'follow-up', date: addMonths(referral.dischargeDate!, 3), booked: true }
            : { location: lastContact?.location ?? referral.team, type: contacts.some((c) => c.attendance === 5 || c.attendance === 6) ? 'treatment' : 'assessment' }
        }
        onClose={() => setRecording(null)}
        onSaved={(c) => {
          setRecording(null);
          if (c.attendance === 5 || c.attendance === 6) go({ view: 'session', referralId: referral.id, contactId: c.id });
          else void load();
        }}
      />
      <DischargeDialog
        key={discharging ?? 'closed'}
        referral={referral}
        opened={discharging !== null}
        initialEndCode={discharging === 'not-suitable' ? '11' : null}
        onClose={() => setDischarging(null)}
        onDischarged={() => {
          setDischarging(null);
          void load();
        }}
      />
      <RiskReviewDialog
        referralId={referral.id}
        date={todayIso()}
        opened={reviewingRisk}
        onClose={() => setReviewingRisk(false)}
        onSaved={() => {
          setReviewingRisk(false);
          void load();
        }}
      />
    </Stack>
  );
}

function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1 + months, d));
  return date.toISOString().slice(0, 10);
}
