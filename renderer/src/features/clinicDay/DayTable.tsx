import { Anchor, Badge, Button, Group, List, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { DayAppointment } from '../../../../shared/contract/appointments';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { ATTENDANCE_LABELS, CONSULTATION_MECHANISMS, type ConsultationMechanism } from '../../../../shared/domain/episodeCodes';
import { formatNhsNumber } from '../../../../shared/domain/nhsNumber';
import { useNavigation } from '../../app/navigation';
import { contactTypeLabel } from '../sessions/NewContactDialog';

/** Codes for what happened at a booked appointment (ref §5.4); cancellations go through Cancel, with who asked. */
const HAPPENED = [5, 6, 7, 3] as const;

export const patientName = (p: DayAppointment['patient']) => `${p.familyName.toUpperCase()}, ${p.givenName}`;

function Status({ row }: { row: DayAppointment }) {
  const code = row.appointment.attendance;
  if (code === null) return <Badge variant="light" color="nhsBlue" c="nhsBlue.9">Booked</Badge>;
  // Plain words, not a badge: the data set's labels are too long for a badge's single line.
  const color = code === 5 || code === 6 ? 'teal.9' : code === 2 || code === 4 ? 'gray.9' : 'red.9';
  return (
    <Stack gap={2}>
      <Text size="sm" fw={700} c={color}>{ATTENDANCE_LABELS[code]} ({code})</Text>
      {row.appointment.cancellationReason && <Text size="xs" c="gray.8">{row.appointment.cancellationReason}</Text>}
      {row.rescheduledTo && <Text size="xs" c="gray.8">Moved to {formatUkDate(row.rescheduledTo.date)} {row.rescheduledTo.startTime}</Text>}
    </Stack>
  );
}

/** A native select: twelve of them on a clinic day cost far less to draw than twelve comboboxes. */
function RecordAttendance({ row, onRecord }: { row: DayAppointment; onRecord: (code: number) => Promise<void> }) {
  const [code, setCode] = useState('5');
  const name = patientName(row.patient);
  return (
    <Group gap={4} wrap="nowrap">
      <NativeSelect aria-label={`Attendance for ${name}`} size="xs" w={170} data={HAPPENED.map((c) => ({ value: String(c), label: `${ATTENDANCE_LABELS[c]} (${c})` }))} value={code} onChange={(e) => setCode(e.currentTarget.value)} />
      <Button size="xs" onClick={() => void onRecord(Number(code))} aria-label={`Record attendance for ${name}`}>Record</Button>
    </Group>
  );
}

/** One clinic day, in time order: who is due, what to measure, what is outstanding, and what to do next. */
export function DayTable({ rows, showClinician, onRecord, onChange }: { rows: DayAppointment[]; showClinician: boolean; onRecord: (row: DayAppointment, code: number) => Promise<void>; onChange: (row: DayAppointment, mode: 'cancel' | 'reschedule') => void }) {
  const { go } = useNavigation();
  const today = todayIso();
  return (
    <Table verticalSpacing="xs" aria-label="Appointments" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Time</Table.Th>
          <Table.Th>Patient</Table.Th>
          <Table.Th>Appointment</Table.Th>
          <Table.Th>Measures due</Table.Th>
          <Table.Th>Outstanding actions</Table.Th>
          <Table.Th>Attendance</Table.Th>
          <Table.Th>Changes</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => {
          const a = row.appointment;
          const name = patientName(row.patient);
          const booked = a.attendance === null;
          const cancelled = a.attendance === 2 || a.attendance === 4;
          return (
            <Table.Tr key={a.id} data-testid="clinic-day-row">
              <Table.Td>
                <Text size="sm" fw={700} td={cancelled ? 'line-through' : undefined}>{a.startTime}</Text>
                <Text size="xs" c="gray.8">{a.durationMinutes} min</Text>
              </Table.Td>
              <Table.Td>
                <Anchor component="button" size="sm" fw={600} style={{ whiteSpace: 'nowrap' }} onClick={() => go({ view: 'episode', referralId: a.referralId })}>{name}</Anchor>
                <Text size="xs" c="gray.8">NHS {formatNhsNumber(row.patient.nhsNumber)} · born {formatUkDate(row.patient.dateOfBirth)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{contactTypeLabel(a.type)} · {CONSULTATION_MECHANISMS[a.mechanism as ConsultationMechanism] ?? a.mechanism}</Text>
                <Text size="xs" c="gray.8">{row.clinicName ? `${row.clinicName} · ` : ''}{a.location}{showClinician ? ` · ${row.clinicianName}` : ''}</Text>
              </Table.Td>
              <Table.Td>
                {row.measuresDue.length === 0 ? (
                  <Text size="sm" c="gray.8">—</Text>
                ) : (
                  <Group gap={4}>
                    {row.measuresDue.map((m) => (
                      <Badge key={m.instrumentId} variant="outline" color="dark" title={m.reason}>{m.title.split(' (')[0]}</Badge>
                    ))}
                  </Group>
                )}
              </Table.Td>
              <Table.Td>
                {row.outstandingActions.length === 0 ? (
                  <Text size="sm" c="gray.8">None</Text>
                ) : (
                  <List size="xs" spacing={2}>
                    {row.outstandingActions.map((x) => (
                      <List.Item key={x.id}>{x.description} <Text span size="xs" c={x.dueDate <= today ? 'red.9' : 'gray.8'}>(due {formatUkDate(x.dueDate)})</Text></List.Item>
                    ))}
                  </List>
                )}
              </Table.Td>
              <Table.Td>
                <Stack gap={4}>
                  <Status row={row} />
                  {booked && a.date <= today && <RecordAttendance row={row} onRecord={(code) => onRecord(row, code)} />}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  {(a.attendance === 5 || a.attendance === 6) && (
                    <Button size="xs" variant="light" onClick={() => go({ view: 'session', referralId: a.referralId, contactId: a.id })} aria-label={`Open the session with ${name}`}>Session</Button>
                  )}
                  {(booked || (cancelled && !row.rescheduledTo)) && (
                    <Button size="xs" variant="default" onClick={() => onChange(row, 'reschedule')} aria-label={`${booked ? 'Reschedule' : 'Rebook'} ${name}`}>{booked ? 'Reschedule' : 'Rebook'}</Button>
                  )}
                  {booked && (
                    <Button size="xs" variant="default" onClick={() => onChange(row, 'cancel')} aria-label={`Cancel ${name}`}>Cancel</Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
