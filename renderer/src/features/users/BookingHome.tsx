import { Alert, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import type { PatientSummary } from '../../../../shared/contract/patients';
import { formatUkDate } from '../../../../shared/domain/dates';
import { formatNhsNumber } from '../../../../shared/domain/nhsNumber';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { AddPatientModal } from '../caseload/AddPatientModal';

/**
 * The booking clerk's home (issue #10 §9): the team's patients by demographics only — no scores, risk, notes
 * or episode view, which the role policy refuses them in the services too. Appointments join this screen with
 * the clinic day (stage 2).
 */
export function BookingHome() {
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 200);
  const [patients, setPatients] = useState<PatientSummary[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api['patients.list'](debounced.trim() ? { query: debounced } : {})
      .then((r) => setPatients(r.patients))
      .catch((err: unknown) => setFailure(errorMessage(err)));
  }, [debounced, reload]);

  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between">
        <Title order={1} size="h2">Patients</Title>
        <Button onClick={() => setAdding(true)}>Register a patient</Button>
      </Group>
      <Text size="sm" c="gray.7">Demographics for booking. Clinical records are kept by the clinicians.</Text>
      <TextInput label="Find a patient" description="Name, last four NHS digits or date of birth" value={query} onChange={(e) => setQuery(e.currentTarget.value)} maw={420} />
      {failure && <Alert color="red" role="alert">{failure}</Alert>}
      <Paper withBorder>
        <Table striped verticalSpacing="xs" aria-label="Patients">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>NHS number</Table.Th>
              <Table.Th>Date of birth</Table.Th>
              <Table.Th>GP practice</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(patients ?? []).map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.familyName.toUpperCase()}, {p.givenName}</Table.Td>
                <Table.Td>{formatNhsNumber(p.nhsNumber)}</Table.Td>
                <Table.Td>{formatUkDate(p.dateOfBirth)}</Table.Td>
                <Table.Td>{p.gpPractice}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {patients?.length === 0 && <Text size="sm" c="gray.7" p="md">No patients{debounced.trim() ? ' match that search' : ' yet'}.</Text>}
      </Paper>
      <AddPatientModal
        opened={adding}
        onClose={() => setAdding(false)}
        onAdded={() => {
          setAdding(false);
          setReload((n) => n + 1);
        }}
      />
    </Stack>
  );
}
