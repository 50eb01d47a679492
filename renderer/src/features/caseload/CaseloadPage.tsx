import { Alert, Anchor, Button, Group, Paper, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';
import type { PatientSummary } from '../../../../shared/contract/patients';
import { formatUkDate } from '../../../../shared/domain/dates';
import { formatNhsNumber } from '../../../../shared/domain/nhsNumber';
import { useNavigation } from '../../app/navigation';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { AddPatientModal } from './AddPatientModal';

export function CaseloadPage() {
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 200);
  const [patients, setPatients] = useState<PatientSummary[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const { go } = useNavigation();

  const load = useCallback(async (q: string) => {
    try {
      setPatients((await api['patients.list'](q.trim() ? { query: q.trim() } : {})).patients);
      setFailure(null);
    } catch (err) {
      setFailure(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    void load(debounced);
  }, [debounced, load]);

  return (
    <>
      <Group justify="space-between" mb="md" align="flex-end">
        <div>
          <Title order={1} size="h2">Caseload</Title>
          <Text size="sm" c="gray.7">
            {patients ? `${patients.length} ${patients.length === 1 ? 'patient' : 'patients'}${debounced.trim() ? ' matching your search' : ''}` : 'Loading…'}
          </Text>
        </div>
        <Group align="flex-end">
          <TextInput
            label="Search"
            placeholder="Name or NHS number"
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            w={260}
          />
          <Button onClick={() => setAdding(true)}>Add patient</Button>
        </Group>
      </Group>
      {failure && <Alert color="red" role="alert" mb="md">{failure}</Alert>}
      <Paper withBorder radius="md">
        <Table striped highlightOnHover verticalSpacing="sm" aria-label="Caseload">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>NHS number</Table.Th>
              <Table.Th>Date of birth</Table.Th>
              <Table.Th>GP practice</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {patients?.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td fw={600}>
                  <Anchor component="button" fw={600} onClick={() => go({ view: 'patient', patientId: p.id })}>
                    {p.familyName.toUpperCase()}, {p.givenName}
                  </Anchor>
                </Table.Td>
                <Table.Td ff="monospace">{formatNhsNumber(p.nhsNumber)}</Table.Td>
                <Table.Td>{formatUkDate(p.dateOfBirth)}</Table.Td>
                <Table.Td>{p.gpPractice}</Table.Td>
              </Table.Tr>
            ))}
            {patients?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Text ta="center" c="gray.7" py="lg">
                    {debounced.trim() ? 'No patients match that search.' : 'No patients yet. Use “Add patient” to start your caseload.'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Paper>
      <AddPatientModal
        opened={adding}
        onClose={() => setAdding(false)}
        onAdded={() => {
          setAdding(false);
          void load(debounced);
        }}
      />
    </>
  );
}
