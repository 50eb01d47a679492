import { Alert, Button, Group, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { LETTER_GAP, LETTER_KIND_LABELS, letterMethods, type Letter } from '../../../../shared/contract/letters';
import type { PatientSummary } from '../../../../shared/contract/patients';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { formatNhsNumber } from '../../../../shared/domain/nhsNumber';
import { api } from '../../lib/api';
import { errorMessage, fieldErrors } from '../../lib/errors';
import { isoFromTyped, schemaErrors } from '../../lib/forms';
import { ExportLetterDialog } from './ExportLetterDialog';

/** Saves and refusals come back the same way: field errors on their fields, anything else in the banner. */
function useRun(onDone: (l: Letter) => Promise<void> | void) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (what: () => Promise<Letter>) => {
    setBanner(null);
    setBusy(true);
    try {
      const l = await what();
      setErrors({});
      await onDone(l);
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setBanner(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return { errors, setErrors, banner, busy, run };
}

function DraftLetter({ letter, onChanged }: { letter: Letter; onChanged: (l: Letter) => Promise<void> | void }) {
  const [recipientName, setRecipientName] = useState(letter.recipientName);
  const [body, setBody] = useState(letter.body);
  const { errors, setErrors, banner, busy, run } = useRun(onChanged);
  const dirty = body !== letter.body || recipientName !== letter.recipientName;
  const gaps = body.split(LETTER_GAP).length - 1;

  const save = () => {
    const input = { id: letter.id, version: letter.version, recipientName, body };
    const problems = schemaErrors(letterMethods['letters.update'].input, input);
    setErrors(problems);
    if (Object.keys(problems).length === 0) void run(() => api['letters.update'](input));
  };

  return (
    <Stack gap="sm">
      <Textarea label="To" description="Name and address, one line each" autosize minRows={2} maxRows={5} value={recipientName} onChange={(e) => setRecipientName(e.currentTarget.value)} error={errors.recipientName} />
      <Textarea
        label="Letter"
        description={gaps > 0 ? `${gaps} gap${gaps === 1 ? '' : 's'} marked "${LETTER_GAP} …]" to fill before finalising` : 'Edit freely until you finalise it'}
        autosize
        minRows={12}
        maxRows={22}
        value={body}
        onChange={(e) => setBody(e.currentTarget.value)}
        error={errors.body}
        styles={{ input: { fontFamily: 'inherit', lineHeight: 1.5 } }}
      />
      {banner && <Alert color="red" role="alert">{banner}</Alert>}
      <Group justify="flex-end">
        <Button variant="default" onClick={save} loading={busy} disabled={!dirty}>Save draft</Button>
        <Button
          onClick={() => void run(() => api['letters.finalise']({ id: letter.id, version: letter.version }))}
          loading={busy}
          disabled={dirty}
          title={dirty ? 'Save the draft before finalising' : undefined}
        >
          Finalise letter
        </Button>
      </Group>
      {dirty && <Text size="sm" c="gray.8">Save the draft before finalising: the final letter is exactly what was saved.</Text>}
    </Stack>
  );
}

function RecordSent({ letter, onChanged }: { letter: Letter; onChanged: (l: Letter) => Promise<void> | void }) {
  const [sentOn, setSentOn] = useState(formatUkDate(todayIso()));
  const [sentTo, setSentTo] = useState(letter.recipientName.split('\n')[0] ?? '');
  const { errors, setErrors, banner, busy, run } = useRun(onChanged);
  const save = () => {
    const input = { id: letter.id, version: letter.version, sentOn: isoFromTyped(sentOn), sentTo };
    const problems = schemaErrors(letterMethods['letters.recordSent'].input, input, { sentOn });
    setErrors(problems);
    if (Object.keys(problems).length === 0) void run(() => api['letters.recordSent'](input));
  };
  return (
    <Stack gap="xs">
      <Group align="flex-start">
        <TextInput label="Sent on" description="DD/MM/YYYY" value={sentOn} onChange={(e) => setSentOn(e.currentTarget.value)} error={errors.sentOn} w={150} autoComplete="off" />
        <TextInput label="Sent to, and how" description="e.g. Dr Okafor by NHSmail" value={sentTo} onChange={(e) => setSentTo(e.currentTarget.value)} error={errors.sentTo} w={340} autoComplete="off" />
        <Button mt={42} variant="default" onClick={save} loading={busy}>Record as sent</Button>
      </Group>
      {banner && <Alert color="red" role="alert">{banner}</Alert>}
    </Stack>
  );
}

function FinalLetter({ letter, patient, team, onChanged }: { letter: Letter; patient: PatientSummary; team: string; onChanged: (l: Letter) => Promise<void> | void }) {
  const [exporting, setExporting] = useState(false);
  const { banner, busy, run } = useRun(onChanged);
  return (
    <Stack gap="sm">
      <Paper withBorder p="md" bg="gray.0" aria-label="Final letter">
        <Text size="sm" ta="right">{team}</Text>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} mt="xs">{letter.recipientName}</Text>
        <Text size="sm" mt="xs">{formatUkDate(letter.finalisedAt!.slice(0, 10))}</Text>
        <Text size="sm" fw={700} mt="xs">
          Re: {patient.givenName} {patient.familyName}, born {formatUkDate(patient.dateOfBirth)}, NHS number {formatNhsNumber(patient.nhsNumber)}
        </Text>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} mt="sm">{letter.body}</Text>
      </Paper>
      <Text size="sm" c="gray.8">
        Finalised {formatUkDate(letter.finalisedAt!.slice(0, 10))}; it cannot be changed. {letter.sentOn ? `Sent ${formatUkDate(letter.sentOn)} to ${letter.sentTo}.` : 'Not recorded as sent yet.'}
      </Text>
      <Group>
        <Button onClick={() => setExporting(true)}>Export PDF…</Button>
        {!letter.supersededById && (
          <Button variant="default" loading={busy} onClick={() => void run(() => api['letters.correct']({ id: letter.id }))}>Make a correction</Button>
        )}
      </Group>
      {banner && <Alert color="red" role="alert">{banner}</Alert>}
      {!letter.sentOn && <RecordSent letter={letter} onChanged={onChanged} />}
      <ExportLetterDialog letter={letter} opened={exporting} onClose={() => setExporting(false)} />
    </Stack>
  );
}

/** One letter: its draft to edit, or the final letter with export, "sent" and correction. */
export function LetterEditor({ letter, patient, team, onChanged }: { letter: Letter; patient: PatientSummary; team: string; onChanged: (l: Letter) => Promise<void> | void }) {
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        {LETTER_KIND_LABELS[letter.kind]} letter, version {letter.letterVersion} ({letter.status === 'draft' ? 'draft' : 'final'})
      </Title>
      {letter.supersedesId && <Text size="sm" mb="xs">This corrects version {letter.letterVersion - 1}; once final it replaces it.</Text>}
      {letter.supersededById && <Alert color="gray" mb="sm">A later version replaces this letter.</Alert>}
      {letter.status === 'draft' ? <DraftLetter letter={letter} onChanged={onChanged} /> : <FinalLetter letter={letter} patient={patient} team={team} onChanged={onChanged} />}
    </Paper>
  );
}
