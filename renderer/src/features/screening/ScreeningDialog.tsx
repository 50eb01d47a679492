import { Alert, Button, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { SCREEN_IDS, type Screening } from '../../../../shared/contract/screenings';
import { formatUkDate, parseUkDate, todayIso } from '../../../../shared/domain/dates';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { useOutcomes } from '../../lib/useOutcomes';
import { Dialog } from '../../lib/Dialog';
import { answersFor, entryInstrument, initialState, touched, type EntryState } from '../sessions/keyboardEntry';
import { liveScores, MeasureEntry } from '../sessions/MeasureEntry';

type ScreenId = (typeof SCREEN_IDS)[number];
const SCREEN_LABELS: Record<ScreenId, string> = { phq4: 'PHQ-4', dds2: 'DDS2 (diabetes)', 'copd-screen': 'COPD', 'cardiac-screen': 'Cardiac' };

/**
 * Screening in clinic (issue #8 item 2): one screen by keyboard, its result against the service's cut-offs
 * ("positive screen", never caseness), and an "offer referral" path that opens a referral prefilled.
 */
export function ScreeningDialog({ patientId, opened, onClose, onSaved }: { patientId: string; opened: boolean; onClose: () => void; onSaved: (s: Screening, offerReferral: boolean) => void }) {
  const outcomes = useOutcomes();
  const [screen, setScreen] = useState<ScreenId>('dds2');
  const [date, setDate] = useState(formatUkDate(todayIso()));
  const instruments = useMemo(() => [entryInstrument(outcomes.instrument(screen), { screens: true })!], [outcomes, screen]);
  const [entry, setEntry] = useState<EntryState>(() => initialState(instruments));
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const state = entry;
  const live = liveScores(outcomes, instruments, state, {}, null);
  const result = live[0]!.score;
  const iso = parseUkDate(date);

  const save = async (offerReferral: boolean) => {
    if (!iso) return setFailure('Date: enter a real date as DD/MM/YYYY.');
    if (!touched(state, instruments[0]!)) return;
    setSaving(true);
    setFailure(null);
    try {
      const saved = await api['screenings.record']({ patientId, instrumentId: screen, answers: answersFor(state, instruments[0]!), date: iso, referralOffered: offerReferral });
      setEntry(initialState(instruments));
      onSaved(saved, offerReferral);
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog opened={opened} onClose={onClose} title="Screen" size="xl">
      <Stack gap="sm">
        <Group align="flex-end">
          <div>
            <Text size="sm" fw={500} id="screen-choice">Screen</Text>
            <SegmentedControl
              aria-labelledby="screen-choice"
              data={SCREEN_IDS.map((id) => ({ value: id, label: SCREEN_LABELS[id] }))}
              value={screen}
              onChange={(v) => {
                setScreen(v as ScreenId);
                setEntry(initialState([entryInstrument(outcomes.instrument(v), { screens: true })!]));
              }}
            />
          </div>
          <TextInput label="Date" description="DD/MM/YYYY" value={date} onChange={(e) => setDate(e.currentTarget.value)} error={date.trim() && !iso ? 'Enter a real date as DD/MM/YYYY' : undefined} w={160} />
        </Group>
        <MeasureEntry key={screen} instruments={instruments} state={state} onChange={setEntry} onSave={() => void save(false)} live={live} saving={saving} saveLabel="Save screening" />
        {result?.warnings.map((w) => (
          <Text key={w} size="xs" c="gray.8">{w}</Text>
        ))}
        {failure && <Alert color="red" role="alert">{failure}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button disabled={!result?.screen?.positive} loading={saving} onClick={() => void save(true)}>
            Save and offer referral
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}
