import { Alert, Anchor, Button, Grid, Group, List, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DueMeasure } from '../../../../shared/contract/measures';
import type { ReferralDetail } from '../../../../shared/contract/referrals';
import { formatUkDate } from '../../../../shared/domain/dates';
import { ATTENDANCE_LABELS } from '../../../../shared/domain/episodeCodes';
import { useNavigation } from '../../app/navigation';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { useOutcomes } from '../../lib/useOutcomes';
import { PatientHeader } from '../patient/PatientHeader';
import { HandOverDialog } from '../patientMode/HandOverDialog';
import { entryInstrument, initialState, touched, answersFor, type EntryInstrument, type EntryState } from './keyboardEntry';
import { liveScores, MeasureEntry } from './MeasureEntry';
import { resultWords } from './LiveResult';
import { contactTypeLabel } from './NewContactDialog';
import { RiskReviewDialog } from './RiskReviewDialog';
import { SessionNote } from './SessionNote';

/** The session record (issue #8 item 6): measures due with reasons, keyboard entry, the item-9 gate, the note. */
export function SessionPage({ referralId, contactId }: { referralId: string; contactId: string }) {
  const { go } = useNavigation();
  const outcomes = useOutcomes();
  const [detail, setDetail] = useState<ReferralDetail | null>(null);
  const [due, setDue] = useState<DueMeasure[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [entry, setEntry] = useState<EntryState | null>(null);
  const [saving, setSaving] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const [handingOver, setHandingOver] = useState(false);
  // The last session before discharge adds the end-of-treatment measures (employment status, treatment PEQ).
  const [finalSession, setFinalSession] = useState(false);

  const load = useCallback(async () => {
    try {
      const d = await api['referrals.get']({ id: referralId });
      const contact = d.contacts.find((c) => c.id === contactId);
      if (!contact) throw new Error('missing contact');
      setDetail(d);
      setDue((await api['measures.due']({ referralId, date: contact.date, type: contact.type, final: finalSession })).due);
    } catch (err) {
      setFailure(errorMessage(err));
    }
  }, [referralId, contactId, finalSession]);
  useEffect(() => {
    void load();
  }, [load]);

  const contact = detail?.contacts.find((c) => c.id === contactId) ?? null;
  const savedHere = useMemo(() => detail?.measures.filter((m) => m.contactId === contactId) ?? [], [detail, contactId]);
  const instruments: EntryInstrument[] = useMemo(() => {
    if (!due) return [];
    const recorded = new Set(savedHere.map((m) => m.instrumentId));
    return due.filter((d) => !recorded.has(d.instrumentId)).flatMap((d) => {
      const e = entryInstrument(outcomes.instrument(d.instrumentId));
      return e ? [e] : [];
    });
  }, [due, savedHere, outcomes]);
  const instrumentKey = instruments.map((i) => i.id).join(',');
  useEffect(() => {
    setEntry(initialState(instruments));
    // Reset only when the set of instruments changes (after a save), not on every render.
  }, [instrumentKey]);

  /** The first stored score of each instrument from an earlier contact: the baseline for reliable change. */
  const firstTotals = useMemo(() => {
    const out: Record<string, number> = {};
    const earlier = (detail?.measures ?? []).filter((m) => m.total !== null && m.contactId !== contactId && contact && m.date <= contact.date);
    for (const m of [...earlier].sort((a, b) => a.date.localeCompare(b.date))) if (!(m.instrumentId in out)) out[m.instrumentId] = m.total!;
    return out;
  }, [detail, contactId, contact]);

  if (failure) return <Alert color="red" role="alert">{failure}</Alert>;
  if (!detail || !contact || !due || !entry) return <Text>Loading…</Text>;

  const live = liveScores(outcomes, instruments, entry, firstTotals, detail.referral.problemDescriptor);
  const liveFlags = live.flatMap((l) => l.score?.riskFlags ?? []);
  const alerts = detail.openRiskAlerts;
  const riskOpen = alerts.length > 0 || liveFlags.length > 0;
  const note = detail.notes.find((n) => n.contactId === contactId) ?? null;
  const notTaken = due.filter((d) => !instruments.some((i) => i.id === d.instrumentId) && !savedHere.some((m) => m.instrumentId === d.instrumentId));

  const save = async () => {
    const toSave = instruments.filter((i) => touched(entry, i));
    if (toSave.length === 0) return;
    setSaving(true);
    setFailure(null);
    try {
      for (const ins of toSave) {
        await api['measures.record']({ referralId, contactId, date: contact.date, instrumentId: ins.id, answers: answersFor(entry, ins), completedBy: 'patient' });
      }
      await load();
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack>
      <PatientHeader
        patient={detail.patient}
        back={{ view: 'episode', referralId }}
        backLabel="Episode"
        title={`Session ${formatUkDate(contact.date)} ${contact.startTime}`}
      />
      <Text size="sm">
        {contactTypeLabel(contact.type)} · {contact.durationMinutes} minutes · {contact.location} · {contact.attendance !== null ? ATTENDANCE_LABELS[contact.attendance] : 'Booked'}
      </Text>
      <Anchor component="button" size="sm" style={{ alignSelf: 'flex-start' }} onClick={() => go({ view: 'carePlan', referralId, sessionDate: contact.date })}>
        Care plan: rate the goals at this session
      </Anchor>
      {riskOpen && (
        <Alert color="red" title={<Text fw={700} c="red.9">Risk alert</Text>} role="alert">
          <Stack gap={6}>
            {liveFlags.map((f) => (
              <Text key={f.flag} size="sm">{f.message}</Text>
            ))}
            {alerts.map((a) => (
              <Text key={a.measureId} size="sm">PHQ-9 item 9 above 0 on {formatUkDate(a.date)}: no risk review is saved yet.</Text>
            ))}
            <Text size="sm">The session note cannot be signed until a risk review is saved.</Text>
            <div>
              <Button color="red.9" onClick={() => setReviewing(true)}>Record risk review</Button>
            </div>
          </Stack>
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={7}>
          <Stack gap="sm">
            <Paper withBorder p="md">
              <Group justify="space-between" mb={4}>
                <Title order={2} size="h4">Measures due at this session</Title>
                {(contact.attendance === 5 || contact.attendance === 6) && (
                  <Button size="xs" variant="light" onClick={() => setHandingOver(true)}>Hand to patient…</Button>
                )}
              </Group>
              {detail.referral.status !== 'discharged' && (
                <Switch
                  size="sm"
                  mb="xs"
                  label="Last session before discharge (adds employment status and the treatment PEQ)"
                  checked={finalSession}
                  onChange={(e) => setFinalSession(e.currentTarget.checked)}
                />
              )}
              <List size="sm" spacing={2}>
                {due.map((d) => (
                  <List.Item key={d.instrumentId}>
                    <Text span size="sm" fw={600}>{d.title}</Text> — {d.reason}
                  </List.Item>
                ))}
              </List>
              {notTaken.length > 0 && <Text size="xs" c="gray.8" mt={4}>Not taken on this screen: {notTaken.map((d) => d.title).join(', ')}.</Text>}
            </Paper>
            {savedHere.length > 0 && (
              <Paper withBorder p="md">
                <Title order={2} size="h4" mb={4}>Recorded at this session</Title>
                {savedHere.map((m) => {
                  let words = '';
                  try {
                    words = resultWords(outcomes, outcomes.scoreMeasure(m.instrumentId, m.answers, { problemDescriptor: detail.referral.problemDescriptor }), firstTotals[m.instrumentId] ?? null);
                  } catch {
                    words = `Total ${m.total ?? 'empty'}.`;
                  }
                  return (
                    <Text key={m.id} size="sm" data-testid={`saved-${m.instrumentId}`}>
                      <Text span fw={600} size="sm">{outcomes.instrument(m.instrumentId).title}:</Text> {words}
                    </Text>
                  );
                })}
              </Paper>
            )}
            {instruments.length > 0 && <MeasureEntry instruments={instruments} state={entry} onChange={setEntry} onSave={() => void save()} live={live} saving={saving} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={5}>
          <SessionNote
            key={note ? `${note.id}:${note.version}:${note.addenda.length}` : 'new'}
            referralId={referralId}
            contactId={contactId}
            note={note}
            signBlockedBy={riskOpen ? 'Signing is blocked: a risk alert has no risk review yet.' : null}
            onChanged={() => void load()}
          />
        </Grid.Col>
      </Grid>
      {handingOver && (
        <HandOverDialog
          opened
          onClose={() => setHandingOver(false)}
          outcomes={outcomes}
          referralId={referralId}
          contactId={contactId}
          recordedHere={savedHere.map((m) => m.instrumentId)}
          dueIds={due.map((d) => d.instrumentId)}
        />
      )}
      <RiskReviewDialog
        referralId={referralId}
        contactId={contactId}
        date={contact.date}
        opened={reviewing}
        onClose={() => setReviewing(false)}
        onSaved={() => {
          setReviewing(false);
          void load();
        }}
      />
    </Stack>
  );
}
