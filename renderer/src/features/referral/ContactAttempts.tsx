import { Alert, Button, Group, Paper, Select, Table, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { ContactAttemptInput, type ContactAttempt } from '../../../../shared/contract/followUp';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { CONTACT_ATTEMPT_METHODS, CONTACT_ATTEMPT_OUTCOMES } from '../../../../shared/domain/episodeCodes';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { isoFromTyped, schemaErrors } from '../../lib/forms';

const words = (s: string) => s[0]!.toUpperCase() + s.slice(1).replace(/-/g, ' ');

/** The triage log of attempts to reach the patient (date, method, outcome). */
export function ContactAttempts({ referralId, attempts, onLogged }: { referralId: string; attempts: ContactAttempt[]; onLogged: () => void }) {
  const [date, setDate] = useState(formatUkDate(todayIso()));
  const [method, setMethod] = useState<string | null>('telephone');
  const [outcome, setOutcome] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const input = { referralId, date: isoFromTyped(date), method, outcome, ...(note.trim() ? { note } : {}) };
  const log = async () => {
    const problems = schemaErrors(ContactAttemptInput, input, { date });
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    try {
      await api['contactAttempts.record'](input as never);
      setOutcome(null);
      setNote('');
      onLogged();
    } catch (err) {
      setFailure(errorMessage(err));
    }
  };
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">Contact attempts</Title>
      {attempts.length > 0 && (
        <Table aria-label="Contact attempts" verticalSpacing={2} fz="sm" mb="sm">
          <Table.Tbody>
            {attempts.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td w={110}>{formatUkDate(a.date)}</Table.Td>
                <Table.Td w={120}>{words(a.method)}</Table.Td>
                <Table.Td w={140}>{words(a.outcome)}</Table.Td>
                <Table.Td>{a.note}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group align="flex-start" gap="sm">
        <TextInput label="Attempt date" w={130} value={date} onChange={(e) => setDate(e.currentTarget.value)} error={errors.date} />
        <Select label="Method" w={150} data={CONTACT_ATTEMPT_METHODS.map((m) => ({ value: m, label: words(m) }))} value={method} onChange={setMethod} error={errors.method} allowDeselect={false} />
        <Select label="Outcome" w={170} placeholder="Choose" data={CONTACT_ATTEMPT_OUTCOMES.map((o) => ({ value: o, label: words(o) }))} value={outcome} onChange={setOutcome} error={errors.outcome} />
        <TextInput label="Note" style={{ flex: 1 }} value={note} onChange={(e) => setNote(e.currentTarget.value)} error={errors.note} />
        <Button mt={24} variant="light" onClick={() => void log()}>Log attempt</Button>
      </Group>
      {failure && <Alert color="red" role="alert" mt="sm">{failure}</Alert>}
    </Paper>
  );
}
