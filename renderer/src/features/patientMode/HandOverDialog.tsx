import { Alert, Button, Checkbox, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { isSelfReportable } from '../../../../shared/contract/patientMode';
import type { Outcomes } from '../../../../shared/outcomes';
import { api } from '../../lib/api';
import { Dialog } from '../../lib/Dialog';
import { fieldErrors, errorMessage } from '../../lib/errors';
import { handOver } from './handOver';

/** The questionnaires a patient may complete on screen at this session: self-report ones not yet recorded here. */
export function handOverChoices(outcomes: Outcomes, recordedHere: readonly string[]) {
  return outcomes.instruments().filter((def) => isSelfReportable(def) && !recordedHere.includes(def.id));
}

/**
 * The clinician picks the questionnaires (those due come ticked) and hands the laptop over; from then on the
 * window shows only them until the clinician's passphrase is entered.
 */
export function HandOverDialog({
  opened,
  onClose,
  outcomes,
  referralId,
  contactId,
  recordedHere,
  dueIds,
}: {
  opened: boolean;
  onClose: () => void;
  outcomes: Outcomes;
  referralId: string;
  contactId: string;
  recordedHere: readonly string[];
  dueIds: readonly string[];
}) {
  const choices = handOverChoices(outcomes, recordedHere);
  const [picked, setPicked] = useState<string[]>(() => choices.filter((c) => dueIds.includes(c.id)).map((c) => c.id));
  const [failure, setFailure] = useState<string | null>(null);
  const [pickError, setPickError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const start = async () => {
    setFailure(null);
    if (picked.length === 0) {
      setPickError('Choose at least one questionnaire');
      return;
    }
    setStarting(true);
    try {
      // In the order the catalogue lists them, so PHQ-9 comes before the anxiety measure as on paper.
      await api['patientMode.start']({ contactId, instrumentIds: choices.filter((c) => picked.includes(c.id)).map((c) => c.id) });
      handOver({ view: 'session', referralId, contactId });
    } catch (err) {
      const fields = Object.values(fieldErrors(err));
      setFailure(fields.length > 0 ? fields.join(' ') : errorMessage(err));
      setStarting(false);
    }
  };

  return (
    <Dialog opened={opened} onClose={onClose} title="Hand to the patient">
      <Stack gap="sm">
        <Text size="sm">
          The patient will see only these questionnaires, one question at a time, and nothing else from the caseload. Leaving needs your passphrase; each
          questionnaire is saved to this session as patient-completed when its last question is answered.
        </Text>
        {choices.length === 0 ? (
          <Text size="sm">Every questionnaire a patient can complete on screen is already recorded at this session.</Text>
        ) : (
          <Checkbox.Group
            label="Questionnaires"
            value={picked}
            error={pickError}
            onChange={(ids) => {
              setPicked(ids);
              setPickError(null);
            }}
          >
            <Stack gap={6} mt={6}>
              {choices.map((c) => (
                <Checkbox key={c.id} value={c.id} label={`${c.title}${dueIds.includes(c.id) ? ' (due)' : ''}`} />
              ))}
            </Stack>
          </Checkbox.Group>
        )}
        {failure && <Alert color="red" role="alert">{failure}</Alert>}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button onClick={() => void start()} loading={starting} disabled={choices.length === 0}>Hand over</Button>
        </Group>
      </Stack>
    </Dialog>
  );
}
